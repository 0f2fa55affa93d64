// Looking at the start of a response body without consuming it: read a few chunks, then hand on a
// stream that replays them and continues with the rest. Never more than asked is held.

type Chunk = ReadableStreamReadResult<Uint8Array>;

export interface Peeked {
  /** The chunks read so far, in order. */
  readonly chunks: readonly Uint8Array[];
  readonly bytes: number;
  /** The body ended within what was read. */
  readonly done: boolean;
  /** The body as a whole again (read chunks first): use it instead of the original. */
  readonly body: ReadableStream<Uint8Array>;
}

/** The next chunk, or "stalled" if none arrives within `ms` (the read stays pending for later). */
async function readWithin(pending: Promise<Chunk>, ms: number): Promise<Chunk | "stalled"> {
  if (ms <= 0) return pending;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<"stalled">((resolve) => (timer = setTimeout(() => resolve("stalled"), ms)));
  try {
    return await Promise.race([pending, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

function replay(chunks: readonly Uint8Array[], pending: Promise<Chunk> | null, reader: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  const queue = [...chunks];
  let next = pending;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const buffered = queue.shift();
      if (buffered) return controller.enqueue(buffered);
      const result = await (next ?? reader.read());
      next = null;
      if (result.done) controller.close();
      else controller.enqueue(result.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * Reads until `want` bytes are in, the body ends, or (stallMs > 0) no chunk comes for stallMs: a
 * streaming response must not wait for bytes that may be long in coming.
 */
export async function peek(body: ReadableStream<Uint8Array>, want: number, stallMs = 0): Promise<Peeked> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let pending: Promise<Chunk> | null = null;
  while (bytes < want) {
    pending ??= reader.read();
    const result = await readWithin(pending, stallMs);
    if (result === "stalled") break;
    pending = null;
    if (result.done) return { chunks, bytes, done: true, body: replay(chunks, null, reader) };
    if (result.value.byteLength === 0) continue;
    chunks.push(result.value);
    bytes += result.value.byteLength;
  }
  return { chunks, bytes, done: false, body: replay(chunks, pending, reader) };
}

/** The first `max` bytes of what was read, as one array. */
export function head(chunks: readonly Uint8Array[], max: number): Uint8Array {
  const out = new Uint8Array(Math.min(max, chunks.reduce((n, c) => n + c.byteLength, 0)));
  let at = 0;
  for (const chunk of chunks) {
    if (at >= out.length) break;
    const part = chunk.subarray(0, out.length - at);
    out.set(part, at);
    at += part.length;
  }
  return out;
}
