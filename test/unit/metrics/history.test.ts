// The metrics history, in Node: a recorder's batch folded into slot rows, the window checks, rows
// of several shards summed into points, the p50/p99 estimate from the buckets, the memory sink's
// hour bound and name cap.
import { describe, expect, it } from "vitest";
import { Recorder, type RequestSample } from "../../../worker/metrics/recorder.ts";
import { history, historyRows, historyWindow, quantile, ROUTER, SERVICE, SLOT_MAX_NAMES, type HistoryRow } from "../../../worker/metrics/history.ts";
import { IsolateMetrics, memorySink } from "../../../worker/metrics/isolate.ts";

function sample(over: Partial<RequestSample> = {}): RequestSample {
  const s = { code: "200", method: "GET", protocol: "http", router: "api@file", routerService: "svc@file", service: "svc@file", seconds: 0.05, serviceSeconds: 0.04, retries: 0, ...over };
  return { ...s, routerKey: `${s.router}\u0000${s.routerService}` };
}

describe("historyRows", () => {
  it("sums a batch per router and per service, counting 5xx, from the histograms only", () => {
    const r = new Recorder();
    for (let i = 0; i < 3; i++) r.request(sample());
    r.request(sample({ method: "POST", seconds: 0.2, serviceSeconds: 0.2 }));
    r.request(sample({ code: "502", seconds: 2, serviceSeconds: 9 }));
    r.request(sample({ code: "404", router: "other@file", routerService: "svc@file" }));
    const rows = historyRows(r.take(), 1000);
    const api = rows.find((x) => x.k === ROUTER && x.name === "api@file");
    // requests, 5xx, then buckets 0.1, 0.3, 1.2, 5 (not cumulative)
    expect(api).toEqual({ t: 1000, k: ROUTER, name: "api@file", n: [5, 1, 3, 1, 0, 1] });
    expect(rows.find((x) => x.k === ROUTER && x.name === "other@file")?.n).toEqual([1, 0, 1, 0, 0, 0]);
    // The 9 s service observation is above the last bucket: counted in requests only.
    expect(rows.find((x) => x.k === SERVICE)).toEqual({ t: 1000, k: SERVICE, name: "svc@file", n: [6, 1, 4, 1, 0, 0] });
    expect(rows).toHaveLength(3);
  });

  it("skips malformed series (a store never trusts the wire)", () => {
    const bad = { series: [{ f: "traefik_router_request_duration_seconds", l: ["200", "GET", "http", "x", "y"], v: -1, s: 0, b: [0, 0, 0, 0] }, { f: "traefik_router_request_duration_seconds", l: ["200"], v: 1, b: [1] }] };
    expect(historyRows(bad, 0)).toEqual([]);
    expect(historyRows({} as never, 0)).toEqual([]);
  });
});

describe("historyWindow", () => {
  const now = 1_764_770_123_456;
  it("ends with the interval holding now; window/step give the points", () => {
    expect(historyWindow("3600", "60", now)).toEqual({ start: 1_764_770_160 - 3600, step: 60, points: 60 });
    expect(historyWindow(null, null, now)).toEqual({ start: 1_764_770_160 - 3600, step: 60, points: 60 });
    expect(historyWindow("600", "10", now)).toEqual({ start: 1_764_770_130 - 600, step: 10, points: 60 });
    // A window that is not a multiple of the step rounds the points up.
    expect(historyWindow("100", "30", now)).toEqual({ start: 1_764_770_130 - 120, step: 30, points: 4 });
  });

  it("refuses what the contract does not allow, saying why", () => {
    for (const [w, s] of [["3601", "60"], ["0", "10"], ["abc", "60"], ["60.5", "10"]] as const) expect(historyWindow(w, s, now)).toMatch(/^window must be/);
    for (const [w, s] of [["3600", "5"], ["3600", "15"], ["60", "120"], ["3600", "x"], ["3600", ""]] as const) expect(historyWindow(w, s, now)).toMatch(/^step must be/);
  });
});

describe("quantile (Prometheus histogram_quantile over 0.1, 0.3, 1.2, 5)", () => {
  it("interpolates linearly inside the bucket the rank falls in", () => {
    // 10 observations all ≤ 0.1: p50 rank 5 of 10 in [0, 0.1] → 0.05; p99 → 0.099.
    expect(quantile(0.5, 10, [10, 0, 0, 0])).toBeCloseTo(0.05, 12);
    expect(quantile(0.99, 10, [10, 0, 0, 0])).toBeCloseTo(0.099, 12);
    // 4 in [0,0.1], 4 in (0.1,0.3], 2 in (0.3,1.2]: p50 rank 5 → 0.1 + 0.2 * 1/4 = 0.15; p99 rank 9.9 → 0.3 + 0.9 * 1.9/2.
    expect(quantile(0.5, 10, [4, 4, 2, 0])).toBeCloseTo(0.15, 12);
    expect(quantile(0.99, 10, [4, 4, 2, 0])).toBeCloseTo(0.3 + 0.9 * 0.95, 12);
  });

  it("a rank in +Inf answers the largest finite bound; no observations answer null", () => {
    expect(quantile(0.99, 10, [5, 0, 0, 0])).toBe(5);
    expect(quantile(0.5, 0, [0, 0, 0, 0])).toBeNull();
  });
});

describe("history", () => {
  const w = { start: 1000, step: 60, points: 3 };
  const row = (t: number, k: 0 | 1, name: string, n: number[]): HistoryRow => ({ t, k, name, n });

  it("sums slots into points and shards into one figure; empty points are 0 and null", () => {
    const shardA = [row(1000, ROUTER, "api@file", [4, 1, 4, 0, 0, 0]), row(1050, ROUTER, "api@file", [6, 0, 0, 6, 0, 0])];
    const shardB = [row(1000, ROUTER, "api@file", [10, 2, 10, 0, 0, 0]), row(1120, SERVICE, "svc@file", [1, 1, 0, 0, 1, 0])];
    const out = history([...shardA, ...shardB, row(990, ROUTER, "api@file", [99, 0, 0, 0, 0, 0]), row(1180, ROUTER, "api@file", [99, 0, 0, 0, 0, 0])], w);
    expect(out.start).toBe(1000);
    expect(out.points).toBe(3);
    expect(out.routers["api@file"]!.requests).toEqual([20, 0, 0]);
    expect(out.routers["api@file"]!.errors).toEqual([3, 0, 0]);
    // 14 in [0,0.1], 6 in (0.1,0.3]: p50 rank 10 → 0.1 * 10/14.
    expect(out.routers["api@file"]!.p50[0]).toBeCloseTo(0.1 * (10 / 14), 12);
    expect(out.routers["api@file"]!.p50.slice(1)).toEqual([null, null]);
    expect(out.services["svc@file"]).toEqual({ requests: [0, 0, 1], errors: [0, 0, 1], p50: [null, null, 0.3 + 0.9 * 0.5], p99: [null, null, expect.closeTo(0.3 + 0.9 * 0.99, 12)] });
    expect(out).not.toHaveProperty("dropped");
  });
});

describe("memorySink history", () => {
  it("keeps an hour of slots, and past SLOT_MAX_NAMES names in a slot counts the rest as dropped", async () => {
    let now = 1_764_770_000_000;
    const m = new IsolateMetrics(memorySink(() => now), { intervalMs: 1, now: () => now });
    m.recorder.request(sample());
    await m.flush();
    now += 3 * 60_000;
    m.recorder.request(sample({ code: "500" }));
    const w = historyWindow("3600", "60", now) as Exclude<ReturnType<typeof historyWindow>, string>;
    const first = await m.history(w);
    expect(first.routers["api@file"]!.requests.reduce((a, b) => a + b)).toBe(2);
    expect(first.routers["api@file"]!.errors.at(-1)).toBe(1);
    // An hour and a slot later the first two flushes are gone.
    now += 3600_000 + 10_000;
    for (let i = 0; i < SLOT_MAX_NAMES + 5; i++) m.recorder.request(sample({ router: `r${i}@file`, routerService: "svc@file" }));
    const later = await m.history(historyWindow("3600", "60", now) as typeof w);
    // The batch lists routers before services: 500 routers kept, 5 routers and the service left out.
    expect(Object.keys(later.routers)).toHaveLength(SLOT_MAX_NAMES);
    expect(later.services).toEqual({});
    expect(later.dropped).toBe(5 + SLOT_MAX_NAMES + 5);
    expect(Object.values(later.routers).every((s) => s.errors.every((e) => e === 0))).toBe(true);
  });
});
