// The URL options (redirectUrl, loginUrl, logoutUrl, post*RedirectUrl): a path, made absolute on
// the request's origin, or an absolute URL whose path is matched. Pure: the option checks use it too.

/** A URL option: a path ("/callback"), or an absolute URL whose path is matched. */
export interface UrlOption {
  readonly path: string;
  /** The absolute URL when one was given; else it is made on the request's origin. */
  readonly absolute: string | null;
}

export function urlOption(value: string): UrlOption | string {
  if (value.startsWith("/") && !value.startsWith("//")) return { path: new URL(value, "http://x").pathname, absolute: null };
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") return `${JSON.stringify(value)} is neither a path (/callback) nor an http(s) URL`;
    return { path: url.pathname, absolute: url.href };
  } catch {
    return `${JSON.stringify(value)} is neither a path (/callback) nor an http(s) URL`;
  }
}

export function resolveUrl(option: UrlOption, origin: string): string {
  return option.absolute ?? origin + option.path;
}
