// The metrics history in the MetricsStore Durable Object: pushes folded into SQLite slots, shards
// summed on read, slots older than an hour deleted by the next push, rows surviving a restart.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { WorkerEnv } from "../../../worker/index.ts";
import { HISTORY_SECONDS, historyWindow, SLOT_MAX_NAMES, slotOf, type HistoryWindow } from "../../../worker/metrics/history.ts";
import { IsolateMetrics, MetricsStore, storeSink } from "../../../worker/metrics/index.ts";
import type { RequestSample } from "../../../worker/metrics/recorder.ts";

const ns = (env as WorkerEnv).METRICS!;

function sample(router: string, over: Partial<RequestSample> = {}): RequestSample {
  const s = { code: "200", method: "GET", protocol: "http", router, routerService: `${router}-svc`, service: `${router}-svc`, seconds: 0.05, serviceSeconds: 0.04, retries: 0, ...over };
  return { ...s, routerKey: `${s.router}\u0000${s.routerService}` };
}

const hour = (): HistoryWindow => historyWindow("3600", "60", Date.now()) as HistoryWindow;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe("MetricsStore history", () => {
  it("sums two isolates' flushes over 3 shards into one series per router and service", async () => {
    const isolates = Array.from({ length: 6 }, (_, i) => new IsolateMetrics(storeSink(ns, 3, `hist-shard-${i}`), { intervalMs: 60_000 }));
    isolates.forEach((m, i) => {
      for (let n = 0; n <= i; n++) m.recorder.request(sample("hist-sharded@kv"));
      m.recorder.request(sample("hist-sharded@kv", { code: "503", seconds: 2 }));
    });
    await Promise.all(isolates.map((m) => m.flush()));
    const out = await new IsolateMetrics(storeSink(ns, 3, "hist-reader"), { intervalMs: 60_000 }).history(hour());
    const r = out.routers["hist-sharded@kv"]!;
    expect(sum(r.requests)).toBe(21 + 6);
    expect(sum(r.errors)).toBe(6);
    expect(r.requests).toHaveLength(60);
    // One point for the hour (the flushes cross a minute boundary now and then, an hour's far less).
    const whole = (await new IsolateMetrics(storeSink(ns, 3, "hist-reader"), { intervalMs: 60_000 }).history(historyWindow("3600", "3600", Date.now()) as HistoryWindow)).routers["hist-sharded@kv"]!;
    expect(whole.requests).toEqual([27]);
    // 21 observations ≤ 0.1 s, 6 in (1.2, 5]: p50 rank 13.5 of 27 falls in the first bucket.
    expect(whole.p50[0]).toBeCloseTo(0.1 * (13.5 / 21), 9);
    expect(whole.p99[0]).toBeCloseTo(1.2 + 3.8 * ((0.99 * 27 - 21) / 6), 9);
    expect(sum(out.services["hist-sharded@kv-svc"]!.requests)).toBe(27);
    // More than one shard holds rows of it.
    const from = out.start;
    const held = await Promise.all([0, 1, 2].map((i) => ns.get(ns.idFromName(`metrics-${i}`)).history(from, from + 3600)));
    expect(held.filter((h) => h.rows.some((row) => row.name === "hist-sharded@kv")).length).toBeGreaterThan(1);
  });

  it("a push deletes the slots older than an hour; rows survive a restart", async () => {
    const stub = ns.get(ns.idFromName("hist-prune"));
    const old = slotOf(Date.now()) - HISTORY_SECONDS - 10;
    await stub.push({ series: [] }); // creates the tables
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("INSERT INTO history (t, k, name, req, err, b0, b1, b2, b3) VALUES (?, 0, 'ancient@kv', 5, 0, 5, 0, 0, 0)", old);
    });
    const m = new IsolateMetrics({ push: (b) => stub.push(b).then(() => {}), read: () => stub.read(), history: (f, t) => stub.history(f, t) }, { intervalMs: 60_000 });
    m.recorder.request(sample("hist-prune@kv"));
    await m.flush();
    const left = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ name: string; t: number }>("SELECT name, t FROM history").toArray());
    expect(left.map((x) => x.name).sort()).toEqual(["hist-prune@kv", "hist-prune@kv-svc"]);
    const reloaded = await runInDurableObject(stub, (_i, state) => new MetricsStore(state, {}).history(0, 2 ** 40));
    expect(reloaded.rows.find((x) => x.name === "hist-prune@kv")?.n).toEqual([1, 0, 1, 0, 0, 0]);
  });

  it("a slot keeps at most SLOT_MAX_NAMES routers and services; the rest is counted as dropped", async () => {
    const stub = ns.get(ns.idFromName("hist-cap"));
    const m = new IsolateMetrics({ push: (b) => stub.push(b).then(() => {}), read: () => stub.read(), history: (f, t) => stub.history(f, t) }, { intervalMs: 60_000 });
    for (let i = 0; i < SLOT_MAX_NAMES + 5; i++) m.recorder.request(sample(`cap-${i}@kv`, { routerService: "cap-svc@kv", service: "cap-svc@kv" }));
    await m.flush();
    const out = await m.history(hour());
    // Routers come before services in a batch: 500 routers kept, 5 routers and the service left out.
    expect(Object.keys(out.routers)).toHaveLength(SLOT_MAX_NAMES);
    expect(out.services).toEqual({});
    expect(out.dropped).toBe(5 + SLOT_MAX_NAMES + 5);
    const rows = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM history").one().n);
    expect(rows).toBe(SLOT_MAX_NAMES);
  });
});
