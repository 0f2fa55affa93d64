// W3C Trace Context (https://www.w3.org/TR/trace-context/): reading a client's `traceparent`,
// and the one this router sends upstream. A valid incoming trace is continued (same trace id, our
// span as the parent, its sampled flag kept: Traefik's ParentBased sampler); an absent or invalid
// one starts a new trace, sampled at the configured rate. `tracestate` travels only with a valid
// traceparent (W3C: a vendor's state means nothing without its trace).

export interface TraceParent {
  readonly traceId: string;
  readonly spanId: string;
  readonly sampled: boolean;
}

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const HEX2 = /^[0-9a-f]{2}$/;
const ZERO32 = "0".repeat(32);
const ZERO16 = "0".repeat(16);

/**
 * A traceparent header value, or null when W3C says to ignore it: lower-case hex only; version
 * "ff" is invalid; version 00 is exactly 55 characters; a later version may append fields after a
 * "-" (read as version 00); trace id and parent id must not be all zeros.
 */
export function parseTraceParent(value: string | null): TraceParent | null {
  if (value === null) return null;
  const text = value.trim();
  const version = text.slice(0, 2);
  if (!HEX2.test(version) || version === "ff") return null;
  if (version === "00" ? text.length !== 55 : text.length < 55 || (text.length > 55 && text[55] !== "-")) return null;
  if (text[2] !== "-" || text[35] !== "-" || text[52] !== "-") return null;
  const traceId = text.slice(3, 35);
  const spanId = text.slice(36, 52);
  const flags = text.slice(53, 55);
  if (!HEX32.test(traceId) || traceId === ZERO32 || !HEX16.test(spanId) || spanId === ZERO16 || !HEX2.test(flags)) return null;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

export function formatTraceParent(trace: TraceParent): string {
  return `00-${trace.traceId}-${trace.spanId}-${trace.sampled ? "01" : "00"}`;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

// Random bytes drawn 4 KiB at a time: one crypto.getRandomValues call costs microseconds, so
// drawing per id would cost more than the rest of the access log.
const POOL = new Uint8Array(4096);
let used = POOL.length;

/** `bytes` random bytes as lower-case hex, never all zeros (W3C forbids the all-zero id). */
export function randomHex(bytes: 8 | 16): string {
  if (used + bytes > POOL.length) {
    crypto.getRandomValues(POOL);
    used = 0;
  }
  let out = "";
  let zero = true;
  for (let i = used; i < used + bytes; i++) {
    const b = POOL[i]!;
    if (b !== 0) zero = false;
    out += HEX[b];
  }
  used += bytes;
  return zero ? out.slice(0, -2) + "01" : out;
}

/** This request's trace: the client's continued, or a new one sampled at `sampleRate` (0..1). */
export interface RequestTrace {
  readonly traceId: string;
  /** Our span: the parent id the upstream sees. */
  readonly spanId: string;
  /** The client's span, when the trace came in. */
  readonly parentSpanId: string | null;
  readonly sampled: boolean;
  /** Sent upstream. */
  readonly traceparent: string;
  readonly tracestate: string | null;
}

export function traceFor(headers: Headers, sampleRate: number, random: () => number = Math.random): RequestTrace {
  const incoming = parseTraceParent(headers.get("traceparent"));
  const spanId = randomHex(8);
  const traceId = incoming?.traceId ?? randomHex(16);
  const sampled = incoming ? incoming.sampled : sampleRate >= 1 || (sampleRate > 0 && random() < sampleRate);
  return {
    traceId,
    spanId,
    parentSpanId: incoming?.spanId ?? null,
    sampled,
    traceparent: formatTraceParent({ traceId, spanId, sampled }),
    tracestate: incoming ? headers.get("tracestate") : null,
  };
}
