// What redirectRegex and redirectScheme share (Traefik's redirect handler): the request URL as
// Go sees it, rewritten by a regex. A different URL is a redirect; the same URL passes the request
// on; a URL Go cannot parse is a 502 (oxy's default error handler).
import type { Middleware } from "./types.ts";
import { goURL } from "../go/url.ts";
import { replaceAll, type Template } from "../go/regexp/expand.ts";
import type { GoRegexp } from "../go/regexp/index.ts";
import { bare } from "./respond.ts";
import { statusText } from "../go/statustext.ts";

export interface Redirect {
  readonly re: GoRegexp;
  readonly template: Template;
  readonly permanent: boolean;
  readonly rawURL: (request: Request) => string;
}

/** 302/307 (temporary) or 301/308 (permanent): the 30x that keeps the method for anything but GET. */
export function moved(location: string, method: string, permanent: boolean): Response {
  const get = method === "GET";
  const status = permanent ? (get ? 301 : 308) : get ? 302 : 307;
  return bare(status, statusText(status), { location });
}

export function redirector({ re, template, permanent, rawURL }: Redirect): Middleware {
  return (next) => async (request, rc) => {
    const oldURL = rawURL(request);
    if (!re.test(oldURL)) return next(request, rc);
    const newURL = replaceAll(re, oldURL, template);
    const location = goURL(newURL);
    if (location === null) return bare(502, statusText(502));
    if (newURL === oldURL) return next(request, rc);
    return moved(location, request.method, permanent);
  };
}
