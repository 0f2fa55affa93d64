// errors: when the response's status is in `status`, answer with a page from `service` instead,
// with that status (or its statusRewrites target). As Traefik: the page is a GET for `query`
// ({status}, {originalStatus}, {url}: the request's full URL, filled in) on the request's host, carrying the request's
// headers (or only errorRequestHeaders); the caught response's body is dropped, not read.
import type { Handler } from "../services/types.ts";
import type { MiddlewareFactory } from "./types.ts";
import { discard } from "../http/body.ts";
import { queryEscape } from "../go/url-escape.ts";
import { goURL } from "../go/url.ts";
import { escapedPathOf, goHost } from "./pathstate.ts";
import { goError, nullBodyStatus } from "./respond.ts";
import { statusText } from "../go/statustext.ts";
import { inRanges, parseStatusRanges } from "../services/status-ranges.ts";

// Framing of the original request's body: the page request is a GET without one.
const BODY_HEADERS = new Set(["content-length", "transfer-encoding"]);

function pageHeaders(request: Request, only: readonly string[] | undefined): Headers {
  const allowed = only && new Set(only.map((name) => name.toLowerCase()));
  const headers = new Headers();
  for (const [name, value] of request.headers) {
    if (!BODY_HEADERS.has(name) && (!allowed || allowed.has(name))) headers.append(name, value);
  }
  return headers;
}

/**
 * The request's full URL as Traefik (since v3.5.2) writes it for {url}: scheme, Host (as sent),
 * the escaped path as earlier middlewares left it, and the query.
 */
function originalURL(request: Request): string {
  const url = new URL(request.url);
  const path = escapedPathOf(request);
  // Go's URL.String() puts a "/" between a host and a path that lacks one.
  return `${url.protocol}//${goHost(request)}${path && !path.startsWith("/") ? "/" : ""}${path}${url.search}`;
}

/** The page, sent with the caught status whatever the error service answered. */
function withStatus(page: Response, status: number): Response {
  if (nullBodyStatus(status)) discard(page.body);
  return new Response(nullBodyStatus(status) ? null : page.body, { status, statusText: statusText(status), headers: page.headers });
}

export const errors: MiddlewareFactory<"errors"> = (o, ctx) => {
  const service: Handler | null = ctx.service(o.service);
  if (!service) return `service "${o.service}" does not exist`;
  const ranges = parseStatusRanges(o.status);
  const rewrites = Object.entries(o.statusRewrites ?? {}).map(([from, to]) => ({ from: parseStatusRanges([from]), to }));
  const query = o.query ? `/${o.query.replace(/^\//, "")}` : "";

  return (next) => async (request, rc) => {
    const response = await next(request, rc);
    if (!inRanges(response.status, ranges)) return response;
    discard(response.body);
    const original = response.status;
    const code = rewrites.find(({ from }) => inRanges(original, from))?.to ?? original;
    const path = query
      .replaceAll("{status}", String(code))
      .replaceAll("{originalStatus}", String(original))
      .replaceAll("{url}", queryEscape(originalURL(request)));
    const target = goURL(`http://${new URL(request.url).host}${path}`);
    if (target === null) return goError(code, statusText(code));
    const page = await service(new Request(target, { method: "GET", headers: pageHeaders(request, o.errorRequestHeaders) }), rc);
    return withStatus(page, code);
  };
};
