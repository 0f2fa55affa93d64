// The span exporter: batched, flushed through waitUntil (never on the request), bounded.
import { describe, expect, it } from "vitest";
import { SpanExporter, exportRequest, type Span } from "../../../worker/observe/otlp.ts";

const span = (i: number): Span => ({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: i.toString(16).padStart(16, "0"), parentSpanId: null, name: `GET r${i}`, startMs: 1000, endMs: 1001.5, attributes: { "http.response.status_code": 200, "url.path": "/", skip: undefined }, error: false });

function recorder() {
  const bodies: { spans: { name: string }[] }[] = [];
  const post = async (_url: string, init: RequestInit) => {
    const body = JSON.parse(init.body as string);
    bodies.push({ spans: body.resourceSpans[0].scopeSpans[0].spans });
    return new Response(null, { status: 200 });
  };
  return { bodies, post };
}

describe("SpanExporter", () => {
  it("waits for flushMs after a batch's first span, then sends every queued span in one request", async () => {
    const { bodies, post } = recorder();
    const exporter = new SpanExporter({ endpoint: "http://c/v1/traces", headers: {}, flushMs: 20, maxBatch: 10, maxQueue: 100 }, "svc", post);
    const waits: Promise<unknown>[] = [];
    exporter.add(span(1), (p) => waits.push(p));
    exporter.add(span(2), (p) => waits.push(p));
    expect(waits).toHaveLength(1); // one scheduled flush for the batch
    expect(bodies).toHaveLength(0); // nothing sent on the request
    await Promise.all(waits);
    expect(bodies.map((b) => b.spans.map((s) => s.name))).toEqual([["GET r1", "GET r2"]]);
  });

  it("flushes at once when a batch is full, and drops the oldest past maxQueue (counted)", async () => {
    const { bodies, post } = recorder();
    const exporter = new SpanExporter({ endpoint: "http://c/v1/traces", headers: {}, flushMs: 60_000, maxBatch: 3, maxQueue: 3 }, "svc", post);
    const waits: Promise<unknown>[] = [];
    for (let i = 1; i <= 3; i++) exporter.add(span(i), (p) => waits.push(p));
    await waits[1];
    expect(bodies.map((b) => b.spans.length)).toEqual([3]);
    const blocked = new SpanExporter({ endpoint: "http://c/v1/traces", headers: {}, flushMs: 60_000, maxBatch: 100, maxQueue: 2 }, "svc", post);
    for (let i = 1; i <= 4; i++) blocked.add(span(i), () => {});
    expect(blocked.pending).toBe(2);
    expect(blocked.dropped).toBe(2);
  });

  it("writes OTLP/JSON: hex ids, nanosecond strings, typed attributes, a server span", () => {
    const body = exportRequest([span(1)], "svc");
    const s = body.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(body.resourceSpans[0]!.resource.attributes).toContainEqual({ key: "service.name", value: { stringValue: "svc" } });
    expect(s).toMatchObject({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "0000000000000001", kind: 2, startTimeUnixNano: "1000000000", endTimeUnixNano: "1001500000" });
    expect(s.attributes).toEqual([
      { key: "http.response.status_code", value: { intValue: "200" } },
      { key: "url.path", value: { stringValue: "/" } },
    ]);
  });
});
