// OTLP/HTTP export of one span per request (JSON encoding, POST to the collector's /v1/traces),
// off the hot path: spans wait in memory and go out in ctx.waitUntil, at most `flushMs` after the
// first span of a batch or as soon as `maxBatch` are waiting. The queue is bounded: past `maxQueue`
// the oldest spans are dropped and counted. A failed export is logged and its spans are lost (the
// isolate may be evicted at any time anyway: tracing here is best effort, as Traefik's exporter).
import type { OtlpOptions } from "./options.ts";

export type AttributeValue = string | number | boolean;

export interface Span {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly attributes: Readonly<Record<string, AttributeValue | undefined>>;
  /** OTel status: an error for a 5xx answer (server spans), unset otherwise. */
  readonly error: boolean;
}

export type Post = (url: string, init: RequestInit) => Promise<Response>;

export class SpanExporter {
  private queue: Span[] = [];
  private scheduled = false;
  private inFlight: Promise<void> | null = null;
  /** Spans dropped because the queue was full, since the isolate started. */
  dropped = 0;

  private readonly options: OtlpOptions;
  private readonly serviceName: string;
  private readonly post: Post;

  constructor(options: OtlpOptions, serviceName: string, post: Post = (url, init) => fetch(url, init)) {
    this.options = options;
    this.serviceName = serviceName;
    this.post = post;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Queue a span; schedules its export through `waitUntil` (no request waits for it). */
  add(span: Span, waitUntil: (p: Promise<unknown>) => void): void {
    this.queue.push(span);
    if (this.queue.length > this.options.maxQueue) {
      this.queue.shift();
      this.dropped++;
    }
    if (this.queue.length >= this.options.maxBatch || this.options.flushMs === 0) {
      waitUntil(this.flush());
    } else if (!this.scheduled) {
      this.scheduled = true;
      waitUntil(new Promise((resolve) => setTimeout(resolve, this.options.flushMs)).then(() => this.flush()));
    }
  }

  /** Sends everything queued, a batch at a time; one flush at a time. */
  async flush(): Promise<void> {
    this.scheduled = false;
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.drain().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      try {
        const res = await this.post(this.options.endpoint, {
          method: "POST",
          headers: { "content-type": "application/json", ...this.options.headers },
          body: JSON.stringify(exportRequest(batch, this.serviceName, this.dropped)),
        });
        await res.body?.cancel();
        if (!res.ok) console.error(`OTLP export to ${this.options.endpoint}: HTTP ${res.status}; ${batch.length} spans lost`);
      } catch (err) {
        console.error(`OTLP export to ${this.options.endpoint} failed; ${batch.length} spans lost:`, err);
      }
    }
  }
}

function attribute(key: string, value: AttributeValue) {
  if (typeof value === "boolean") return { key, value: { boolValue: value } };
  if (typeof value === "number") return Number.isInteger(value) ? { key, value: { intValue: String(value) } } : { key, value: { doubleValue: value } };
  return { key, value: { stringValue: value } };
}

function attributes(record: Readonly<Record<string, AttributeValue | undefined>>) {
  const out = [];
  for (const key in record) {
    const value = record[key];
    if (value !== undefined) out.push(attribute(key, value));
  }
  return out;
}

/** Nanoseconds since the epoch as a decimal string (OTLP/JSON's uint64), from milliseconds. */
function unixNano(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

/** SPAN_KIND_SERVER */
const SERVER = 2;

/** The ExportTraceServiceRequest (OTLP/JSON: ids in hex, 64-bit integers as strings). */
export function exportRequest(spans: readonly Span[], serviceName: string, dropped = 0) {
  return {
    resourceSpans: [
      {
        resource: { attributes: attributes({ "service.name": serviceName, "switchyard.spans.dropped": dropped }) },
        scopeSpans: [
          {
            scope: { name: "switchyard" },
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              kind: SERVER,
              startTimeUnixNano: unixNano(s.startMs),
              endTimeUnixNano: unixNano(s.endMs),
              attributes: attributes(s.attributes),
              status: s.error ? { code: 2 } : {},
            })),
          },
        ],
      },
    ],
  };
}
