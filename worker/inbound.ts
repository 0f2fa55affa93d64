// The request as the middlewares first see it, made once at the entry as Traefik's entry point
// makes it (forwardedheaders.XForwarded): an untrusted client's forwarded headers dropped, and the
// headers its Connection names removed, never the forwarded headers the router manages, then
// Connection itself. Nothing later removes what a client's Connection named: by then the request
// carries headers the router set (X-Forwarded-Prefix, X-Replaced-Path, customRequestHeaders).
import { isManagedHeader } from "./services/forwarded.ts";
import { removeConnectionNamed } from "./services/hop.ts";
import { PREVIEW_HEADER } from "./dynamic/preview-token.ts";

/** `request` ready for the middlewares; the same object when there is nothing to change. */
export function inbound(request: Request, trusted: boolean): Request {
  // One pass over the names (a call into the runtime per name) finds both.
  const spoofed: string[] = [];
  let connection = false;
  for (const name of request.headers.keys()) {
    if (name === "connection") connection = true;
    // The preview token is the router's (worker/dynamic/preview.ts): no upstream sees it.
    else if (name === PREVIEW_HEADER || (!trusted && isManagedHeader(name))) spoofed.push(name);
  }
  if (spoofed.length === 0 && !connection) return request;
  const headers = new Headers(request.headers);
  for (const name of spoofed) headers.delete(name);
  if (connection) removeConnectionNamed(headers, isManagedHeader);
  return new Request(request, { headers });
}
