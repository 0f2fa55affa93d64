// Body helpers for the traffic middlewares: reading a stream up to a limit without losing what was
// read, throwing away answers nobody will read, and noticing when a response body is done.

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

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
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

/** Throw away a body nobody will read (a retried attempt's answer), so its connection is freed. */
export function discard(response: Response): void {
  response.body?.cancel().catch(() => {});
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
