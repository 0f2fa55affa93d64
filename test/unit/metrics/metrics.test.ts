// The recorder, the merge and the exposition, in Node: what a request adds, what a flush carries,
// what the text says once parsed by a Prometheus text parser.
import { describe, expect, it } from "vitest";
import { Recorder, type RequestSample } from "../../../worker/metrics/recorder.ts";
import { exposition } from "../../../worker/metrics/exposition.ts";
import { IsolateMetrics, memorySink, type MetricsSink } from "../../../worker/metrics/isolate.ts";
import { SeriesTable } from "../../../worker/metrics/series.ts";
import { methodOf, protocolOf, qualified } from "../../../worker/metrics/request.ts";
import { writePoints } from "../../../worker/metrics/analytics.ts";
import { countingReloads } from "../../../worker/metrics/reloads.ts";
import { sampleServerUp } from "../../../worker/metrics/health.ts";
import { matching, parseScrape, total } from "../../worker/helpers/prometheus.ts";

const sample = (over: Partial<RequestSample> = {}): RequestSample => withKey({
  code: "200",
  method: "GET",
  protocol: "http",
  router: "api@switchyard",
  routerService: "api@switchyard",
  service: "api@switchyard",
  seconds: 0.05,
  serviceSeconds: 0.04,
  retries: 0,
  ...over,
});

/** The recorder keys router cells by router and service joined, as request.ts makes them once per snapshot. */
function withKey(s: Omit<RequestSample, "routerKey">): RequestSample {
  return { ...s, routerKey: `${s.router}\u0000${s.routerService}` };
}

function render(recorder: Recorder): ReturnType<typeof parseScrape> {
  const table = new SeriesTable(10_000);
  for (const x of recorder.take().series) table.add(x);
  return parseScrape(exposition(table.series(), table.dropped));
}

describe("recorder and exposition", () => {
  it("counts requests by Traefik's labels, with histograms in Traefik's default buckets", () => {
    const r = new Recorder();
    r.request(sample({ seconds: 0.05 }));
    r.request(sample({ seconds: 0.2 }));
    r.request(sample({ seconds: 2 }));
    r.request(sample({ seconds: 9 }));
    r.request(sample({ code: "502", seconds: 0.1 }));
    const s = render(r);
    expect(s.families.get("traefik_router_requests_total")?.type).toBe("COUNTER");
    expect(s.families.get("traefik_router_request_duration_seconds")?.type).toBe("HISTOGRAM");
    const labels = { code: "200", method: "GET", protocol: "http", router: "api@switchyard", service: "api@switchyard" };
    expect(total(s, "traefik_router_requests_total", labels)).toBe(4);
    expect(total(s, "traefik_router_requests_total", { ...labels, code: "502" })).toBe(1);
    const buckets = Object.fromEntries(matching(s, "traefik_router_request_duration_seconds_bucket", labels).map((m) => [m.labels.le, m.value]));
    expect(buckets).toEqual({ "0.1": 1, "0.3": 2, "1.2": 2, "5": 3, "+Inf": 4 });
    expect(total(s, "traefik_router_request_duration_seconds_count", labels)).toBe(4);
    expect(total(s, "traefik_router_request_duration_seconds_sum", labels)).toBeCloseTo(11.25, 9);
    // 0.1 is in le="0.1": buckets are upper bounds, inclusive.
    expect(total(s, "traefik_router_request_duration_seconds_bucket", { ...labels, code: "502", le: "0.1" })).toBe(1);
    expect(total(s, "traefik_entrypoint_requests_total", { entrypoint: "http", code: "200" })).toBe(4);
    expect(total(s, "traefik_service_requests_total", { service: "api@switchyard", code: "200" })).toBe(4);
    expect(total(s, "traefik_service_request_duration_seconds_sum", { service: "api@switchyard", code: "200" })).toBeCloseTo(0.16, 9);
  });

  it("a request no router matched counts on the entry point only", () => {
    const r = new Recorder();
    r.request(sample({ code: "404", router: null, service: null }));
    const s = render(r);
    expect(total(s, "traefik_entrypoint_requests_total", { code: "404" })).toBe(1);
    expect(s.families.has("traefik_router_requests_total")).toBe(false);
  });

  it("retries, reloads and server health", () => {
    const r = new Recorder();
    r.request(sample({ retries: 2 }));
    r.request(sample({ retries: 1 }));
    r.reload(true, 5_000);
    r.reload(false, 6_000);
    r.serverUp("api@switchyard", "http://a", true, 1);
    r.serverUp("api@switchyard", "http://b", false, 1);
    const s = render(r);
    expect(total(s, "traefik_service_retries_total", { service: "api@switchyard" })).toBe(3);
    expect(total(s, "traefik_config_reloads_total")).toBe(2);
    expect(total(s, "traefik_config_last_reload_success")).toBe(5);
    expect(s.families.get("traefik_service_server_up")?.type).toBe("GAUGE");
    expect(total(s, "traefik_service_server_up", { url: "http://a" })).toBe(1);
    expect(total(s, "traefik_service_server_up", { url: "http://b" })).toBe(0);
  });

  it("escapes label values so that a parser reads them back exactly", () => {
    const r = new Recorder();
    const odd = 'we"ird\\name\nwith newline';
    r.request(sample({ router: odd, routerService: "s" }));
    const s = render(r);
    expect(matching(s, "traefik_router_requests_total")[0]?.labels.router).toBe(odd);
  });

  it("bounds the series an isolate keeps and counts what it dropped", () => {
    const r = new Recorder(3);
    for (let i = 0; i < 5; i++) r.request(sample({ router: `r${i}`, service: null }));
    // entry point (1 series) + r0 + r1; r2..r4 are dropped.
    const s = render(r);
    expect(matching(s, "traefik_router_requests_total").length).toBe(2);
    expect(total(s, "switchyard_metrics_dropped_series_total")).toBe(3);
    expect(total(s, "traefik_entrypoint_requests_total")).toBe(5);
  });

  it("a take starts afresh, and a restored batch comes back whole in the next one", () => {
    const r = new Recorder();
    r.request(sample({ retries: 1 }));
    r.reload(true, 1_000);
    const first = r.take();
    expect(r.empty).toBe(true);
    r.request(sample());
    r.restore(first);
    const s = render(r);
    expect(total(s, "traefik_router_requests_total")).toBe(2);
    expect(total(s, "traefik_router_request_duration_seconds_count")).toBe(2);
    expect(total(s, "traefik_service_retries_total")).toBe(1);
    expect(total(s, "traefik_config_reloads_total")).toBe(1);
  });

  it("merges deltas from several isolates: counters add, last_reload_success keeps the latest, server_up the last seen", () => {
    const a = new Recorder();
    const b = new Recorder();
    a.request(sample());
    b.request(sample());
    b.request(sample());
    a.reload(true, 9_000);
    b.reload(true, 4_000);
    a.serverUp("s", "u", false, 10);
    b.serverUp("s", "u", true, 20);
    const table = new SeriesTable(100);
    for (const x of [...b.take().series, ...a.take().series]) table.add(x);
    const s = parseScrape(exposition(table.series()));
    expect(total(s, "traefik_router_requests_total")).toBe(3);
    expect(total(s, "traefik_config_reloads_total")).toBe(2);
    expect(total(s, "traefik_config_last_reload_success")).toBe(9);
    expect(total(s, "traefik_service_server_up")).toBe(1);
  });

  it("the store refuses malformed series from the wire", () => {
    const table = new SeriesTable(100);
    expect(table.add({ f: "nope", l: [], v: 1 })).toBeNull();
    expect(table.add({ f: "traefik_service_retries_total", l: [], v: 1 })).toBeNull();
    expect(table.add({ f: "traefik_service_retries_total", l: ["s"], v: Number.NaN })).toBeNull();
    expect(table.add({ f: "traefik_router_request_duration_seconds", l: ["1", "2", "3", "4", "5"], v: 1, s: 1, b: [1] })).toBeNull();
    expect(table.series()).toEqual([]);
  });
});

describe("labels", () => {
  it("protocol as Traefik's getRequestProtocol, from one header read at most", () => {
    const h = (o: Record<string, string>) => new Headers(o);
    expect(protocolOf("GET", h({ connection: "Upgrade", upgrade: "websocket" }), 101)).toBe("websocket");
    expect(protocolOf("GET", h({ accept: "text/html, text/event-stream" }), 200)).toBe("sse");
    expect(protocolOf("POST", h({ "content-type": "application/grpc-web+proto" }), 200)).toBe("grpc-web");
    expect(protocolOf("POST", h({ "content-type": "application/grpc" }), 200)).toBe("grpc");
    expect(protocolOf("POST", h({ "content-type": "application/json" }), 200)).toBe("http");
    expect(protocolOf("GET", h({}), 200)).toBe("http");
    // Where it differs from Traefik (documented): a refused handshake, SSE asked for by POST.
    expect(protocolOf("GET", h({ connection: "Upgrade", upgrade: "websocket" }), 400)).toBe("http");
    expect(protocolOf("POST", h({ accept: "text/event-stream" }), 200)).toBe("http");
  });

  it("methods outside HTTP's set are EXTENSION_METHOD (bounded cardinality, Traefik's getMethod)", () => {
    expect(methodOf("PATCH")).toBe("PATCH");
    expect(methodOf("PROPFIND")).toBe("EXTENSION_METHOD");
  });

  it("names are qualified with the provider unless they name one", () => {
    expect(qualified("api", "switchyard")).toBe("api@switchyard");
    expect(qualified("api@internal", "switchyard")).toBe("api@internal");
  });
});

describe("isolate flush", () => {
  it("flushes at most every interval, one at a time, and not when nothing happened", async () => {
    let now = 0;
    let pushes = 0;
    const inner = memorySink();
    const sink: MetricsSink = { push: (b) => (pushes++, inner.push(b)), read: inner.read };
    const m = new IsolateMetrics(sink, { intervalMs: 10_000, now: () => now });
    m.recorder.request(sample());
    expect(m.maybeFlush()).toBeNull();
    now = 9_999;
    expect(m.maybeFlush()).toBeNull();
    now = 10_000;
    const flushing = m.maybeFlush();
    expect(flushing).not.toBeNull();
    expect(m.maybeFlush()).toBeNull();
    await flushing;
    expect(pushes).toBe(1);
    now = 30_000;
    await m.maybeFlush();
    expect(pushes).toBe(1);
  });

  it("a failed flush keeps its deltas for the next one", async () => {
    let fail = true;
    const inner = memorySink();
    const sink: MetricsSink = { push: (b) => (fail ? Promise.reject(new Error("store down")) : inner.push(b)), read: inner.read };
    const m = new IsolateMetrics(sink, { intervalMs: 1 });
    const error = console.error;
    console.error = () => {};
    try {
      m.recorder.request(sample());
      await m.flush();
      expect(m.failures).toBe(1);
    } finally {
      console.error = error;
    }
    m.recorder.request(sample());
    fail = false;
    const s = parseScrape(await m.scrape());
    expect(total(s, "traefik_router_requests_total")).toBe(2);
  });

  it("a dataset that throws does not cost the store its batch", async () => {
    const sink = memorySink();
    const dataset = {
      writeDataPoint: () => {
        throw new Error("limit");
      },
    };
    const m = new IsolateMetrics(sink, { intervalMs: 1, dataset });
    const error = console.error;
    console.error = () => {};
    try {
      m.recorder.request(sample());
      await m.flush();
    } finally {
      console.error = error;
    }
    expect(total(parseScrape(await m.scrape()), "traefik_router_requests_total")).toBe(1);
  });

  it("counts config reloads through the listener it wraps", async () => {
    const r = new Recorder();
    const ok = countingReloads(async () => {}, r, () => 7_000);
    const bad = countingReloads(async () => Promise.reject(new Error("rejected")), r, () => 8_000);
    await ok({});
    await expect(bad({})).rejects.toThrow("rejected");
    const s = render(r);
    expect(total(s, "traefik_config_reloads_total")).toBe(2);
    expect(total(s, "traefik_config_last_reload_success")).toBe(7);
  });
});

describe("Analytics Engine points", () => {
  it("one point per histogram series (its count and sum), columns fixed by label name", () => {
    const r = new Recorder();
    r.request(sample({ retries: 1 }));
    const points: { blobs?: string[]; doubles?: number[]; indexes?: string[] }[] = [];
    const labels = (name: string) =>
      ({
        traefik_entrypoint_request_duration_seconds: ["code", "method", "protocol", "entrypoint"],
        traefik_router_request_duration_seconds: ["code", "method", "protocol", "router", "service"],
        traefik_service_request_duration_seconds: ["code", "method", "protocol", "service"],
        traefik_service_retries_total: ["service"],
      })[name] ?? [];
    expect(writePoints({ writeDataPoint: (p) => points.push(p) }, r.take(), (x) => labels(x.f))).toBe(0);
    expect(points.map((p) => p.blobs?.[0])).toEqual([
      "traefik_entrypoint_request_duration_seconds",
      "traefik_router_request_duration_seconds",
      "traefik_service_request_duration_seconds",
      "traefik_service_retries_total",
    ]);
    const router = points[1]!;
    expect(router.blobs).toEqual(["traefik_router_request_duration_seconds", "200", "GET", "http", "api@switchyard", "api@switchyard", "", ""]);
    expect(router.doubles).toEqual([1, 0.05, 1, 0, 0, 0]);
    expect(router.indexes).toEqual(["traefik_router_request_duration_seconds"]);
  });

  it("stops at 250 points per flush (Cloudflare's per-invocation limit) and says how many were left", () => {
    const r = new Recorder(10_000);
    for (let i = 0; i < 300; i++) r.request(sample({ router: `r${i}`, service: null }));
    let written = 0;
    const left = writePoints({ writeDataPoint: () => void written++ }, r.take(), () => []);
    expect(written).toBe(250);
    expect(left).toBe(51);
  });
});

describe("server health gauge", () => {
  it("samples every server of the health-checked services at flush time, none of the others", () => {
    const server = (url: string) => ({ configuredURL: url });
    const checked = { active: {}, servers: [server("http://a:1"), server("http://b:1")], status: (s: { configuredURL: string }) => (s.configuredURL === "http://a:1" ? "UP" : "DOWN") };
    const unchecked = { active: null, servers: [server("http://c:1")], status: () => "UP" };
    const snapshot = { meta: { provider: "kv" }, services: new Map<string, unknown>([["api", { pool: checked }], ["plain", { pool: unchecked }], ["weighted", { pool: null }]]) };
    const r = new Recorder();
    sampleServerUp(() => snapshot as never)(r, 1_000);
    const s = render(r);
    expect(matching(s, "traefik_service_server_up").map((m) => [m.labels.service, m.labels.url, m.value])).toEqual([
      ["api@kv", "http://a:1", 1],
      ["api@kv", "http://b:1", 0],
    ]);
  });
});
