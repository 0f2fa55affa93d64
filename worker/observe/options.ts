// The observability settings, read once per isolate from the Worker's variables (worker/env.ts):
// ACCESS_LOG (on unless "false"), ACCESS_LOG_OPTIONS (JSON of Traefik's `accessLog` section),
// TRACING (on unless "false"), TRACING_SAMPLE_RATE, TRACING_SERVICE_NAME and the OTLP/HTTP exporter
// (TRACING_OTLP_ENDPOINT, TRACING_OTLP_HEADERS, TRACING_OTLP_FLUSH_MS). Every problem is a value
// with its JSON path; a bad ACCESS_LOG_OPTIONS keeps Traefik's defaults for the whole section (which
// log no header at all), so a typo never half-applies (docs/observability.md).
import { canonicalMIMEHeaderKey } from "../go/textproto.ts";
import { parseDuration } from "../go/duration.ts";
import type { StatusRange } from "../services/status-ranges.ts";

export type HeaderMode = "keep" | "drop" | "redact";

export interface AccessLogFields {
  /** fields.defaultMode: keep (Traefik's default) or drop. */
  readonly defaultKeep: boolean;
  /** fields.names, by lower-case field name (Traefik looks them up case-insensitively). */
  readonly names: ReadonlyMap<string, boolean>;
  /** fields.headers.defaultMode: drop by default (Traefik). */
  readonly headersDefault: HeaderMode;
  /** fields.headers.names, by Go's canonical header name. */
  readonly headerNames: ReadonlyMap<string, HeaderMode>;
  /** fields.queryParameters.defaultMode: keep (Traefik) or drop the query from RequestPath. */
  readonly keepQuery: boolean;
}

export interface AccessLogFilters {
  readonly statusCodes: readonly StatusRange[];
  readonly retryAttempts: boolean;
  /** Kept when Duration is longer than this (0: no such filter). */
  readonly minDurationNs: number;
}

export interface AccessLogOptions {
  readonly enabled: boolean;
  /** null: every request is logged (Traefik: no filters section). */
  readonly filters: AccessLogFilters | null;
  /** Switchyard's addition: the share of the lines that pass the filters which are written (0..1). */
  readonly sampleRate: number;
  readonly fields: AccessLogFields;
  /** Traefik's addInternals: log the admin API's requests too. */
  readonly addInternals: boolean;
}

export interface OtlpOptions {
  /** The full URL spans are POSTed to (Traefik: tracing.otlp.http.endpoint), e.g. http://collector:4318/v1/traces. */
  readonly endpoint: string;
  readonly headers: Readonly<Record<string, string>>;
  /** A batch goes out at most this long after its first span... */
  readonly flushMs: number;
  /** ...or as soon as it holds this many spans. */
  readonly maxBatch: number;
  /** Spans kept while waiting; past it the oldest are dropped (and counted). */
  readonly maxQueue: number;
}

export interface TracingOptions {
  /** Propagate traceparent/tracestate and X-Request-Id (TRACING=false: leave requests untouched). */
  readonly enabled: boolean;
  /** Traefik's tracing.sampleRate (default 1): new traces sampled at this rate; a client's flag is kept. */
  readonly sampleRate: number;
  readonly serviceName: string;
  readonly otlp: OtlpOptions | null;
}

export interface SettingIssue {
  readonly path: string;
  readonly message: string;
  /** A warning changes nothing (the option is ignored); an error makes the section fall back to its defaults. */
  readonly warning?: boolean;
}

export interface ObserveSettings {
  readonly accessLog: AccessLogOptions;
  readonly tracing: TracingOptions;
  readonly issues: readonly SettingIssue[];
}

export interface ObserveEnv {
  readonly ACCESS_LOG?: string;
  readonly ACCESS_LOG_OPTIONS?: string;
  readonly TRACING?: string;
  readonly TRACING_SAMPLE_RATE?: string;
  readonly TRACING_SERVICE_NAME?: string;
  readonly TRACING_OTLP_ENDPOINT?: string;
  readonly TRACING_OTLP_HEADERS?: string;
  readonly TRACING_OTLP_FLUSH_MS?: string;
}

/** Headers logged as REDACTED unless fields.headers.names says otherwise, when the default would keep them. */
export const REDACTED_BY_DEFAULT: ReadonlySet<string> = new Set(["Authorization", "Cookie", "Set-Cookie"]);

export const DEFAULT_FIELDS: AccessLogFields = { defaultKeep: true, names: new Map(), headersDefault: "drop", headerNames: new Map(), keepQuery: true };
const DEFAULT_ACCESS_LOG: AccessLogOptions = { enabled: true, filters: null, sampleRate: 1, fields: DEFAULT_FIELDS, addInternals: false };
const DEFAULT_FLUSH_MS = 5_000;

export function observeSettings(env: ObserveEnv): ObserveSettings {
  const issues: SettingIssue[] = [];
  const accessLog = accessLogSettings(env, issues);
  const tracing = tracingSettings(env, issues);
  return { accessLog, tracing, issues };
}

function accessLogSettings(env: ObserveEnv, issues: SettingIssue[]): AccessLogOptions {
  const enabled = flag(env.ACCESS_LOG, "ACCESS_LOG", issues);
  if (env.ACCESS_LOG_OPTIONS === undefined || env.ACCESS_LOG_OPTIONS.trim() === "") return { ...DEFAULT_ACCESS_LOG, enabled };
  const found: SettingIssue[] = [];
  const parsed = parseAccessLogOptions(env.ACCESS_LOG_OPTIONS, found);
  issues.push(...found);
  return parsed && !found.some((i) => !i.warning) ? { ...parsed, enabled } : { ...DEFAULT_ACCESS_LOG, enabled };
}

function flag(value: string | undefined, name: string, issues: SettingIssue[]): boolean {
  if (value === undefined || value === "" || value === "true") return true;
  if (value === "false") return false;
  issues.push({ path: name, message: `expected "true" or "false", got ${JSON.stringify(value)}; kept on` , warning: true });
  return true;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Keys Traefik has that mean nothing on Workers: accepted, with an issue saying why they do nothing. */
const NOT_ON_WORKERS: Record<string, string> = {
  filePath: "a Worker writes its access log through console.log (Workers Logs, Logpush, wrangler tail), not to a file",
  bufferingSize: "console.log does not block the request; there is nothing to buffer",
  otlp: "export logs from Workers Logs or Logpush; OTLP export here is for traces (TRACING_OTLP_ENDPOINT)",
  dualOutput: "there is one output (console.log)",
};

/** ACCESS_LOG_OPTIONS: Traefik's accessLog section as JSON. Issues are appended; null when it is not even JSON. */
export function parseAccessLogOptions(text: string, issues: SettingIssue[]): Omit<AccessLogOptions, "enabled"> | null {
  const at = "ACCESS_LOG_OPTIONS";
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    issues.push({ path: at, message: `not JSON: ${(err as Error).message}` });
    return null;
  }
  if (!isObject(raw)) {
    issues.push({ path: at, message: "expected a JSON object (Traefik's accessLog section)" });
    return null;
  }
  for (const key of Object.keys(raw)) {
    if (key in NOT_ON_WORKERS) issues.push({ path: `${at}.${key}`, message: `ignored on Workers: ${NOT_ON_WORKERS[key]}`, warning: true });
    else if (!["format", "filters", "fields", "addInternals", "sampleRate"].includes(key)) issues.push({ path: `${at}.${key}`, message: "unknown option" });
  }
  if (raw.format !== undefined && raw.format !== "json") {
    issues.push({ path: `${at}.format`, message: `only "json" is written on Workers (one structured line per request for Workers Logs); got ${JSON.stringify(raw.format)}` });
  }
  const addInternals = raw.addInternals === undefined ? false : bool(raw.addInternals, `${at}.addInternals`, issues);
  const sampleRate = raw.sampleRate === undefined ? 1 : rate(raw.sampleRate, `${at}.sampleRate`, issues);
  const filters = raw.filters === undefined ? null : parseFilters(raw.filters, `${at}.filters`, issues);
  const fields = raw.fields === undefined ? DEFAULT_FIELDS : parseFields(raw.fields, `${at}.fields`, issues);
  return { filters, sampleRate, fields, addInternals };
}

function bool(value: unknown, path: string, issues: SettingIssue[]): boolean {
  if (typeof value === "boolean") return value;
  issues.push({ path, message: `expected true or false, got ${JSON.stringify(value)}` });
  return false;
}

function rate(value: unknown, path: string, issues: SettingIssue[]): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n === "number" && Number.isFinite(n) && n >= 0 && n <= 1) return n;
  issues.push({ path, message: `expected a number from 0 to 1, got ${JSON.stringify(value)}` });
  return 1;
}

function unknownKeys(obj: Json, allowed: readonly string[], path: string, issues: SettingIssue[]): void {
  for (const key of Object.keys(obj)) if (!allowed.includes(key)) issues.push({ path: `${path}.${key}`, message: `unknown option (expected one of ${allowed.join(", ")})` });
}

const STATUS_RANGE = /^\s*(\d{3})\s*(?:-\s*(\d{3})\s*)?$/;

/** filters: Traefik's statusCodes ("404", "500-599", or several joined by commas), retryAttempts, minDuration. */
function parseFilters(value: unknown, path: string, issues: SettingIssue[]): AccessLogFilters | null {
  if (!isObject(value)) {
    issues.push({ path, message: "expected an object with statusCodes, retryAttempts, minDuration" });
    return null;
  }
  unknownKeys(value, ["statusCodes", "retryAttempts", "minDuration"], path, issues);
  const statusCodes: StatusRange[] = [];
  const codes = value.statusCodes ?? [];
  if (!Array.isArray(codes)) issues.push({ path: `${path}.statusCodes`, message: 'expected a list such as ["200", "300-302"]' });
  else {
    codes.forEach((entry, i) => {
      const parts = typeof entry === "string" ? entry.split(",") : [String(entry)];
      for (const part of parts) {
        const m = typeof entry === "string" ? STATUS_RANGE.exec(part) : null;
        const low = Number(m?.[1]);
        const high = m?.[2] === undefined ? low : Number(m[2]);
        if (!m || high < low) issues.push({ path: `${path}.statusCodes[${i}]`, message: `expected a status code or a range such as "400-499", got ${JSON.stringify(entry)}` });
        else statusCodes.push({ low, high });
      }
    });
  }
  const retryAttempts = value.retryAttempts === undefined ? false : bool(value.retryAttempts, `${path}.retryAttempts`, issues);
  let minDurationNs = 0;
  if (value.minDuration !== undefined) {
    const ms = parseDuration(value.minDuration);
    if (ms.ok) minDurationNs = Math.max(0, Math.round(ms.value * 1e6));
    else issues.push({ path: `${path}.minDuration`, message: ms.error });
  }
  return { statusCodes, retryAttempts, minDurationNs };
}

function mode<M extends string>(value: unknown, allowed: readonly M[], path: string, issues: SettingIssue[]): M | null {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as M;
  issues.push({ path, message: `expected ${allowed.map((m) => JSON.stringify(m)).join(" or ")}, got ${JSON.stringify(value)}` });
  return null;
}

function namesOf<M extends string>(value: unknown, allowed: readonly M[], key: (name: string) => string, path: string, issues: SettingIssue[]): Map<string, M> {
  const out = new Map<string, M>();
  if (value === undefined) return out;
  if (!isObject(value)) {
    issues.push({ path, message: "expected an object of name: mode" });
    return out;
  }
  for (const [name, v] of Object.entries(value)) {
    const m = mode(v, allowed, `${path}.${name}`, issues);
    if (m) out.set(key(name), m);
  }
  return out;
}

/** fields: defaultMode and names (keep | drop), headers.defaultMode and headers.names (keep | drop | redact), queryParameters. */
function parseFields(value: unknown, path: string, issues: SettingIssue[]): AccessLogFields {
  if (!isObject(value)) {
    issues.push({ path, message: "expected an object with defaultMode, names, headers, queryParameters" });
    return DEFAULT_FIELDS;
  }
  unknownKeys(value, ["defaultMode", "names", "headers", "queryParameters"], path, issues);
  const keepDrop = ["keep", "drop"] as const;
  const defaultKeep = value.defaultMode === undefined ? true : mode(value.defaultMode, keepDrop, `${path}.defaultMode`, issues) !== "drop";
  const names = new Map([...namesOf(value.names, keepDrop, (n) => n.toLowerCase(), `${path}.names`, issues)].map(([k, m]) => [k, m === "keep"]));
  let headersDefault: HeaderMode = "drop";
  let headerNames = new Map<string, HeaderMode>();
  if (value.headers !== undefined) {
    const h = value.headers;
    if (!isObject(h)) issues.push({ path: `${path}.headers`, message: "expected an object with defaultMode and names" });
    else {
      unknownKeys(h, ["defaultMode", "names"], `${path}.headers`, issues);
      const modes = ["keep", "drop", "redact"] as const;
      if (h.defaultMode !== undefined) headersDefault = mode(h.defaultMode, modes, `${path}.headers.defaultMode`, issues) ?? "drop";
      headerNames = namesOf(h.names, modes, canonicalMIMEHeaderKey, `${path}.headers.names`, issues);
    }
  }
  let keepQuery = true;
  const q = value.queryParameters;
  if (q !== undefined) {
    if (!isObject(q)) issues.push({ path: `${path}.queryParameters`, message: "expected an object with defaultMode" });
    else {
      unknownKeys(q, ["defaultMode"], `${path}.queryParameters`, issues);
      if (q.defaultMode !== undefined) keepQuery = mode(q.defaultMode, keepDrop, `${path}.queryParameters.defaultMode`, issues) !== "drop";
    }
  }
  return { defaultKeep, names, headersDefault, headerNames, keepQuery };
}

function tracingSettings(env: ObserveEnv, issues: SettingIssue[]): TracingOptions {
  const enabled = flag(env.TRACING, "TRACING", issues);
  const sampleRate = env.TRACING_SAMPLE_RATE === undefined ? 1 : rate(env.TRACING_SAMPLE_RATE, "TRACING_SAMPLE_RATE", issues);
  const serviceName = env.TRACING_SERVICE_NAME?.trim() || "switchyard";
  return { enabled, sampleRate, serviceName, otlp: enabled ? otlpSettings(env, issues) : null };
}

/** The exporter, or null (with an issue when it was asked for but cannot work). */
function otlpSettings(env: ObserveEnv, issues: SettingIssue[]): OtlpOptions | null {
  const endpoint = env.TRACING_OTLP_ENDPOINT?.trim();
  if (!endpoint) return null;
  if (!/^https?:\/\//i.test(endpoint) || !URL.canParse(endpoint)) {
    issues.push({ path: "TRACING_OTLP_ENDPOINT", message: `expected an http(s) URL such as http://127.0.0.1:4318/v1/traces, got ${JSON.stringify(endpoint)}; no spans are exported` });
    return null;
  }
  const headers = otlpHeaders(env.TRACING_OTLP_HEADERS, issues);
  if (!headers) return null;
  let flushMs = DEFAULT_FLUSH_MS;
  if (env.TRACING_OTLP_FLUSH_MS !== undefined) {
    const n = Number(env.TRACING_OTLP_FLUSH_MS);
    if (env.TRACING_OTLP_FLUSH_MS.trim() !== "" && Number.isFinite(n) && n >= 0) flushMs = n;
    else issues.push({ path: "TRACING_OTLP_FLUSH_MS", message: `expected a number of milliseconds >= 0, got ${JSON.stringify(env.TRACING_OTLP_FLUSH_MS)}; kept ${DEFAULT_FLUSH_MS}` });
  }
  return { endpoint, headers, flushMs, maxBatch: 512, maxQueue: 2048 };
}

function otlpHeaders(text: string | undefined, issues: SettingIssue[]): Record<string, string> | null {
  if (text === undefined || text.trim() === "") return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  if (isObject(raw) && Object.values(raw).every((v) => typeof v === "string")) return raw as Record<string, string>;
  issues.push({ path: "TRACING_OTLP_HEADERS", message: 'expected a JSON object of strings such as {"Authorization": "Bearer …"}; no spans are exported' });
  return null;
}
