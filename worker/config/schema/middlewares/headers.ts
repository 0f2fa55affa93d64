// headers: custom request/response headers, CORS and security headers.
import * as z from "zod";
import { bool, int, nonNegativeInt, regex, str, stringList, stringMap } from "../common.ts";

export const headersSchema = z.strictObject({
  customRequestHeaders: stringMap.optional(),
  customResponseHeaders: stringMap.optional(),
  accessControlAllowCredentials: bool.optional(),
  accessControlAllowHeaders: stringList.optional(),
  accessControlAllowMethods: stringList.optional(),
  accessControlAllowOriginList: stringList.optional(),
  accessControlAllowOriginListRegex: z.array(regex).optional(),
  accessControlExposeHeaders: stringList.optional(),
  accessControlMaxAge: int.optional(),
  addVaryHeader: bool.optional(),
  allowedHosts: stringList.optional(),
  hostsProxyHeaders: stringList.optional(),
  sslProxyHeaders: stringMap.optional(),
  stsSeconds: nonNegativeInt.optional(),
  stsIncludeSubdomains: bool.optional(),
  stsPreload: bool.optional(),
  forceSTSHeader: bool.optional(),
  frameDeny: bool.optional(),
  customFrameOptionsValue: str.optional(),
  contentTypeNosniff: bool.optional(),
  browserXssFilter: bool.optional(),
  customBrowserXSSValue: str.optional(),
  contentSecurityPolicy: str.optional(),
  contentSecurityPolicyReportOnly: str.optional(),
  publicKey: str.optional(),
  referrerPolicy: str.optional(),
  permissionsPolicy: str.optional(),
  isDevelopment: bool.optional(),
  /** Deprecated in v3 (kept by Traefik for compatibility): use permissionsPolicy. */
  featurePolicy: str.optional(),
  /** Deprecated in v3: use the redirectScheme middleware. */
  sslRedirect: bool.optional(),
  /** Deprecated in v3: use the redirectScheme middleware. */
  sslTemporaryRedirect: bool.optional(),
  /** Deprecated in v3: use the redirectRegex middleware. */
  sslHost: str.optional(),
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
