// contentType: give a response without Content-Type the type detected from its first bytes (Go's
// http.DetectContentType), as Traefik does when this middleware re-enables Go's detection. Without
// it, such responses keep no Content-Type. `autoDetect: false` (deprecated) turns it off.
import type { MiddlewareFactory } from "./types.ts";
import { head, peek } from "./body.ts";
import { nullBodyStatus } from "./respond.ts";
import { detectContentType } from "../go/sniff.ts";

export const contentType: MiddlewareFactory<"contentType"> = ({ autoDetect }) => {
  if (autoDetect === false) return (next) => next;
  return (next) => async (request, rc) => {
    const response = await next(request, rc);
    const h = response.headers;
    // Go sniffs neither an encoded body nor an empty one.
    if (h.has("content-type") || h.get("content-encoding") || !response.body || nullBodyStatus(response.status)) return response;
    // Go sniffs the first write: here the first chunk, so a stream is never held back.
    const peeked = await peek(response.body, 1);
    const out = new Response(peeked.body, response);
    if (peeked.bytes > 0) out.headers.set("content-type", detectContentType(head(peeked.chunks, 512)));
    return out;
  };
};
