// The headers forwardAuth sends to the auth server, and the ones it copies back onto the request.
import type { GoRegexp } from "../../go/regexp/index.ts";
import { appendHop } from "../../services/forwarded.ts";
import { removeConnectionNamed, removeHopByHop } from "../../services/hop.ts";
import type { RequestContext } from "../../services/types.ts";

// Hop-by-hop headers dropped from the auth request and from a denial copied to the client. Unlike a
// proxy, Traefik keeps Proxy-Authorization: it is meant for the auth server (RFC 7235 §4.4).
const HOP = ["connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade"];

export interface ForwardHeaderOptions {
  readonly trustForwardHeader: boolean;
  /** When non-empty, only these request headers reach the auth server. */
  readonly authRequestHeaders: readonly string[];
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

/** A client-sent X-Forwarded-* value when trusted, else what this request says. */
function forwarded(headers: Headers, request: Request, name: string, own: string, trust: boolean): void {
  const sent = request.headers.get(name);
  headers.set(name, trust && sent ? sent : own);
}

export function authRequestHeaders(request: Request, rc: RequestContext, options: ForwardHeaderOptions): Headers {
  let headers = new Headers(request.headers);
  removeHop(headers);
  if (options.authRequestHeaders.length > 0) {
    const all = headers;
    headers = new Headers();
    for (const name of options.authRequestHeaders) {
      const value = all.get(name);
      if (value !== null) headers.set(name, value);
    }
  }
  // fetch() sets Host and Content-Length from the auth URL and the body actually sent.
  headers.delete("host");
  headers.delete("content-length");
  const trust = options.trustForwardHeader;
  const url = new URL(request.url);
  if (rc.clientIP) headers.set("x-forwarded-for", trust ? appendHop(request.headers.get("x-forwarded-for"), rc.clientIP) : rc.clientIP);
  else if (!trust) headers.delete("x-forwarded-for");
  forwarded(headers, request, "x-forwarded-method", request.method, trust);
  forwarded(headers, request, "x-forwarded-proto", rc.url.protocol.slice(0, -1), trust);
  forwarded(headers, request, "x-forwarded-host", request.headers.get("host") ?? url.host, trust);
  forwarded(headers, request, "x-forwarded-uri", url.pathname + url.search, trust);
  const port = request.headers.get("x-forwarded-port");
  if (trust && port) headers.set("x-forwarded-port", port);
  else headers.delete("x-forwarded-port");
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
