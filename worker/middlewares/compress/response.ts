// Whether and how a response is compressed, once an encoding was chosen for the request.
import { head, peek } from "../body.ts";
import { editResponse, nullBodyStatus } from "../respond.ts";
import { detectContentType } from "../../go/sniff.ts";
import type { Format } from "./formats.ts";
import { parseMediaType, type MediaType } from "../../go/mime.ts";

/**
 * Traefik's default responseForwarding.flushInterval. A body without Content-Length that pauses
 * this long before minSize bytes came is a stream: Go would flush it, compressed, right away.
 */
const FLUSH_INTERVAL_MS = 100;

export interface Policy {
  readonly format: Format;
  readonly encoding: string;
  readonly minSize: number;
  readonly includes: readonly MediaType[];
  readonly excludes: readonly MediaType[];
}

/** The response's own reasons not to be compressed: no body, already encoded, its type, a range. */
function ineligible(response: Response, policy: Policy): boolean {
  const h = response.headers;
  if (!response.body || nullBodyStatus(response.status) || response.status === 206) return true;
  if (h.get("content-encoding") || h.has("content-range")) return true;
  const contentType = h.get("content-type");
  if (!contentType) return false;
  const type = parseMediaType(contentType);
  if (!type) return true; // unparsable: never compressed (klauspost's rule, kept by Traefik)
  // CompressionStream cannot flush: compressed events would wait for kilobytes of later ones.
  if (type.type === "text/event-stream") return true;
  // As Traefik: with includedContentTypes, only that list is consulted.
  if (policy.includes.length > 0) return !policy.includes.some((c) => mediaTypeMatches(c, type));
  return policy.excludes.some((c) => mediaTypeMatches(c, type));
}

/** klauspost's rule: same type, and when the configured entry has parameters, exactly those. */
export function mediaTypeMatches(configured: MediaType, actual: MediaType): boolean {
  if (configured.type !== actual.type) return false;
  const keys = Object.keys(configured.params);
  if (keys.length === 0) return true;
  if (keys.length !== Object.keys(actual.params).length) return false;
  return keys.every((k) => actual.params[k] === configured.params[k]);
}

/** The response as it is, with Vary: Accept-Encoding (what Traefik's handlers add before deciding). */
export function vary(response: Response): Response {
  return editResponse(response, (h) => h.append("vary", "Accept-Encoding"));
}

function encode(response: Response, body: ReadableStream<Uint8Array>, start: Uint8Array | null, policy: Policy): Response {
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  headers.delete("accept-ranges"); // byte ranges of the compressed body are not the client's to ask
  headers.set("content-encoding", policy.encoding);
  headers.append("vary", "Accept-Encoding");
  // As Traefik's gzip handler: a response without Content-Type gets the sniffed one.
  if (start) headers.set("content-type", detectContentType(start));
  const compressed = body.pipeThrough(new CompressionStream(policy.format));
  // The body is already encoded: the runtime must send it as it is, not compress it again.
  return new Response(compressed, { status: response.status, statusText: response.statusText, headers, encodeBody: "manual" });
}

/**
 * The response compressed when it qualifies, always with Vary: Accept-Encoding. The size decision
 * reads Content-Length when there is one; otherwise at most minSize bytes are held to decide, and
 * a body that ends short of it, or pauses (a stream), goes out uncompressed as it comes.
 */
export async function compressResponse(response: Response, policy: Policy): Promise<Response> {
  if (ineligible(response, policy)) return vary(response);
  const body = response.body!;
  const sniff = !response.headers.get("content-type");
  const length = response.headers.get("content-length");
  if (length === null) {
    const peeked = await peek(body, policy.minSize, FLUSH_INTERVAL_MS);
    if (peeked.bytes < policy.minSize) return vary(new Response(peeked.body, response));
    return encode(response, peeked.body, sniff ? head(peeked.chunks, 512) : null, policy);
  }
  const size = Number(length);
  if (!(size >= policy.minSize)) return vary(response);
  if (!sniff) return encode(response, body, null, policy);
  const peeked = await peek(body, Math.min(512, size));
  return encode(response, peeked.body, head(peeked.chunks, 512), policy);
}
