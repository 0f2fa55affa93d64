// W3C Trace Context's parsing rules (https://www.w3.org/TR/trace-context/#traceparent-header), and
// the trace this router continues or starts.
import { describe, expect, it } from "vitest";
import { formatTraceParent, parseTraceParent, randomHex, traceFor } from "../../../worker/observe/traceparent.ts";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT = "00f067aa0ba902b7";

describe("parseTraceParent", () => {
  it("reads version 00 with its sampled flag", () => {
    expect(parseTraceParent(`00-${TRACE}-${PARENT}-01`)).toEqual({ traceId: TRACE, spanId: PARENT, sampled: true });
    expect(parseTraceParent(`00-${TRACE}-${PARENT}-00`)?.sampled).toBe(false);
    // Other flag bits are not the sampled bit.
    expect(parseTraceParent(`00-${TRACE}-${PARENT}-02`)?.sampled).toBe(false);
    expect(parseTraceParent(`00-${TRACE}-${PARENT}-03`)?.sampled).toBe(true);
  });

  it.each([
    ["all-zero trace id", `00-${"0".repeat(32)}-${PARENT}-01`],
    ["all-zero parent id", `00-${TRACE}-${"0".repeat(16)}-01`],
    ["upper-case hex", `00-${TRACE.toUpperCase()}-${PARENT}-01`],
    ["version ff", `ff-${TRACE}-${PARENT}-01`],
    ["version 00 with more fields", `00-${TRACE}-${PARENT}-01-extra`],
    ["short trace id", `00-${TRACE.slice(1)}-${PARENT}-01`],
    ["wrong separator", `00_${TRACE}-${PARENT}-01`],
    ["non-hex flags", `00-${TRACE}-${PARENT}-0g`],
    ["empty", ""],
  ])("refuses %s", (_, value) => {
    expect(parseTraceParent(value)).toBeNull();
  });

  it("reads a later version as version 00, extra fields after a dash allowed", () => {
    expect(parseTraceParent(`cc-${TRACE}-${PARENT}-01-what-the-future-holds`)).toEqual({ traceId: TRACE, spanId: PARENT, sampled: true });
    expect(parseTraceParent(`cc-${TRACE}-${PARENT}-01x`)).toBeNull();
  });

  it("formats version 00", () => {
    expect(formatTraceParent({ traceId: TRACE, spanId: PARENT, sampled: true })).toBe(`00-${TRACE}-${PARENT}-01`);
  });

  it("makes random ids of the right length in lower-case hex", () => {
    expect(randomHex(16)).toMatch(/^[0-9a-f]{32}$/);
    expect(randomHex(8)).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe("traceFor", () => {
  it("continues a valid trace: same trace id, a new span as parent, the client's flag and tracestate kept", () => {
    const headers = new Headers({ traceparent: `00-${TRACE}-${PARENT}-00`, tracestate: "vendor=x" });
    const trace = traceFor(headers, 1);
    expect(trace.traceId).toBe(TRACE);
    expect(trace.parentSpanId).toBe(PARENT);
    expect(trace.spanId).not.toBe(PARENT);
    expect(trace.sampled).toBe(false); // the parent said not sampled, whatever our rate
    expect(trace.traceparent).toBe(`00-${TRACE}-${trace.spanId}-00`);
    expect(trace.tracestate).toBe("vendor=x");
  });

  it("starts a new trace when the header is absent or invalid, dropping tracestate, sampled at the rate", () => {
    const invalid = new Headers({ traceparent: `00-${"0".repeat(32)}-${PARENT}-01`, tracestate: "vendor=x" });
    const trace = traceFor(invalid, 0);
    expect(trace.traceId).not.toBe("0".repeat(32));
    expect(trace.parentSpanId).toBeNull();
    expect(trace.tracestate).toBeNull();
    expect(trace.sampled).toBe(false);
    expect(parseTraceParent(trace.traceparent)).toEqual({ traceId: trace.traceId, spanId: trace.spanId, sampled: false });
    expect(traceFor(new Headers(), 0.5, () => 0.4).sampled).toBe(true);
    expect(traceFor(new Headers(), 0.5, () => 0.6).sampled).toBe(false);
    expect(traceFor(new Headers(), 1, () => 0.999).sampled).toBe(true);
  });
});
