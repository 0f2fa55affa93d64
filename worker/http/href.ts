// A request's URL string (request.url, always serialized by the runtime) cut into its parts without
// parsing it again: the hot path reads the path and query of every request several times, and each
// `new URL` is a call into the runtime. In a serialized http(s) URL the path starts at the first
// "/" after "//" (userinfo and host never hold a raw "/"), the query at the first "?" after that
// (a path holds "?" only escaped) and the fragment at the first "#".

export interface Href {
  /** Scheme, "//", userinfo, host and port: what precedes the path. */
  readonly origin: string;
  /** As URL.pathname. */
  readonly pathname: string;
  /** As URL.search: "" when the query is absent or empty. */
  readonly search: string;
  /** Everything after the path as written: query ("?" alone included) and fragment. */
  readonly rest: string;
}

export function splitHref(href: string): Href {
  const authority = href.startsWith("https://") ? 8 : href.startsWith("http://") ? 7 : -1;
  if (authority < 0) return fromURL(new URL(href));
  let hash = href.indexOf("#", authority);
  if (hash < 0) hash = href.length;
  let query = href.indexOf("?", authority);
  if (query < 0 || query > hash) query = hash;
  let path = href.indexOf("/", authority);
  if (path < 0 || path > query) return fromURL(new URL(href));
  const search = hash - query > 1 ? href.slice(query, hash) : "";
  return { origin: href.slice(0, path), pathname: href.slice(path, query), search, rest: href.slice(query) };
}

function fromURL(url: URL): Href {
  const userinfo = url.username === "" && url.password === "" ? "" : `${url.username}${url.password === "" ? "" : `:${url.password}`}@`;
  const origin = `${url.protocol}//${userinfo}${url.host}`;
  return { origin, pathname: url.pathname, search: url.search, rest: url.href.slice(origin.length + url.pathname.length) };
}

/** URL.pathname of a serialized URL. */
export function pathnameOf(href: string): string {
  return splitHref(href).pathname;
}
