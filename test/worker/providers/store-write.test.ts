// ConfigStore write path: validation, compare-and-set, concurrency, and what lands in KV.
import { REVISION } from "../../../worker/compile/revision.ts";
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ConfigStoreObject as ConfigStore } from "../../../providers/config-store.ts";
import { keyLayout, type KeyLayout } from "../../../providers/kv.ts";
import { sha256Hex } from "../../../providers/store/hash.ts";
import type { WorkerEnv } from "../../../worker/index.ts";

const testEnv = env as WorkerEnv;

function config(n: number, extra: Record<string, unknown> = {}) {
  return {
    http: {
      routers: { web: { rule: "PathPrefix(`/web`)", service: "web" }, ...extra },
      services: { web: { loadBalancer: { servers: [{ url: `https://backend-${n}.example.com` }] } } },
    },
  };
}

/** A fresh store writing under its own KV prefix (KV is shared by every test), on a clock tests can move. */
async function openStore() {
  const stub = testEnv.CONFIG_STORE.get(testEnv.CONFIG_STORE.idFromName(crypto.randomUUID()));
  const keys = keyLayout(`test/${crypto.randomUUID()}/`);
  // An hour ahead of real time: alarms the store sets never fire by themselves during a test, so
  // only runDurableObjectAlarm runs them.
  const clock = { offset: 3_600_000 };
  await runInDurableObject(stub, (store: ConfigStore) => {
    store.seams.keys = keys;
    store.seams.now = () => Date.now() + clock.offset;
  });
  return { stub, keys, clock };
}

async function kvVersion(keys: KeyLayout) {
  return testEnv.CONFIG_KV.get<{ version: number; key: string; sha256: string }>(keys.versionKey, "json");
}

describe("ConfigStore.put", () => {
  it("never reuses a version number that was published to KV by hand (push --kv)", async () => {
    const { stub, keys } = await openStore();
    await stub.put({ config: config(1) });
    const raw = JSON.stringify(config(2));
    const sha256 = await sha256Hex(raw);
    await testEnv.CONFIG_KV.put(keys.snapshotKey(7, sha256), raw);
    await testEnv.CONFIG_KV.put(keys.versionKey, JSON.stringify({ version: 7, key: keys.snapshotKey(7, sha256), sha256 }));
    const next = await stub.put({ config: config(3) });
    expect(next).toMatchObject({ ok: true, record: { version: 8 } });
    // The hand-published snapshot is untouched: snapshot keys are never rewritten.
    expect(await testEnv.CONFIG_KV.get(keys.snapshotKey(7, sha256))).toBe(raw);
  });

  it("stores a version and publishes snapshot + version key with a matching sha256", async () => {
    const { stub, keys } = await openStore();
    const result = await stub.put({ config: config(1), message: "first" });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.record).toMatchObject({ version: 1, author: "unknown", message: "first" });
    expect(result.record.rollbackOf).toBeUndefined();

    const ref = await kvVersion(keys);
    const key = keys.snapshotKey(1, result.record.sha256);
    expect(ref).toEqual({ version: 1, key, sha256: result.record.sha256, facts: `${key}.facts.${REVISION}` });
    expect(JSON.parse((await testEnv.CONFIG_KV.get(`${key}.facts.${REVISION}`)) ?? "null")).toMatchObject({ format: 1, sha256: result.record.sha256 });
    expect(ref?.key).toBe(`${keys.prefix}config/v/1-${result.record.sha256.slice(0, 16)}`);
    const snapshot = await testEnv.CONFIG_KV.get(keys.snapshotKey(1, result.record.sha256));
    expect(snapshot).not.toBeNull();
    expect(await sha256Hex(snapshot ?? "")).toBe(result.record.sha256);
    expect(JSON.parse(snapshot ?? "")).toMatchObject({ http: { routers: { web: { service: "web" } } } });

    const stored = await stub.get();
    expect(stored?.canonical).toBe(snapshot);
    expect(await stub.versionRef()).toEqual(ref);
    expect(await stub.publishState()).toMatchObject({ published: 1, latest: 1, lastError: null });
  });

  it("stores canonical JSON: key order does not change the hash, and the same config is still a new version", async () => {
    const { stub } = await openStore();
    const a = await stub.put({ config: config(1), author: "alice" });
    const reordered = { http: { services: config(1).http.services, routers: config(1).http.routers } };
    const b = await stub.put({ config: reordered, author: "bob" });
    if (!a.ok || !b.ok) throw new Error("writes failed");
    expect(b.record.version).toBe(2);
    expect(b.record.sha256).toBe(a.record.sha256);
    expect((await stub.history()).map((r) => r.author)).toEqual(["bob", "alice"]);
  });

  it("refuses an invalid config with 400 and the paths of its errors, storing nothing", async () => {
    const { stub, keys } = await openStore();
    const result = await stub.put({ config: { http: { routers: { web: { rule: "PathPrefix(`/x`)", service: "nowhere" } } } } });
    expect(result).toMatchObject({ ok: false, status: 400 });
    if (result.ok || result.status !== 400) return;
    expect(result.errors.map((e) => e.path)).toContain("http.routers.web.service");
    expect(result.errors.every((e) => e.severity === "error")).toBe(true);
    expect(await stub.get()).toBeNull();
    expect(await stub.history()).toEqual([]);
    expect(await stub.versionRef()).toBeNull();
    expect(await stub.publishState()).toMatchObject({ published: null, latest: null });
    expect(await kvVersion(keys)).toBeNull();
  });

  it("refuses a config that validates but this build cannot serve (compile dry run)", async () => {
    const { stub } = await openStore();
    const weighted = config(1);
    // A failover whose main service cannot report its health: valid config, refused by the compile.
    const services = { ...weighted.http.services, split: { failover: { service: "web", fallback: "web" } } };
    const result = await stub.put({ config: { http: { ...weighted.http, services, routers: { web: { rule: "PathPrefix(`/`)", service: "split" } } } } });
    expect(result).toMatchObject({ ok: false, status: 400 });
    if (result.ok || result.status !== 400) return;
    expect(result.errors.map((e) => e.path).join(" ")).toMatch(/http\.(services\.split|routers\.web)/);
    expect(await stub.get()).toBeNull();
  });

  it("compare-and-set: ifMatch must name the newest version (0 for an empty store)", async () => {
    const { stub } = await openStore();
    expect(await stub.put({ config: config(1), ifMatch: 1 })).toMatchObject({ ok: false, status: 412, current: null });
    expect(await stub.put({ config: config(1), ifMatch: 0 })).toMatchObject({ ok: true, record: { version: 1 } });
    expect(await stub.put({ config: config(2), ifMatch: 1 })).toMatchObject({ ok: true, record: { version: 2 } });
    const stale = await stub.put({ config: config(3), ifMatch: 1 });
    expect(stale).toMatchObject({ ok: false, status: 412, current: 2 });
    expect((await stub.get())?.record.version).toBe(2);
  });

  it("50 concurrent puts with the same ifMatch: exactly one wins, 49 get 412", async () => {
    const { stub } = await openStore();
    await stub.put({ config: config(0) });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => stub.put({ config: config(i + 1), ifMatch: 1, author: `w${i}` })));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.status === 412)).toHaveLength(49);
    const history = await stub.history(100);
    expect(history.map((r) => r.version)).toEqual([2, 1]);
    expect(winners[0]).toMatchObject({ record: { version: 2, author: history[0]?.author } });
  });

  it("50 concurrent puts without ifMatch: versions 1..50, none lost, KV ends on the newest", async () => {
    const { stub, keys, clock } = await openStore();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => stub.put({ config: config(i), author: `w${i}` })));
    expect(results.every((r) => r.ok)).toBe(true);
    const versions = results.map((r) => (r.ok ? r.record.version : 0)).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const history = await stub.history(100);
    expect(history.map((r) => r.version)).toEqual(Array.from({ length: 50 }, (_, i) => 50 - i));
    expect(new Set(history.map((r) => r.author)).size).toBe(50);

    // The version key was written once and the rest coalesced into an alarm that ends on 50.
    clock.offset += 1_000;
    await runDurableObjectAlarm(stub);
    expect(await kvVersion(keys)).toMatchObject({ version: 50 });
    expect(await stub.publishState()).toMatchObject({ published: 50, latest: 50, lastError: null });
  });
});

describe("ConfigStore versions stay safe integers (a version key written by hand cannot wedge the store)", () => {
  async function handWrittenVersionKey(keys: KeyLayout, version: number) {
    const raw = JSON.stringify(config(99));
    const sha256 = await sha256Hex(raw);
    await testEnv.CONFIG_KV.put(keys.snapshotKey(version, sha256), raw);
    await testEnv.CONFIG_KV.put(keys.versionKey, JSON.stringify({ version, key: keys.snapshotKey(version, sha256), sha256 }));
  }

  it("a KV version key of 9007199254740991 is ignored: writes and rollbacks go on from the store's own history", async () => {
    const { stub, keys, clock } = await openStore();
    expect(await stub.put({ config: config(1) })).toMatchObject({ ok: true, record: { version: 1 } });
    await handWrittenVersionKey(keys, Number.MAX_SAFE_INTEGER);
    // Before the fix: this write became version 2^53 and every later write threw
    // "UNIQUE constraint failed" (a 500 from the admin API).
    const second = await stub.put({ config: config(2) });
    expect(second).toMatchObject({ ok: true, record: { version: 2 } });
    if (!second.ok) return;
    expect(second.warnings.map((w) => w.message).join(" ")).toMatch(/9007199254740991.*ignored/);
    clock.offset += 1_000;
    expect(await stub.put({ config: config(3) })).toMatchObject({ ok: true, record: { version: 3 } });
    clock.offset += 1_000;
    expect(await stub.rollback(1)).toMatchObject({ ok: true, record: { version: 4, rollbackOf: 1 } });
    clock.offset += 1_000;
    await runDurableObjectAlarm(stub);
    expect(await kvVersion(keys)).toMatchObject({ version: 4 });
    expect((await stub.history()).map((r) => r.version)).toEqual([4, 3, 2, 1]);
  });

  it("a store already wedged (a row at version 2^53 from an older build) renumbers it and goes on", async () => {
    const { stub, keys, clock } = await openStore();
    await stub.put({ config: config(1) });
    const wedged = JSON.stringify(config(2));
    const sha256 = await sha256Hex(wedged);
    await runInDurableObject(stub, (_store: ConfigStore, state: DurableObjectState) => {
      state.storage.sql.exec(
        "INSERT INTO versions (version, sha256, canonical, author, message, created_at, rollback_of) VALUES (?, ?, ?, 'old', 'wedged', '2026-01-01T00:00:00.000Z', NULL)",
        2 ** 53, sha256, wedged,
      );
      state.storage.sql.exec("UPDATE publish_meta SET published = ?, snapshot_written = ? WHERE id = 1", 2 ** 53, 2 ** 53);
    });
    clock.offset += 1_000;
    const next = await stub.put({ config: config(3) });
    expect(next).toMatchObject({ ok: true, record: { version: 3 } });
    // The wedged row's config is kept, as version 2, in its place in the order.
    expect(await stub.get(2)).toMatchObject({ record: { version: 2, message: "wedged" }, canonical: wedged });
    expect((await stub.history()).map((r) => r.version)).toEqual([3, 2, 1]);
    expect(await kvVersion(keys)).toMatchObject({ version: 3 });
    expect(await stub.publishState()).toMatchObject({ published: 3, latest: 3 });
  });

  it("RPC arguments past 2^53 - 1 (or not whole) are a 400 naming the argument, before anything is read", async () => {
    const { stub } = await openStore();
    await stub.put({ config: config(1) });
    for (const ifMatch of [2 ** 53, 1.5, -1]) {
      const result = await stub.put({ config: config(2), ifMatch });
      expect(result).toMatchObject({ ok: false, status: 400, errors: [{ path: "ifMatch" }] });
    }
    for (const to of [2 ** 53, 0.5, 0]) {
      expect(await stub.rollback(to)).toMatchObject({ ok: false, status: 400, errors: [{ path: "version" }] });
    }
    expect(await stub.rollback(1, { ifMatch: 2 ** 60 })).toMatchObject({ ok: false, status: 400, errors: [{ path: "ifMatch" }] });
    expect(await stub.history()).toHaveLength(1);
  });

  it("follows a plausible hand-published version but not one a million or more above its own", async () => {
    const { stub, keys } = await openStore();
    await stub.put({ config: config(1) });
    await handWrittenVersionKey(keys, 1_000_001);
    expect(await stub.put({ config: config(2) })).toMatchObject({ ok: true, record: { version: 1_000_002 } });
    const { nextVersion } = await import("../../../providers/store/version.ts");
    expect(nextVersion(5, 1_000_005)).toEqual({ version: 1_000_006 });
    expect(nextVersion(5, 1_000_006).version).toBe(6);
    expect(nextVersion(5, 2 ** 53).version).toBe(6);
    expect(nextVersion(5, "7").version).toBe(6);
    expect(nextVersion(5, null)).toEqual({ version: 6 });
    expect(nextVersion(Number.MAX_SAFE_INTEGER, null).version).toBeNull();
  });
});

describe("ConfigStore refuses a config without routers over one with routers (allowEmpty)", () => {
  const empties: [string, unknown][] = [
    ["null", null],
    ["{}", {}],
    ['{"http":null}', { http: null }],
    ['{"http":{}}', { http: {} }],
    ["routers: {} with services", { http: { routers: {}, services: config(1).http.services } }],
  ];

  it.each(empties)("put %s: 409 with how to do it on purpose; nothing stored, KV untouched", async (_name, empty) => {
    const { stub, keys } = await openStore();
    const first = await stub.put({ config: config(1) });
    if (!first.ok) throw new Error(JSON.stringify(first));
    const before = await kvVersion(keys);
    const result = await stub.put({ config: empty });
    expect(result).toMatchObject({ ok: false, status: 409, current: 1 });
    if (result.ok || result.status !== 409) return;
    expect(result.message).toMatch(/no routers.*its 1 router.*version 1.*\?allowEmpty=true/);
    expect(await stub.history()).toHaveLength(1);
    expect(await kvVersion(keys)).toEqual(before);
  });

  it("allowEmpty admits it, and the published ref says allowEmpty so isolates take it", async () => {
    const { stub, keys, clock } = await openStore();
    await stub.put({ config: config(1) });
    const result = await stub.put({ config: {}, allowEmpty: true, ifMatch: 1 });
    expect(result).toMatchObject({ ok: true, record: { version: 2 } });
    expect(await stub.versionRef()).toMatchObject({ version: 2, allowEmpty: true });
    clock.offset += 1_000;
    await runDurableObjectAlarm(stub);
    expect(await kvVersion(keys)).toMatchObject({ version: 2, allowEmpty: true });
  });

  it("nothing to lose: the first write and an empty config over an empty one need no flag; refs with routers carry no mark", async () => {
    const { stub, keys, clock } = await openStore();
    expect(await stub.put({ config: {} })).toMatchObject({ ok: true, record: { version: 1 } });
    expect(await stub.put({ config: null })).toMatchObject({ ok: true, record: { version: 2 } });
    expect(await stub.put({ config: config(1) })).toMatchObject({ ok: true, record: { version: 3 } });
    const ref = await stub.versionRef();
    expect(ref).not.toHaveProperty("allowEmpty");
    clock.offset += 1_000;
    await runDurableObjectAlarm(stub);
    expect(await kvVersion(keys)).toMatchObject({ version: 3 });
    expect(Object.keys((await kvVersion(keys)) ?? {})).toEqual(["version", "key", "sha256", "facts"]);
  });

  it("a stale ifMatch is still 412 (checked first); a current one does not waive the check", async () => {
    const { stub } = await openStore();
    await stub.put({ config: config(1) });
    expect(await stub.put({ config: {}, ifMatch: 7 })).toMatchObject({ ok: false, status: 412 });
    expect(await stub.put({ config: {}, ifMatch: 1 })).toMatchObject({ ok: false, status: 409 });
  });

  it("rollback to a version without routers is a wipe too: 409 unless allowEmpty", async () => {
    const { stub, clock } = await openStore();
    await stub.put({ config: {} });
    await stub.put({ config: config(1) });
    const refused = await stub.rollback(1);
    expect(refused).toMatchObject({ ok: false, status: 409, current: 2 });
    expect((await stub.history()).map((r) => r.version)).toEqual([2, 1]);
    clock.offset += 1_000;
    expect(await stub.rollback(1, { allowEmpty: true })).toMatchObject({ ok: true, record: { version: 3, rollbackOf: 1 } });
    expect(await stub.versionRef()).toMatchObject({ version: 3, allowEmpty: true });
  });
});
