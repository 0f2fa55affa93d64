// Helpers for middlewares that rewrite the request going upstream. A Request's URL is immutable,
// so a rewrite is a new Request carrying the same body stream (never read, never buffered).

/** The same request with another path (raw, as it will be sent) and the same query. */
export function withPath(request: Request, path: string): Request {
  const url = new URL(request.url);
  url.pathname = path;
  return new Request(url, request);
}

/** The same request with one header set (headers of a Request are immutable once received). */
export function withHeader(request: Request, name: string, value: string): Request {
  const headers = new Headers(request.headers);
  headers.set(name, value);
  return new Request(request, { headers });
}

/** The path as received, percent-encoding kept (what Traefik's middlewares see as RawPath). */
export function rawPath(request: Request): string {
  return new URL(request.url).pathname;
}
