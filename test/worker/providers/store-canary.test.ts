// The config store's canary (providers/store/canary.ts): the version key names stable and the
// candidate, isolates' figures are added per version, the alarm rolls a worse candidate back (a
// new version with stable's content, the reason in its message) or steps it up and promotes it,
// writes wait while a canary runs, and promote/abort work by hand.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ConfigStoreObject as ConfigStore } from "../../../providers/config-store.ts";
import { keyLayout } from "../../../providers/kv.ts";
import { bucketOf, emptyStats, type VersionStats } from "../../../providers/store/canary-stats.ts";
import type { WorkerEnv } from "../../../worker/index.ts";

const testEnv = env as WorkerEnv;

function config(n: number) {
  return { http: { routers: { web: { rule: "PathPrefix(`/web`)", service: "web" } }, services: { web: { loadBalancer: { servers: [{ url: `https://backend-${n}.example.com` }] } } } } };
}

async function openStore() {
  const stub = testEnv.CONFIG_STORE.get(testEnv.CONFIG_STORE.idFromName(crypto.randomUUID()));
  const keys = keyLayout(`test/${crypto.randomUUID()}/`);
  // Ahead of real time (alarms never fire by themselves here) and movable.
  const clock = { offset: 3_600_000 };
  await runInDurableObject(stub, (store: ConfigStore) => {
    store.seams = { ...store.seams, keys, now: () => Date.now() + clock.offset };
  });
  // KV takes one version-key write per second: each step waits it out on the store's clock.
  const later = (ms = 1_100) => void (clock.offset += ms);
  const versionKey = () => testEnv.CONFIG_KV.get<Record<string, unknown>>(keys.versionKey, "json");
  return { stub, keys, clock, later, versionKey };
}

function figures(requests: number, errors: number, ms = 3): VersionStats {
  const s = emptyStats();
  s.requests = requests;
  s.errors = errors;
  s.buckets[bucketOf(ms)] = requests;
  if (errors > 0) s.routers = { web: errors };
  return s;
}

function report(versionStats: Record<string, VersionStats>) {
  return { isolate: crypto.randomUUID(), colo: "local", source: "kv", reportIntervalMs: 1_000, serving: null, lastPollAt: null, lastError: null, versionStats };
}

describe("the config store's canary", () => {
  it("publishes stable and the candidate in the version key, and refuses writes while it runs", async () => {
    const { stub, keys, later, versionKey } = await openStore();
    expect((await stub.put({ config: config(1) })).ok).toBe(true);
    later();
    const started = await stub.put({ config: config(2), author: "ci", canary: { share: 5, header: "X-User" } });
    expect(started).toMatchObject({ ok: true, record: { version: 2, author: "ci" } });
    const candidate = (await stub.get(2))!.record.sha256;
    expect(await versionKey()).toMatchObject({ version: 1, canary: { version: 2, key: keys.snapshotKey(2, candidate), sha256: candidate, share: 5, header: "x-user" } });
    expect(await testEnv.CONFIG_KV.get(keys.snapshotKey(2, candidate))).toBe((await stub.get(2))!.canonical);
    expect(await stub.versionRef()).toMatchObject({ version: 1, canary: { version: 2, share: 5 } });
    // What isolates should serve is stable: publishing is not behind, the fleet's store version is 1.
    expect(await stub.publishState()).toMatchObject({ published: 1, latest: 1 });
    expect((await stub.fleet()).storeVersion).toBe(1);

    expect(await stub.put({ config: config(3) })).toMatchObject({ ok: false, status: 409, message: "a canary of version 2 is running (5% of clients): promote or abort it first" });
    expect(await stub.rollback(1)).toMatchObject({ ok: false, status: 409 });
    expect(await stub.put({ config: config(3), canary: { share: 5 } })).toMatchObject({ ok: false, status: 409 });
    const status = await stub.canaryStatus();
    expect(status).toMatchObject({ running: true, stable: 1, candidate: 2, share: 5, nextSteps: [25, 50, 100], header: "x-user", policy: { promoteAfterMs: 600_000, maxErrorRatio: 0.02, maxP99Ratio: 1.5, minRequests: 500 } });
    expect(status.events).toEqual([expect.objectContaining({ action: "started", author: "ci", candidate: 2, stable: 1, share: 5 })]);
  });

  it("refuses a canary without a stable version, or with a bad policy (400 at the field)", async () => {
    const { stub } = await openStore();
    expect(await stub.put({ config: config(1), canary: { share: 5 } })).toMatchObject({ ok: false, status: 409 });
    await stub.put({ config: config(1) });
    expect(await stub.put({ config: config(2), canary: { share: 5, steps: [3] } })).toMatchObject({ ok: false, status: 400, errors: [{ path: "steps" }] });
    expect((await stub.history()).length).toBe(1);
  });

  it("adds the isolates' figures per version, and the alarm rolls a worse candidate back with the reason in history", async () => {
    const { stub, later, versionKey } = await openStore();
    await stub.put({ config: config(1) });
    later();
    await stub.put({ config: config(2), canary: { share: 10, minRequests: 20 } });
    // Figures for another version are not this canary's.
    expect(await stub.report(report({ "1": figures(100, 0), "2": figures(10, 10), "7": figures(5, 5) }))).toEqual({ ok: true });
    expect(await stub.report(report({ "2": figures(15, 14) }))).toEqual({ ok: true });
    expect(await stub.report({ ...report({}), versionStats: { "2": { requests: 1 } } })).toMatchObject({ ok: false });
    const status = await stub.canaryStatus();
    expect(status).toMatchObject({ running: true, figures: { stable: { requests: 100, errors: 0 }, candidate: { requests: 25, errors: 24, errorRatio: 0.96, p99Ms: 5, routers: { web: 24 } } }, decision: { action: "rollback" } });

    later();
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const after = await stub.canaryStatus();
    expect(after.running).toBe(false);
    expect(after.events[0]).toMatchObject({ action: "rolled-back", author: "canary-policy", candidate: 2, stable: 1 });
    const [newest] = await stub.history(1);
    expect(newest).toMatchObject({ version: 3, rollbackOf: 1, author: "canary-policy" });
    expect(newest!.message).toBe(`canary of version 2 rolled back: ${after.events[0]!.reason}`);
    expect(after.events[0]!.reason).toBe("5xx ratio 0.9600 (24/25) vs stable 0.0000 (0/100): more than 0.02 above; most 5xx from router web (24)");
    expect((await stub.get(3))!.canonical).toBe((await stub.get(1))!.canonical);
    expect(await versionKey()).toEqual(expect.not.objectContaining({ canary: expect.anything() }));
    expect((await versionKey())!.version).toBe(3);
    // Writes are taken again.
    later();
    expect((await stub.put({ config: config(4) })).ok).toBe(true);
  });

  it("steps a healthy candidate up after promoteAfter (figures counted afresh per step), then promotes it", async () => {
    const { stub, later, versionKey } = await openStore();
    await stub.put({ config: config(1) });
    later();
    await stub.put({ config: config(2), canary: { share: 10, minRequests: 5, promoteAfterMs: 2_000, steps: [50, 100] } });
    await stub.report(report({ "1": figures(50, 0), "2": figures(5, 0) }));
    later(500);
    await runDurableObjectAlarm(stub);
    expect(await stub.canaryStatus()).toMatchObject({ running: true, share: 10 });
    later(2_000);
    await runDurableObjectAlarm(stub);
    expect(await stub.canaryStatus()).toMatchObject({ running: true, share: 50, nextSteps: [100], figures: { candidate: { requests: 0 } } });
    expect(await versionKey()).toMatchObject({ version: 1, canary: { version: 2, share: 50 } });
    // Not enough requests in the new step: it holds however long it lasts.
    later(5_000);
    await runDurableObjectAlarm(stub);
    expect(await stub.canaryStatus()).toMatchObject({ running: true, share: 50, decision: { action: "hold", reason: "0 of 5 candidate requests in this step" } });
    await stub.report(report({ "1": figures(50, 0), "2": figures(50, 0) }));
    later();
    await runDurableObjectAlarm(stub);
    const done = await stub.canaryStatus();
    expect(done.running).toBe(false);
    expect(done.events.map((e) => [e.action, e.share, e.author])).toEqual([["promoted", 100, "canary-policy"], ["step", 50, "canary-policy"], ["started", 10, "unknown"]]);
    expect(await versionKey()).toEqual(expect.objectContaining({ version: 2 }));
    expect(await versionKey()).not.toHaveProperty("canary");
    expect((await stub.history()).map((r) => r.version)).toEqual([2, 1]);
  });

  it("promote and abort by hand; 409 when none runs", async () => {
    const { stub, later, versionKey } = await openStore();
    expect(await stub.canaryPromote()).toMatchObject({ ok: false, status: 409, message: "no canary is running" });
    expect(await stub.canaryAbort()).toMatchObject({ ok: false, status: 409 });
    await stub.put({ config: config(1) });
    later();
    await stub.put({ config: config(2), canary: { share: 5 } });
    later();
    expect(await stub.canaryPromote({ author: "ann" })).toMatchObject({ ok: true, record: { version: 2 } });
    expect(await versionKey()).toEqual(expect.objectContaining({ version: 2 }));
    later();
    await stub.put({ config: config(3), canary: { share: 5 } });
    later();
    expect(await stub.canaryAbort({ author: "bob", reason: "looks off" })).toMatchObject({ ok: true, record: { version: 4, rollbackOf: 2, author: "bob", message: "canary of version 3 aborted: looks off" } });
    const { events } = await stub.canaryStatus();
    expect(events.map((e) => [e.action, e.author, e.candidate])).toEqual([["aborted", "bob", 3], ["started", "unknown", 3], ["promoted", "ann", 2], ["started", "unknown", 2]]);
    expect(await versionKey()).toEqual(expect.objectContaining({ version: 4 }));
  });

  it("keeps the stable version through history pruning while the canary runs", async () => {
    const { stub, later } = await openStore();
    await runInDurableObject(stub, (store: ConfigStore) => void (store.seams = { ...store.seams, historyLimit: 1 }));
    await stub.put({ config: config(1) });
    later();
    await stub.put({ config: config(2), canary: { share: 5 } });
    expect((await stub.history(10)).map((r) => r.version)).toEqual([2, 1]);
    later();
    expect(await stub.canaryAbort()).toMatchObject({ ok: true, record: { version: 3, rollbackOf: 1 } });
    // Without a canary the limit holds again.
    expect((await stub.history(10)).map((r) => r.version)).toEqual([3]);
  });
});
