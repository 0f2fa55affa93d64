// Reading a request body into memory, at most `limit` bytes: forwardAuth's forwardBody sends the
// same bytes to the auth server and then upstream, so the body is read once and replayed.

/** What forwardBody buffers when maxBodySize is -1 (no limit in Traefik): a Worker's memory is limited. */
export const FORWARD_BODY_CEILING = 16 * 1024 * 1024;

export type Bounded = { ok: true; bytes: Uint8Array } | { ok: false };

/** The whole body, or not ok as soon as it is longer than `limit` (the rest is never read). */
export async function readBounded(body: ReadableStream<Uint8Array>, limit: number): Promise<Bounded> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return { ok: false };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/** A Content-Length header already over the limit: refuse without reading anything. */
export function declaredTooLarge(request: Request, limit: number): boolean {
  const declared = Number(request.headers.get("content-length") ?? "");
  return Number.isFinite(declared) && declared > limit;
}
