// The headers forwardAuth sends to the auth server, and the ones it copies back onto the request.
import type { GoRegexp } from "../../go/regexp/index.ts";
import { appendHop } from "../../services/forwarded.ts";
import { removeConnectionNamed, removeHopByHop } from "../../services/hop.ts";
import type { RequestContext } from "../../services/types.ts";

// Hop-by-hop headers dropped from the auth request and from a denial copied to the client. Unlike a
// proxy, Traefik keeps Proxy-Authorization: it is meant for the auth server (RFC 7235 §4.4).
const HOP = ["connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade"];

export interface ForwardHeaderOptions {
  /**
   * Traefik has three behaviours: unset keeps the legacy one (the five headers it sets are replaced,
   * any other X-Forwarded-* passes as it came); false drops every X-Forwarded-* the client sent;
   * true keeps them. Set either way, X-Forwarded-Port is sent too.
   */
  readonly trustForwardHeader: boolean | undefined;
  /** When non-empty, only these request headers reach the auth server. */
  readonly authRequestHeaders: readonly string[];
}

/** The X-headers Traefik manages (forwardedheaders.XHeadersSet). */
const MANAGED = [
  "x-forwarded-proto",
  "x-forwarded-scheme",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-port",
  "x-forwarded-server",
  "x-forwarded-uri",
  "x-forwarded-method",
  "x-forwarded-prefix",
  "x-forwarded-tls-client-cert",
  "x-forwarded-tls-client-cert-info",
  "x-scheme",
  "x-real-ip",
];

/** The managed X-headers dropped, their underscore spellings (X_Forwarded_For) too, as Traefik. */
function deleteManaged(headers: Headers): void {
  for (const name of [...headers.keys()]) if (MANAGED.includes(name.replaceAll("_", "-"))) headers.delete(name);
}

/** The Connection-named headers and forwardAuth's hop-by-hop list removed. */
export function removeHop(headers: Headers): void {
  removeConnectionNamed(headers);
  removeHopByHop(headers, false, HOP);
}

/** Go's http.CanonicalHeaderKey: `x-auth-user` → `X-Auth-User` (what authResponseHeadersRegex sees). */
export function canonicalName(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

function only(headers: Headers, names: readonly string[]): Headers {
  const out = new Headers();
  for (const name of names) {
    const value = headers.get(name);
    if (value !== null) out.set(name, value);
  }
  return out;
}

function setIfAbsent(headers: Headers, name: string, value: string): void {
  if (!headers.has(name)) headers.set(name, value);
}

/** Traefik's forwardedPort: the Host's port, else 443 for https/wss (as forwarded) or TLS, else 80. */
function forwardedPort(url: URL, proto: string | null, tls: boolean): string {
  if (url.port) return url.port;
  return proto === "https" || proto === "wss" || tls ? "443" : "80";
}

export function authRequestHeaders(request: Request, rc: RequestContext, options: ForwardHeaderOptions): Headers {
  let headers = new Headers(request.headers);
  removeHop(headers);
  const trust = options.trustForwardHeader;
  if (trust === false) deleteManaged(headers);
  // Trusted, the X-headers pass even when authRequestHeaders lists only others (as Traefik).
  const allowed = trust === true && options.authRequestHeaders.length > 0 ? [...options.authRequestHeaders, ...MANAGED] : options.authRequestHeaders;
  if (allowed.length > 0) headers = only(headers, allowed);
  // fetch() sets Host and Content-Length from the auth URL and the body actually sent.
  headers.delete("host");
  headers.delete("content-length");
  const url = new URL(request.url);
  const own = {
    method: request.method,
    proto: rc.url.protocol.slice(0, -1),
    host: request.headers.get("host") ?? url.host,
    uri: url.pathname + url.search,
  };
  if (trust === undefined) {
    if (rc.clientIP) headers.set("x-forwarded-for", rc.clientIP);
    headers.set("x-forwarded-proto", own.proto);
    headers.set("x-forwarded-method", own.method);
    headers.set("x-forwarded-host", own.host);
    headers.set("x-forwarded-uri", own.uri);
    return headers;
  }
  if (rc.clientIP) headers.set("x-forwarded-for", appendHop(headers.get("x-forwarded-for"), rc.clientIP));
  setIfAbsent(headers, "x-forwarded-method", own.method);
  setIfAbsent(headers, "x-forwarded-proto", own.proto);
  setIfAbsent(headers, "x-forwarded-port", forwardedPort(url, headers.get("x-forwarded-proto"), own.proto === "https"));
  setIfAbsent(headers, "x-forwarded-host", own.host);
  setIfAbsent(headers, "x-forwarded-uri", own.uri);
  return headers;
}

export interface ResponseHeaderCopy {
  readonly names: readonly string[];
  readonly regex: GoRegexp | null;
}

/**
 * The request going upstream after a 2xx: each authResponseHeaders name replaced by the auth
 * server's value (removed when it has none), and with authResponseHeadersRegex every matching
 * request header dropped before the auth server's matching headers are copied in.
 */
export function withAuthHeaders(request: Headers, auth: Headers, copy: ResponseHeaderCopy): Headers {
  const out = new Headers(request);
  for (const name of copy.names) {
    out.delete(name);
    const value = auth.get(name);
    if (value !== null) out.set(name, value);
  }
  const regex = copy.regex;
  if (regex) {
    for (const name of [...out.keys()]) if (regex.test(canonicalName(name))) out.delete(name);
    for (const [name, value] of auth) if (regex.test(canonicalName(name))) out.set(name, value);
  }
  return out;
}
