// ConfigStore publishing to KV: coalescing under KV's one-write-per-second limit, single flight,
// and failures that are recorded and retried by an alarm.
import { REVISION } from "../../../worker/compile/revision.ts";
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ConfigStoreObject as ConfigStore } from "../../../providers/config-store.ts";
import { keyLayout, type KeyLayout } from "../../../providers/kv.ts";
import { backoff, type KvWriter } from "../../../providers/store/publish.ts";
import type { WorkerEnv } from "../../../worker/index.ts";

const testEnv = env as WorkerEnv;

function config(n: number) {
  return {
    http: {
      routers: { web: { rule: "PathPrefix(`/web`)", service: "web" } },
      services: { web: { loadBalancer: { servers: [{ url: `https://backend-${n}.example.com` }] } } },
    },
  };
}

interface Harness {
  /** Every KV put the store made, in order. */
  readonly puts: string[];
  failing: false | "all" | "version-key";
}

/** A fresh store on its own KV prefix, with a movable clock and a KV wrapper that counts and can fail. */
async function openStore() {
  const stub = testEnv.CONFIG_STORE.get(testEnv.CONFIG_STORE.idFromName(crypto.randomUUID()));
  const keys = keyLayout(`test/${crypto.randomUUID()}/`);
  // An hour ahead of real time: alarms the store sets never fire by themselves during a test, so
  // only runDurableObjectAlarm runs them.
  const clock = { offset: 3_600_000 };
  const harness: Harness = { puts: [], failing: false };
  await runInDurableObject(stub, (store: ConfigStore) => {
    const real = store.seams.kv;
    const kv: KvWriter = {
      async put(key, value) {
        harness.puts.push(key);
        if (harness.failing === "all" || (harness.failing === "version-key" && key === keys.versionKey)) {
          throw new Error(`KV PUT failed: 503 (test) for ${key}`);
        }
        await real.put(key, value);
      },
    };
    store.seams = { ...store.seams, kv, keys, now: () => Date.now() + clock.offset };
  });
  const alarmAt = () => runInDurableObject(stub, (_: ConfigStore, state) => state.storage.getAlarm());
  const storeNow = () => runInDurableObject(stub, (store: ConfigStore) => store.seams.now());
  /** The snapshot key of a stored version (keys carry the content's hash). */
  const snap = async (n: number) => keys.snapshotKey(n, (await stub.get(n))!.record.sha256);
  /** A version's puts before its version key: its load facts, then its snapshot. */
  const snapPuts = async (n: number) => [`${await snap(n)}.facts.${REVISION}`, await snap(n)];
  return { stub, keys, clock, harness, alarmAt, storeNow, snap, snapPuts };
}

async function kvVersion(keys: KeyLayout) {
  return testEnv.CONFIG_KV.get<{ version: number }>(keys.versionKey, "json");
}

const versionKeyPuts = (h: Harness, keys: KeyLayout) => h.puts.filter((k) => k === keys.versionKey).length;

describe("publishing to KV", () => {
  it("coalesces: many writes in one second write the version key once now, then the alarm writes the newest", async () => {
    const { stub, keys, clock, harness, alarmAt, storeNow, snap, snapPuts } = await openStore();
    await stub.put({ config: config(1) });
    expect(harness.puts).toEqual([...(await snapPuts(1)), keys.versionKey]);
    for (let n = 2; n <= 6; n++) expect(await stub.put({ config: config(n) })).toMatchObject({ ok: true });

    expect(versionKeyPuts(harness, keys)).toBe(1);
    expect(await kvVersion(keys)).toMatchObject({ version: 1 });
    const state = await stub.publishState();
    expect(state).toMatchObject({ published: 1, latest: 6, lastError: null });
    const alarm = await alarmAt();
    expect(alarm).not.toBeNull();
    expect(alarm).toBe((state.lastVersionWriteAt ?? 0) + 1_000);

    // An alarm that runs early (the second is not up) writes nothing and waits again.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(versionKeyPuts(harness, keys)).toBe(1);
    expect(await alarmAt()).toBe(alarm);

    clock.offset += 1_000;
    expect(await storeNow()).toBeGreaterThanOrEqual(alarm ?? 0);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(versionKeyPuts(harness, keys)).toBe(2);
    expect(await kvVersion(keys)).toMatchObject({ version: 6 });
    // Only the versions that were published got a snapshot key; the ones in between live in SQLite.
    expect(harness.puts.filter((k) => k !== keys.versionKey)).toEqual([...(await snapPuts(1)), ...(await snapPuts(6))]);
    expect(await testEnv.CONFIG_KV.get(await snap(3))).toBeNull();
    expect(await stub.publishState()).toMatchObject({ published: 6, latest: 6 });
    // Nothing left to do: no alarm, and a later alarm run is a no-op.
    expect(await alarmAt()).toBeNull();
  });

  it("a write a second after the last version-key write publishes at once", async () => {
    const { stub, keys, clock, harness } = await openStore();
    await stub.put({ config: config(1) });
    clock.offset += 1_000;
    await stub.put({ config: config(2) });
    expect(versionKeyPuts(harness, keys)).toBe(2);
    expect(await kvVersion(keys)).toMatchObject({ version: 2 });
  });

  it("a failing KV put keeps the write durable, records the error, and an alarm publishes the newest after recovery", async () => {
    const { stub, keys, clock, harness, alarmAt } = await openStore();
    harness.failing = "all";
    const first = await stub.put({ config: config(1) });
    expect(first).toMatchObject({ ok: true, record: { version: 1 } });
    expect((await stub.get(1))?.record.version).toBe(1);

    const failed = await stub.publishState();
    expect(failed).toMatchObject({ published: null, latest: 1, failures: 1 });
    expect(failed.lastError?.message).toContain("KV PUT failed");
    expect(Date.parse(failed.lastError?.at ?? "")).not.toBeNaN();
    expect(await alarmAt()).toBe(failed.nextAttemptAt);

    // More writes during the backoff are stored; they wait for the retry rather than hammer KV.
    const attempts = harness.puts.length;
    expect(await stub.put({ config: config(2) })).toMatchObject({ ok: true, record: { version: 2 } });
    expect(harness.puts.length).toBe(attempts);

    // Still down when the alarm fires: a longer backoff.
    clock.offset += backoff(1);
    await runDurableObjectAlarm(stub);
    const again = await stub.publishState();
    expect(again).toMatchObject({ published: null, latest: 2, failures: 2 });
    expect((again.nextAttemptAt ?? 0) - (failed.nextAttemptAt ?? 0)).toBeGreaterThanOrEqual(backoff(2));

    harness.failing = false;
    clock.offset += backoff(2);
    await runDurableObjectAlarm(stub);
    expect(await kvVersion(keys)).toMatchObject({ version: 2 });
    expect(await stub.publishState()).toMatchObject({ published: 2, latest: 2, lastError: null, failures: 0 });
    expect(await alarmAt()).toBeNull();
  });

  it("when only the version key fails, the retry does not rewrite the snapshot", async () => {
    const { stub, keys, clock, harness, snap, snapPuts } = await openStore();
    harness.failing = "version-key";
    await stub.put({ config: config(1) });
    expect(await testEnv.CONFIG_KV.get(await snap(1))).not.toBeNull();
    expect(await kvVersion(keys)).toBeNull();
    harness.failing = false;
    clock.offset += backoff(1) + 1_000;
    await runDurableObjectAlarm(stub);
    expect(harness.puts).toEqual([...(await snapPuts(1)), keys.versionKey, keys.versionKey]);
    expect(await kvVersion(keys)).toMatchObject({ version: 1 });
  });

  it("publishes one loop at a time: concurrent writes never put the version key twice within a second", async () => {
    const { stub, keys, clock, harness } = await openStore();
    await Promise.all(Array.from({ length: 20 }, (_, i) => stub.put({ config: config(i) })));
    expect(versionKeyPuts(harness, keys)).toBe(1);
    clock.offset += 1_000;
    await runDurableObjectAlarm(stub);
    expect(versionKeyPuts(harness, keys)).toBe(2);
    expect(await kvVersion(keys)).toMatchObject({ version: 20 });
  });

  it("backs off exponentially up to a minute", () => {
    expect([1, 2, 3, 4].map(backoff)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoff(30)).toBe(60_000);
  });
});
