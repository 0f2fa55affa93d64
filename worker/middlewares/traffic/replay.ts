// Request bodies that can be sent more than once (retry, buffering): read into memory up to a
// limit, so each attempt gets its own copy. A body past the limit is never read twice: the caller
// gets it back as a stream to send exactly once.
import { declaredLength, readUpTo } from "../../http/body.ts";

export type Replayable =
  /** No body, or the whole body in memory: `attempt()` gives a fresh request each time. */
  | { readonly ok: true; attempt(): Request }
  /** Too large to keep: `once` carries the whole body, unread, for a single attempt. */
  | { readonly ok: false; readonly once: Request };

export async function replayable(request: Request, limit: number): Promise<Replayable> {
  const body = request.body;
  if (!body) return { ok: true, attempt: () => new Request(request) };
  const declared = declaredLength(request.headers);
  if (declared !== null && declared > limit) return { ok: false, once: request };
  const read = await readUpTo(body, limit);
  if (read.kind === "over") return { ok: false, once: new Request(request, { body: read.rest }) };
  const bytes = read.bytes;
  // An empty body is sent as none, as Traefik's buffer does (Content-Length 0 or nothing).
  const headers = withLength(request.headers, bytes.byteLength);
  return {
    ok: true,
    // The Request constructor copies the bytes (workerd neither shares nor detaches them), so each
    // attempt gets its own body and the buffer stays intact for the next.
    attempt: () => new Request(request.url, { method: request.method, headers, body: bytes.byteLength > 0 && canHaveBody(request) ? bytes : null, redirect: request.redirect }),
  };
}

/** The body is now of known length: say so (the client may have sent it chunked). */
function withLength(source: Headers, size: number): Headers {
  const headers = new Headers(source);
  headers.delete("transfer-encoding");
  if (size > 0) headers.set("content-length", String(size));
  else headers.delete("content-length");
  return headers;
}

function canHaveBody(request: Request): boolean {
  return request.method !== "GET" && request.method !== "HEAD";
}
