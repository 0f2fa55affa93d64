// Body streams for the transport: relayed without buffering, keeping a known Content-Length (a piped
// stream would otherwise go out chunked), with a hook when the last byte has gone through.

/** The request's declared length, or null when unknown (chunked, or no body). */
export function declaredLength(headers: Headers): number | null {
  const value = headers.get("content-length");
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value);
}

export interface Relayed {
  readonly stream: ReadableStream<Uint8Array>;
  /** Settles when the whole source has been passed on (rejects if it failed or was cancelled). */
  readonly done: Promise<void>;
}

/** Passes `source` through a stream of the same length (FixedLengthStream when the length is known). */
export function relay(source: ReadableStream<Uint8Array>, length: number | null): Relayed {
  const pipe = length !== null && typeof FixedLengthStream === "function" ? new FixedLengthStream(length) : new TransformStream<Uint8Array, Uint8Array>();
  const done = pump(source, pipe.writable as WritableStream<Uint8Array>);
  done.catch(() => undefined);
  return { stream: pipe.readable as ReadableStream<Uint8Array>, done };
}

/** Copies chunk by chunk, one write at a time (backpressure), propagating an error either way.
 *  (A hand pump: workerd cannot pipeTo() between some native streams, e.g. a tee branch.) */
async function pump(source: ReadableStream<Uint8Array>, sink: WritableStream<Uint8Array>): Promise<void> {
  const reader = source.getReader();
  const writer = sink.getWriter();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await writer.write(value);
    }
    await writer.close();
  } catch (err) {
    await Promise.allSettled([reader.cancel(err), writer.abort(err)]);
    throw err;
  }
}

/** Calls `onEnd` once when `response`'s body has been read to its end, failed, or been cancelled. */
export function onBodyEnd(response: Response, onEnd: () => void): Response {
  if (!response.body) {
    onEnd();
    return response;
  }
  const { stream, done } = relay(response.body, null);
  done.then(onEnd, onEnd);
  return new Response(stream, response);
}

export type Collected = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false };

/** Reads a whole stream into memory, giving up (and cancelling it) past `limit` bytes (-1: no limit). */
export async function collect(stream: ReadableStream<Uint8Array>, limit: number): Promise<Collected> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (limit >= 0 && size > limit) {
      await reader.cancel().catch(() => undefined);
      return { ok: false };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}
