// headers: custom request/response headers, CORS and security headers. Every option that ends up
// in a header (a name, a value, a Location for sslHost) is checked as one (common.ts).
import * as z from "zod/mini";
import { bool, headerMap, headerNames, headerValue, headerValues, int, listOf, method, nonNegativeInt, regex, stringList } from "../common.ts";

export const headersSchema = z.lazy(() =>
  z.strictObject({
    customRequestHeaders: z.optional(headerMap),
    customResponseHeaders: z.optional(headerMap),
    accessControlAllowCredentials: z.optional(bool),
    accessControlAllowHeaders: z.optional(headerNames),
    accessControlAllowMethods: z.optional(listOf(method)),
    accessControlAllowOriginList: z.optional(headerValues),
    accessControlAllowOriginListRegex: z.optional(listOf(regex)),
    accessControlExposeHeaders: z.optional(headerNames),
    accessControlMaxAge: z.optional(int),
    addVaryHeader: z.optional(bool),
    allowedHosts: z.optional(stringList),
    hostsProxyHeaders: z.optional(headerNames),
    sslProxyHeaders: z.optional(headerMap),
    stsSeconds: z.optional(nonNegativeInt),
    stsIncludeSubdomains: z.optional(bool),
    stsPreload: z.optional(bool),
    forceSTSHeader: z.optional(bool),
    frameDeny: z.optional(bool),
    customFrameOptionsValue: z.optional(headerValue),
    contentTypeNosniff: z.optional(bool),
    browserXssFilter: z.optional(bool),
    customBrowserXSSValue: z.optional(headerValue),
    contentSecurityPolicy: z.optional(headerValue),
    contentSecurityPolicyReportOnly: z.optional(headerValue),
    publicKey: z.optional(headerValue),
    referrerPolicy: z.optional(headerValue),
    permissionsPolicy: z.optional(headerValue),
    isDevelopment: z.optional(bool),
    /** Deprecated in v3 (kept by Traefik for compatibility): use permissionsPolicy. */
    featurePolicy: z.optional(headerValue),
    /** Deprecated in v3: use the redirectScheme middleware. */
    sslRedirect: z.optional(bool),
    /** Deprecated in v3: use the redirectScheme middleware. */
    sslTemporaryRedirect: z.optional(bool),
    /** Deprecated in v3: use the redirectRegex middleware. */
    sslHost: z.optional(headerValue),
    /** Deprecated in v3: use the redirectRegex middleware. */
    sslForceHost: z.optional(bool),
  }),
);

/** Deprecated headers options and what replaces them (validate warns). */
export const DEPRECATED_HEADERS: Readonly<Record<string, string>> = {
  featurePolicy: "use permissionsPolicy",
  sslRedirect: "use the redirectScheme middleware",
  sslTemporaryRedirect: "use the redirectScheme middleware",
  sslHost: "use the redirectRegex middleware",
  sslForceHost: "use the redirectRegex middleware",
};
