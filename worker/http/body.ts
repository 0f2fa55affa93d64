// Body streams, in one place: relayed without buffering (keeping a known Content-Length), read into
// memory only up to a limit, watched for their end, or dropped. Every module that touches a body
// uses these, so no body is read twice by accident.

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

export type Collected = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false };

/** Reads a whole stream into memory, giving up (and cancelling it) past `limit` bytes (-1: no limit). */
export async function collect(stream: ReadableStream<Uint8Array>, limit: number): Promise<Collected> {
  const read = await readUpTo(stream, limit < 0 ? Infinity : limit);
  if (read.kind === "complete") return { ok: true, bytes: read.bytes };
  await read.rest.cancel().catch(() => undefined);
  return { ok: false };
}

export type Limited =
  | { readonly kind: "complete"; readonly bytes: Uint8Array }
  /** Over the limit: `rest` is the whole body again (what was read, then the unread stream). */
  | { readonly kind: "over"; readonly rest: ReadableStream<Uint8Array> };

/**
 * Read a stream to its end if it holds at most `limit` bytes. Past the limit, stop reading and hand
 * back a stream of the entire body, so the caller can still send it once. Reads at most limit + one chunk.
 */
export async function readUpTo(body: ReadableStream<Uint8Array>, limit: number): Promise<Limited> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { kind: "complete", bytes: concat(chunks, size) };
    chunks.push(value);
    size += value.byteLength;
    if (size > limit) return { kind: "over", rest: prepend(chunks, reader) };
  }
}

/** The chunks as one array of `size` bytes (their total by default; the chunk itself when there is only one). */
export function concat(chunks: readonly Uint8Array[], size = chunks.reduce((n, c) => n + c.byteLength, 0)): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** The chunks already read, then whatever the reader still has. */
function prepend(chunks: Uint8Array[], reader: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const head = chunks.shift();
      if (head) return controller.enqueue(head);
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** Drop a body nobody will read (a retried attempt's answer, a caught error page), freeing its connection. */
export function discard(body: ReadableStream | null): void {
  body?.cancel().catch(() => undefined);
}

/**
 * The same response, calling `done` once when its body has been read to the end, failed, or been
 * cancelled (the client went away): the moment Traefik's handler would return. Unlike a piped
 * relay, a cancel is seen at once, not when the upstream next sends a chunk.
 */
export function onBodyDone(response: Response, done: () => void): Response {
  const body = response.body;
  if (!body) {
    done();
    return response;
  }
  let called = false;
  const finish = () => {
    if (called) return;
    called = true;
    done();
  };
  const reader = body.getReader();
  const watched = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: end, value } = await reader.read();
        if (end) {
          finish();
          controller.close();
        } else controller.enqueue(value);
      } catch (err) {
        finish();
        controller.error(err);
      }
    },
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  });
  return new Response(watched, response);
}
