// headers: custom request/response headers, CORS and security headers. Every option that ends up
// in a header (a name, a value, a Location for sslHost) is checked as one (common.ts).
import * as z from "zod";
import { bool, headerMap, headerNames, headerValue, headerValues, int, listOf, method, nonNegativeInt, regex, stringList } from "../common.ts";

export const headersSchema = z.strictObject({
  customRequestHeaders: headerMap.optional(),
  customResponseHeaders: headerMap.optional(),
  accessControlAllowCredentials: bool.optional(),
  accessControlAllowHeaders: headerNames.optional(),
  accessControlAllowMethods: listOf(method).optional(),
  accessControlAllowOriginList: headerValues.optional(),
  accessControlAllowOriginListRegex: listOf(regex).optional(),
  accessControlExposeHeaders: headerNames.optional(),
  accessControlMaxAge: int.optional(),
  addVaryHeader: bool.optional(),
  allowedHosts: stringList.optional(),
  hostsProxyHeaders: headerNames.optional(),
  sslProxyHeaders: headerMap.optional(),
  stsSeconds: nonNegativeInt.optional(),
  stsIncludeSubdomains: bool.optional(),
  stsPreload: bool.optional(),
  forceSTSHeader: bool.optional(),
  frameDeny: bool.optional(),
  customFrameOptionsValue: headerValue.optional(),
  contentTypeNosniff: bool.optional(),
  browserXssFilter: bool.optional(),
  customBrowserXSSValue: headerValue.optional(),
  contentSecurityPolicy: headerValue.optional(),
  contentSecurityPolicyReportOnly: headerValue.optional(),
  publicKey: headerValue.optional(),
  referrerPolicy: headerValue.optional(),
  permissionsPolicy: headerValue.optional(),
  isDevelopment: bool.optional(),
  /** Deprecated in v3 (kept by Traefik for compatibility): use permissionsPolicy. */
  featurePolicy: headerValue.optional(),
  /** Deprecated in v3: use the redirectScheme middleware. */
  sslRedirect: bool.optional(),
  /** Deprecated in v3: use the redirectScheme middleware. */
  sslTemporaryRedirect: bool.optional(),
  /** Deprecated in v3: use the redirectRegex middleware. */
  sslHost: headerValue.optional(),
  /** Deprecated in v3: use the redirectRegex middleware. */
  sslForceHost: bool.optional(),
});

/** Deprecated headers options and what replaces them (validate warns). */
export const DEPRECATED_HEADERS: Readonly<Record<string, string>> = {
  featurePolicy: "use permissionsPolicy",
  sslRedirect: "use the redirectScheme middleware",
  sslTemporaryRedirect: "use the redirectScheme middleware",
  sslHost: "use the redirectRegex middleware",
  sslForceHost: "use the redirectRegex middleware",
};
