// Traefik's "Header" half of the headers middleware: CORS, customRequestHeaders on the way in,
// customResponseHeaders (and the CORS headers) on the way out. An empty value removes a header.
import type { MiddlewareOptions } from "../../schema/middlewares.ts";
import type { Middleware } from "../types.ts";
import { withHeaders } from "../pathstate.ts";
import { editResponse } from "../respond.ts";
import { buildCors, isPreflight } from "./cors.ts";
import { hasCors } from "./defined.ts";

type Options = MiddlewareOptions<"headers">;

/**
 * customRequestHeaders applied. `Host` changes the request's host (what later middlewares and
 * the router's services see as the Host), as Traefik sets req.Host.
 */
function customRequest(custom: Readonly<Record<string, string>>): (request: Request) => Request {
  const entries = Object.entries(custom);
  const host = entries.find(([name, value]) => name.toLowerCase() === "host" && value !== "")?.[1];
  const edit = (h: Headers) => {
    for (const [name, value] of entries) {
      if (value === "") h.delete(name);
      else if (name.toLowerCase() !== "host") h.set(name, value);
    }
  };
  return (request) => withHeaders(request, edit, host);
}

// What Traefik's entry point sets before any middleware: removing one here is final.
const ENTRY_FORWARDED = new Set(["x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-forwarded-server", "x-real-ip"]);

/** The forwarded headers the proxy must not add back after these customRequestHeaders. */
function removedForwarded(custom: Readonly<Record<string, string>>, before: ReadonlySet<string> | undefined): ReadonlySet<string> {
  const removed = new Set(before);
  for (const [name, value] of Object.entries(custom)) {
    const key = name.toLowerCase();
    if (value !== "") removed.delete(key);
    // Go's ReverseProxy skips X-Forwarded-For only for this exact key (Traefik sets it to nil).
    else if (ENTRY_FORWARDED.has(key) || name === "X-Forwarded-For") removed.add(key);
  }
  return removed;
}

function customResponse(h: Headers, custom: readonly (readonly [string, string])[]): void {
  for (const [name, value] of custom) {
    if (value === "") h.delete(name);
    else h.set(name, value);
  }
}

export function headerHandler(o: Options): Middleware | string {
  const cors = hasCors(o) ? buildCors(o) : null;
  if (typeof cors === "string") return cors;
  const requestHeaders = o.customRequestHeaders ?? {};
  const responseHeaders = Object.entries(o.customResponseHeaders ?? {});
  const rewriteRequest = Object.keys(requestHeaders).length > 0;
  const rewriteResponse = responseHeaders.length > 0 || cors !== null;
  const rewrite = customRequest(requestHeaders);
  // What these headers remove when no middleware before removed any (the usual case): made once.
  const removedFirst = removedForwarded(requestHeaders, undefined);
  return (next) => async (request, rc) => {
    if (cors && isPreflight(request)) return cors.preflight(request);
    const forwarded = rewriteRequest ? rewrite(request) : request;
    const removed = rc.forwardedRemoved === undefined ? removedFirst : removedForwarded(requestHeaders, rc.forwardedRemoved);
    const context = rewriteRequest ? { ...rc, forwardedRemoved: removed } : rc;
    const response = await next(forwarded, context);
    if (!rewriteResponse) return response;
    return editResponse(response, (h) => {
      customResponse(h, responseHeaders);
      cors?.decorate(h, forwarded.headers.get("origin") ?? "");
    });
  };
}
