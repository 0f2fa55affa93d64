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
function customRequest(request: Request, custom: Readonly<Record<string, string>>): Request {
  const hostEntry = Object.entries(custom).find(([name, value]) => name.toLowerCase() === "host" && value !== "");
  return withHeaders(
    request,
    (h) => {
      for (const [name, value] of Object.entries(custom)) {
        if (value === "") h.delete(name);
        else if (name.toLowerCase() !== "host") h.set(name, value);
      }
    },
    hostEntry?.[1],
  );
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

function customResponse(h: Headers, custom: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(custom)) {
    if (value === "") h.delete(name);
    else h.set(name, value);
  }
}

export function headerHandler(o: Options): Middleware | string {
  const cors = hasCors(o) ? buildCors(o) : null;
  if (typeof cors === "string") return cors;
  const requestHeaders = o.customRequestHeaders ?? {};
  const responseHeaders = o.customResponseHeaders ?? {};
  const rewriteRequest = Object.keys(requestHeaders).length > 0;
  const rewriteResponse = Object.keys(responseHeaders).length > 0 || cors !== null;
  return (next) => async (request, rc) => {
    if (cors && isPreflight(request)) return cors.preflight(request);
    const forwarded = rewriteRequest ? customRequest(request, requestHeaders) : request;
    const context = rewriteRequest ? { ...rc, forwardedRemoved: removedForwarded(requestHeaders, rc.forwardedRemoved) } : rc;
    const response = await next(forwarded, context);
    if (!rewriteResponse) return response;
    return editResponse(response, (h) => {
      customResponse(h, responseHeaders);
      cors?.decorate(h, forwarded.headers.get("origin") ?? "");
    });
  };
}
