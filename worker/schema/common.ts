// Building blocks shared by the schema files: durations, regexes, CIDRs, URLs, ports, header names
// and values.
import ipaddr from "ipaddr.js";
import * as z from "zod/mini";
import { headerNameProblem, headerValueProblem, isToken } from "../http/header-syntax.ts";
import { parseBindingURL } from "../http/binding-url.ts";
import { parseDuration, type Duration } from "../go/duration.ts";
import { compileGoRegexp } from "../go/regexp/index.ts";

export const str = z.string();
/** zod's preprocess (classic's z.preprocess is this pipe): `fn` turns the input into what `schema` reads. */
export function preprocess<T extends z.core.$ZodType>(fn: (value: unknown) => unknown, schema: T) {
  return z.pipe(z.transform(fn), schema);
}
export const nonEmpty = z.string().check(z.minLength(1));

/**
 * Traefik reads every scalar through its string form, so `weight: "2"` and `secure: "true"` work
 * there; they are read as the number and the boolean here too.
 */
function fromText(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const text = value.trim();
  if (/^-?\d+$/.test(text)) return Number(text);
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === "true";
  return value;
}

export const bool = preprocess(fromText, z.boolean());

/** An integer, optionally bounded (inclusive). */
export function intIn(min?: number, max?: number) {
  let schema = z.int();
  if (min !== undefined) schema = schema.check(z.gte(min));
  if (max !== undefined) schema = schema.check(z.lte(max));
  return preprocess(fromText, schema);
}

export const int = intIn();
export const nonNegativeInt = intIn(0);

/**
 * A scalar as Traefik's decoder (paerser) turns it into text before filling a list of strings:
 * strings trimmed, booleans and numbers as Go formats them (a float with six decimals, ".000000"
 * dropped). Anything else is left for the item's schema to report.
 */
function listItemText(value: unknown): unknown {
  if (typeof value === "string") return value.trim();
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") return Number.isSafeInteger(value) ? String(value) : value.toFixed(6).replace(/\.000000$/, "");
  return value;
}

/**
 * How Traefik's file provider fills a list of scalars (paerser parser/element_fill.go setSlice):
 * a list written as one string is split on ",", every item trimmed, empty items kept
 * (`"a,,b"` is three items); the empty string is an empty list; a number or a boolean is a
 * one-item list of its text. Items of a real list are trimmed too (paerser trims every item).
 */
export function splitList(value: unknown): unknown {
  if (typeof value === "string") return value === "" ? [] : value.split(",").map((item) => item.trim());
  if (typeof value === "number" || typeof value === "boolean") return [listItemText(value)];
  if (Array.isArray(value)) return value.map(listItemText);
  return value;
}

/** A list of scalars, read as Traefik reads it (splitList): every such list of the schema is one of these. */
export function listOf<T extends z.core.$ZodType>(item: T) {
  return preprocess(splitList, z.array(item));
}

export const stringList = listOf(z.string());

/** A string checked by `problem` (null: fine; else the message at the string's path). */
export function checked(problem: (value: string) => string | null) {
  return z.string().check(
    z.superRefine((value, ctx) => {
      const found = problem(value);
      if (found) ctx.addIssue({ code: "custom", message: found });
    }),
  );
}

/** Options that become a header name or value: refused here, or every request would be a 500. */
export const headerName = checked(headerNameProblem);
export const headerValue = checked(headerValueProblem);
export const headerNames = listOf(headerName);
export const headerValues = listOf(headerValue);
/** Header name → value (customRequestHeaders, healthCheck.headers...); a bad name is reported at its key. */
export const headerMap = z.record(headerName, headerValue);
/** An HTTP method: a token (fetch() refuses anything else). */
export const method = checked((value) => (isToken(value) ? null : `${JSON.stringify(value)} is not an HTTP method (a token such as GET or HEAD)`));

/** YAML `key:` with no value (null) means an empty object, as Traefik's allowEmpty does. */
export function emptyable<T extends z.core.$ZodType>(schema: T) {
  return preprocess((value) => (value === null ? {} : value), schema);
}

export const duration = z
  .custom<Duration>((v) => typeof v === "string" || typeof v === "number", {
    error: 'expected a duration such as "10s" or a whole number of seconds',
  })
  .check(
    z.superRefine((value, ctx) => {
      const parsed = parseDuration(value);
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error });
    }),
  );

export const regex = z.string().check(
  z.superRefine((value, ctx) => {
    const compiled = compileGoRegexp(value);
    if (!compiled.ok) ctx.addIssue({ code: "custom", message: `invalid regular expression "${value}": ${compiled.error}` });
  }),
);

/** Dotted-quad IPv4 or IPv6, with or without a prefix length, as Go's net package reads them. */
export function isIpOrCidr(value: string): boolean {
  const v4 = value.includes("/") ? ipaddr.IPv4.isValidCIDRFourPartDecimal(value) : ipaddr.IPv4.isValidFourPartDecimal(value);
  const v6 = value.includes("/") ? ipaddr.IPv6.isValidCIDR(value) : ipaddr.IPv6.isValid(value);
  return v4 || v6;
}

/** An IP address or a CIDR range, IPv4 or IPv6. */
export const ipOrCidr = z.string().check(
  z.superRefine((value, ctx) => {
    if (!isIpOrCidr(value)) ctx.addIssue({ code: "custom", message: `"${value}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)` });
  }),
);

export const httpStatus = intIn(100, 599);

const STATUS_RANGE = /^(\d{3})(?:-(\d{3}))?$/;

/** Why `500`, `500-599` or `404,500-599` is not a valid status list, or null when it is. */
export function statusRangeProblem(value: string): string | null {
  for (const part of value.split(",")) {
    const match = STATUS_RANGE.exec(part.trim());
    const low = Number(match?.[1]);
    const high = match?.[2] === undefined ? low : Number(match[2]);
    if (!match || low < 100 || high > 599 || low > high) {
      return `"${part.trim()}" is not a status code or range between 100 and 599 (e.g. 500, 500-599, 404,418)`;
    }
  }
  return null;
}

export const statusRange = z.string().check(
  z.superRefine((value, ctx) => {
    const problem = statusRangeProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
);

/** Traefik reads ports as strings; YAML and TOML give numbers. Either way it ends up a string. */
export const port = z
  .pipe(
    z.union([z.string(), z.int()], { error: "expected a port number" }),
    z.transform((value) => String(value)),
  )
  .check(
  z.superRefine((value, ctx) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > 65535) ctx.addIssue({ code: "custom", message: `"${value}" is not a port (1-65535)` });
  }),
);

/** Why a server URL is unusable, or null when it is fine. */
export function serverUrlProblem(value: string): string | null {
  if (value.startsWith("binding://")) {
    return parseBindingURL(value) ? null : `"${value}" is not a valid service binding URL: use binding://NAME where NAME is the binding's identifier`;
  }
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) {
    return `"${value}" is not an absolute URL: use http://host[:port][/path], https://..., or binding://NAME`;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not an absolute URL: use http://host[:port][/path], https://..., or binding://NAME`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return `unsupported scheme "${url.protocol.slice(0, -1)}" in "${value}": Workers reach servers over http:// or https://, or a service binding (binding://NAME)`;
  }
  return url.hostname === "" ? `"${value}" has no host` : null;
}

export const serverUrl = z.string().check(
  z.superRefine((value, ctx) => {
    const problem = serverUrlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
);
