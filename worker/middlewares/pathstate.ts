// The Go path of a request as the path middlewares left it. A URL cannot say everything Traefik's
// middlewares pass along: Path "" (stripPrefix of the whole path, which addPrefix then extends
// without a trailing slash) or a RawPath kept as the client sent it. Each rewrite records the
// Go path of the Request it creates; a Request nobody rewrote is read from its URL. Also Go's
// view of the rest of the target the middlewares read: RequestURI, and req.Host (goHost).
import { escapedPath, fromRawPath, type GoPath } from "../go/url-escape.ts";
import { pathnameOf, splitHref } from "../http/href.ts";

const rewritten = new WeakMap<Request, GoPath>();

export function goPathOf(request: Request): GoPath {
  return rewritten.get(request) ?? fromRawPath(pathnameOf(request.url));
}

/**
 * The request with a new Go path (sent as Go's EscapedPath) and headers changed by `edit`, as one
 * new Request carrying the same body stream (never read).
 */
export function withGoPath(request: Request, path: GoPath, edit?: (headers: Headers) => void): Request {
  const { origin, rest } = splitHref(request.url);
  // An empty Go path is sent as "/" (Go's RequestURI); the record keeps it empty for later middlewares.
  // An escaped path holds no "?" or "#", so it can be put in the URL string as it is (the Request
  // parses it as URL.pathname's setter would, dot segments included).
  const escaped = escapedPath(path) || "/";
  const out = new Request(`${origin}${escaped.startsWith("/") ? "" : "/"}${escaped}${rest}`, request);
  edit?.(out.headers);
  rewritten.set(out, path);
  return out;
}

/** The same request with its headers (and optionally its Host) changed, keeping its recorded Go path. */
export function withHeaders(request: Request, edit: (headers: Headers) => void, host?: string): Request {
  let url = request.url;
  if (host !== undefined) {
    const withHost = new URL(url);
    withHost.host = host;
    url = withHost.href;
  }
  const out = new Request(url, request);
  edit(out.headers);
  // Go's req.Host is the Host header: a new host replaces the client's (see goHost).
  if (host !== undefined) out.headers.set("host", host);
  const path = rewritten.get(request);
  if (path) rewritten.set(out, path);
  return out;
}

/**
 * Go's Request.RequestURI: the target as the client sent it, or after a rewrite the escaped path
 * ("/" when empty) and the raw query.
 */
export function requestURI(request: Request): string {
  const url = splitHref(request.url);
  const path = rewritten.get(request);
  return (path ? escapedPath(path) || "/" : url.pathname) + url.search;
}

/** Go's URL.EscapedPath() of the request: "" when a rewrite left the path empty. */
export function escapedPathOf(request: Request): string {
  const path = rewritten.get(request);
  return path ? escapedPath(path) : pathnameOf(request.url);
}

/**
 * Go's req.Host: the Host header as the client sent it, so an explicit port stays (`foo:80`,
 * which the request's URL drops as the scheme's default), else the URL's host.
 */
export function goHost(request: Request): string {
  return request.headers.get("host") ?? new URL(request.url).host;
}
