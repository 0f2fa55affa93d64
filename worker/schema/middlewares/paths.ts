// Path and redirect middlewares.
import * as z from "zod/mini";
import { bool, checked, listOf, nonEmpty, port, regex, str } from "../common.ts";
import { controlCharacter, describeChar } from "../../http/header-syntax.ts";

/** The Location's template: a control character in it would make every redirect Go's 502 (url.Parse refuses it). */
const locationTemplate = checked((value) => {
  if (value === "") return "must not be empty";
  const c = controlCharacter(value);
  return c === null ? null : `${JSON.stringify(value)} contains ${describeChar(c)}: the redirect's Location is a URL, and Go refuses a URL with a control character (every redirect would answer 502)`;
});

export const addPrefixSchema = z.lazy(() => z.strictObject({ prefix: nonEmpty }));

export const stripPrefixSchema = z.lazy(() =>
  z.strictObject({
    prefixes: listOf(nonEmpty),
    /** Deprecated since v2.11, still read by v3. */
    forceSlash: z.optional(bool),
  }),
);

export const stripPrefixRegexSchema = z.lazy(() => z.strictObject({ regex: listOf(regex) }));

export const replacePathSchema = z.lazy(() => z.strictObject({ path: str }));

export const replacePathRegexSchema = z.lazy(() => z.strictObject({ regex, replacement: str }));

export const redirectRegexSchema = z.lazy(() =>
  z.strictObject({
    regex,
    replacement: locationTemplate,
    permanent: z.optional(bool),
  }),
);

// Traefik refuses a redirectScheme without a scheme ("you must provide a target scheme",
// pkg/middlewares/redirect/redirect_scheme.go): there is no default. It takes any other scheme
// (ws, wss, ftp...); one Go's url.Parse cannot read makes every redirect a 502 there, so it is
// refused here.
const SCHEME_REQUIRED = "scheme is required: the scheme to redirect to, e.g. scheme: https";
const scheme = z
  .string({ error: (issue) => (issue.input === undefined ? SCHEME_REQUIRED : undefined) })
  .check(
    z.superRefine((value, ctx) => {
      if (value === "") ctx.addIssue({ code: "custom", message: SCHEME_REQUIRED });
      else if (!/^[A-Za-z][A-Za-z0-9+.-]*$/.test(value)) {
        ctx.addIssue({ code: "custom", message: 'not a URL scheme (a letter, then letters, digits, "+", "-" or "."): every redirect would fail with 502' });
      }
    }),
  );

export const redirectSchemeSchema = z.lazy(() =>
  z.strictObject({
    scheme,
    port: z.optional(port),
    permanent: z.optional(bool),
  }),
);
