// Which parts of the headers middleware a config uses (Traefik's HasCorsHeadersDefined,
// HasCustomHeadersDefined, HasSecureHeadersDefined): pure, so validation can ask too.
import type { MiddlewareOptions } from "../../schema/middlewares.ts";

type Options = MiddlewareOptions<"headers">;

export function hasCors(o: Options): boolean {
  return Boolean(
    o.accessControlAllowCredentials ||
      o.accessControlAllowHeaders?.length ||
      o.accessControlAllowMethods?.length ||
      o.accessControlAllowOriginList?.length ||
      o.accessControlAllowOriginListRegex?.length ||
      o.accessControlExposeHeaders?.length ||
      o.accessControlMaxAge !== undefined ||
      o.addVaryHeader,
  );
}

export function hasCustom(o: Options): boolean {
  return Object.keys(o.customRequestHeaders ?? {}).length > 0 || Object.keys(o.customResponseHeaders ?? {}).length > 0;
}

/** As Traefik, stsSeconds counts when set, even to 0 (which sends no Strict-Transport-Security). */
export function hasSecure(o: Options): boolean {
  return Boolean(
    o.allowedHosts?.length || o.hostsProxyHeaders?.length || o.sslRedirect || o.sslTemporaryRedirect ||
      o.sslForceHost || o.sslHost || Object.keys(o.sslProxyHeaders ?? {}).length || o.stsSeconds !== undefined ||
      o.stsIncludeSubdomains || o.stsPreload || o.forceSTSHeader || o.frameDeny || o.customFrameOptionsValue ||
      o.contentTypeNosniff || o.browserXssFilter || o.customBrowserXSSValue || o.contentSecurityPolicy ||
      o.contentSecurityPolicyReportOnly || o.publicKey || o.referrerPolicy || o.featurePolicy ||
      o.permissionsPolicy || o.isDevelopment,
  );
}
