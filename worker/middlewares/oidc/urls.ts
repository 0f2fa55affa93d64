// The URL options (redirectUrl, loginUrl, logoutUrl, post*RedirectUrl), as Traefik Hub reads them:
// a path (`/callback`: the request's scheme and host), a host and a path (`example.com/callback`:
// the request's scheme), or an absolute http(s) URL. A request is matched on the path. Pure: the
// option checks use it too.

export interface UrlOption {
  readonly path: string;
  /** The host given with the path (`example.com/callback`), or null. */
  readonly host: string | null;
  /** The absolute URL when one was given, or null. */
  readonly absolute: string | null;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

export function urlOption(value: string): UrlOption | string {
  const bad = `${JSON.stringify(value)} is not a path (/callback), a host and a path (example.com/callback) or an http(s) URL`;
  try {
    if (value.startsWith("/") && !value.startsWith("//")) return { path: new URL(value, "http://x").pathname, host: null, absolute: null };
    if (SCHEME.test(value)) {
      const url = new URL(value);
      if (url.protocol !== "http:" && url.protocol !== "https:") return `${bad}: only http and https are supported`;
      return { path: url.pathname, host: null, absolute: url.href };
    }
    if (!value.includes("/") || value.startsWith("/")) return bad;
    const url = new URL(`http://${value}`);
    return { path: url.pathname, host: url.host, absolute: null };
  } catch {
    return bad;
  }
}

/** The option as an absolute URL for this request. */
export function resolveUrl(option: UrlOption, request: URL): string {
  if (option.absolute) return option.absolute;
  return `${request.protocol}//${option.host ?? request.host}${option.path}`;
}
