// Traefik's secure half of the headers middleware (unrolled/secure): allowed hosts, the security
// response headers, and the deprecated SSL redirect options Traefik v3 still reads.
import type { MiddlewareOptions } from "../../schema/middlewares.ts";
import type { Middleware } from "../types.ts";
import { hexEscapeNonASCII } from "../../go/url-escape.ts";
import { goHost, requestURI } from "../pathstate.ts";
import { bare, editResponse, goError } from "../respond.ts";

type Options = MiddlewareOptions<"headers">;

/** Go's req.Host (port included, as sent), or the first non-empty hostsProxyHeaders header (e.g. X-Forwarded-Host). */
function requestHost(request: Request, proxyHeaders: readonly string[]): string {
  for (const name of proxyHeaders) {
    const value = request.headers.get(name);
    if (value) return value;
  }
  return goHost(request);
}

/** HTTPS as the client used it, or as a trusted proxy says through sslProxyHeaders. */
function isSSL(request: Request, proxyHeaders: Readonly<Record<string, string>>): boolean {
  if (new URL(request.url).protocol === "https:") return true;
  return Object.entries(proxyHeaders).some(([name, value]) => (request.headers.get(name) ?? "") === value);
}

/** unrolled/secure's $NONCE: 16 random bytes, base64, fresh for each request. */
function nonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `'nonce-${btoa(String.fromCharCode(...bytes))}'`;
}

/** The response headers that do not depend on the request, in unrolled/secure's order. */
function staticHeaders(o: Options): [string, string][] {
  const out: [string, string][] = [];
  const frame = o.customFrameOptionsValue || (o.frameDeny ? "DENY" : "");
  if (frame) out.push(["x-frame-options", frame]);
  if (o.contentTypeNosniff) out.push(["x-content-type-options", "nosniff"]);
  const xss = o.customBrowserXSSValue || (o.browserXssFilter ? "1; mode=block" : "");
  if (xss) out.push(["x-xss-protection", xss]);
  if (o.referrerPolicy) out.push(["referrer-policy", o.referrerPolicy]);
  if (o.featurePolicy) out.push(["feature-policy", o.featurePolicy]);
  if (o.permissionsPolicy) out.push(["permissions-policy", o.permissionsPolicy]);
  return out;
}

/** The headers for one request: the options' fixed ones (built once, `fixed`) and those that vary with it. */
function requestHeaders(o: Options, fixed: readonly [string, string][], ssl: boolean): [string, string][] {
  const out = [...fixed];
  const dev = o.isDevelopment ?? false;
  if (o.stsSeconds && (ssl || o.forceSTSHeader) && !dev) {
    const flags = (o.stsIncludeSubdomains ? "; includeSubDomains" : "") + (o.stsPreload ? "; preload" : "");
    out.unshift(["strict-transport-security", `max-age=${o.stsSeconds}${flags}`]);
  }
  if (o.publicKey && ssl && !dev) out.push(["public-key-pins", o.publicKey]);
  const csp = o.contentSecurityPolicy ?? "";
  const cspReportOnly = o.contentSecurityPolicyReportOnly ?? "";
  const value = csp.includes("$NONCE") || cspReportOnly.includes("$NONCE") ? nonce() : "";
  if (csp) out.push(["content-security-policy", csp.replaceAll("$NONCE", value)]);
  if (cspReportOnly) out.push(["content-security-policy-report-only", cspReportOnly.replaceAll("$NONCE", value)]);
  return out;
}

/** The deprecated sslRedirect / sslForceHost: 301 (307 with sslTemporaryRedirect) to https. */
function sslRedirect(o: Options, request: Request, host: string, ssl: boolean): Response | null {
  const target = o.sslHost || host;
  const redirect = (o.sslRedirect && !ssl && !o.isDevelopment) || (o.sslForceHost && target !== host);
  if (!redirect) return null;
  // No body and no Content-Type: Traefik's http.Redirect sees Content-Type auto-detection disabled.
  return bare(o.sslTemporaryRedirect ? 307 : 301, "", { location: hexEscapeNonASCII(`https://${target}${requestURI(request)}`) });
}

/** A redirect to http://sslHost from upstream becomes https when the client is on HTTPS. */
function fixLocation(h: Headers, o: Options, ssl: boolean): void {
  const location = h.get("location");
  if (!ssl || !o.sslHost || location === null) return;
  if (location.startsWith(`http://${o.sslHost}/`) || location === `http://${o.sslHost}`) {
    h.set("location", location.replace("http:", "https:"));
  }
}

export function secureHandler(o: Options): Middleware {
  const allowed = (o.allowedHosts ?? []).map((h) => h.toLowerCase());
  const proxyHeaders = o.hostsProxyHeaders ?? [];
  const sslHeaders = o.sslProxyHeaders ?? {};
  const fixed = staticHeaders(o);
  return (next) => async (request, rc) => {
    const host = requestHost(request, proxyHeaders);
    if (allowed.length > 0 && !o.isDevelopment && !allowed.includes(host.toLowerCase())) return goError(500, "Bad Host");
    const ssl = isSSL(request, sslHeaders);
    const redirect = sslRedirect(o, request, host, ssl);
    if (redirect) return redirect;
    const set = requestHeaders(o, fixed, ssl);
    const response = await next(request, rc);
    return editResponse(response, (h) => {
      fixLocation(h, o, ssl);
      for (const [name, value] of set) h.set(name, value);
    });
  };
}
