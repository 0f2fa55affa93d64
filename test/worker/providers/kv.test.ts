// The KV and Durable Object providers: what an isolate reads per poll, and the integrity check.
import { REVISION } from "../../../worker/compile/revision.ts";
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ConfigStoreObject as ConfigStore } from "../../../providers/config-store.ts";
import { DurableObjectProvider } from "../../../providers/do.ts";
import { FallbackProvider } from "../../../providers/fallback.ts";
import { FileProvider } from "../../../providers/file.ts";
import { KvProvider, keyLayout, KV_MIN_CACHE_TTL, SNAPSHOT_CACHE_TTL, VERSION_KEY, snapshotKey, type KeyLayout, type KvReader } from "../../../providers/kv.ts";
import type { VersionRef } from "../../../providers/types.ts";
import { sha256Hex } from "../../../providers/store/hash.ts";
import { configDecoder } from "../../../worker/config/index.ts";
import type { Snapshot } from "../../../worker/compile/snapshot.ts";
import { routerListener } from "../../../worker/dynamic/listener.ts";
import { Switcher } from "../../../worker/dynamic/switcher.ts";
import { Watcher } from "../../../worker/dynamic/watcher.ts";
import type { WorkerEnv } from "../../../worker/index.ts";

const testEnv = env as WorkerEnv;
const decode = configDecoder();

interface Read {
  readonly key: string;
  readonly type: string;
  readonly cacheTtl: number | undefined;
}

/** The CONFIG_KV binding, counting reads. */
class CountingKv implements KvReader {
  readonly reads: Read[] = [];
  get(key: string, options: { type: "json"; cacheTtl?: number }): Promise<unknown>;
  get(key: string, options: { type: "text"; cacheTtl?: number }): Promise<string | null>;
  get(key: string, options: { type: "json" | "text"; cacheTtl?: number }): Promise<unknown> {
    this.reads.push({ key, type: options.type, cacheTtl: options.cacheTtl });
    return options.type === "json" ? testEnv.CONFIG_KV.get(key, { type: "json", cacheTtl: options.cacheTtl }) : testEnv.CONFIG_KV.get(key, { type: "text", cacheTtl: options.cacheTtl });
  }
}

function config(n: number) {
  return {
    http: {
      routers: { web: { rule: "PathPrefix(`/web`)", service: "web" } },
      services: { web: { loadBalancer: { servers: [{ url: `https://backend-${n}.example.com` }] } } },
    },
  };
}

function routerNames(snapshot: Snapshot | null): string[] {
  return Object.keys(snapshot?.config.http?.routers ?? {});
}

function setup(options: { versionCacheTtl?: number; snapshotCacheTtl?: number } = {}) {
  const keys = keyLayout(`test/${crypto.randomUUID()}/`);
  const kv = new CountingKv();
  return { keys, kv, provider: new KvProvider(kv, { decode, keys, ...options }) };
}

/** Publishes by hand, as the store does: snapshot first, version key last. */
async function publish(keys: KeyLayout, version: number, text: string, sha256?: string): Promise<VersionRef> {
  const hash = sha256 ?? (await sha256Hex(text));
  const ref = { version, key: keys.snapshotKey(version, hash), sha256: hash };
  await testEnv.CONFIG_KV.put(ref.key, text);
  await testEnv.CONFIG_KV.put(keys.versionKey, JSON.stringify(ref));
  return ref;
}

describe("KV key layout", () => {
  it("is config/version and config/v/<N>, optionally under a prefix", () => {
    expect(VERSION_KEY).toBe("config/version");
    expect(snapshotKey(7, "ab".repeat(32))).toBe(`config/v/7-${"ab".repeat(8)}`);
    expect(keyLayout()).toMatchObject({ versionKey: "config/version" });
    expect(keyLayout("a/").snapshotKey(3, "0".repeat(64))).toBe("a/config/v/3-0000000000000000");
  });
});

describe("KvProvider", () => {
  it("version(): null when nothing is published, in one read of the version key with the minimum cacheTtl", async () => {
    const { keys, kv, provider } = setup();
    expect(await provider.version()).toBeNull();
    expect(kv.reads).toEqual([{ key: keys.versionKey, type: "json", cacheTtl: 30 }]);
    expect(KV_MIN_CACHE_TTL).toBe(30);
  });

  it("uses KV's real minimum cacheTtl: 30 s is accepted, 29 s refused (it was 60 s until 2026-01)", async () => {
    await testEnv.CONFIG_KV.put("ttl-probe", "x");
    expect(await testEnv.CONFIG_KV.get("ttl-probe", { cacheTtl: KV_MIN_CACHE_TTL })).toBe("x");
    await expect(testEnv.CONFIG_KV.get("ttl-probe", { cacheTtl: KV_MIN_CACHE_TTL - 1 })).rejects.toThrow(/at least 30/);
  });

  it("version() then load(): one read each, the snapshot with a long cacheTtl, hash verified", async () => {
    const { keys, kv, provider } = setup();
    const text = JSON.stringify(config(1));
    const ref = await publish(keys, 7, text);
    expect(await provider.version()).toEqual(ref);
    expect(await provider.load(ref)).toEqual({ ok: true, value: { ref, value: config(1), provider: "kv" } });
    expect(kv.reads).toEqual([
      { key: keys.versionKey, type: "json", cacheTtl: 30 },
      { key: ref.key, type: "text", cacheTtl: SNAPSHOT_CACHE_TTL },
    ]);
  });

  it("takes its cacheTtls from options, and refuses ones KV would reject", async () => {
    const { kv, provider } = setup({ versionCacheTtl: 300, snapshotCacheTtl: 3_600 });
    await provider.version();
    expect(kv.reads[0]?.cacheTtl).toBe(300);
    expect(() => new KvProvider(kv, { decode, versionCacheTtl: 10 })).toThrow(RangeError);
    expect(() => new KvProvider(kv, { decode, versionCacheTtl: 29 })).toThrow(RangeError);
    expect(() => new KvProvider(kv, { decode, snapshotCacheTtl: 59.5 })).toThrow(/snapshotCacheTtl/);
  });

  it("load(): not ok while the snapshot is missing (the version key is ahead), with the reason", async () => {
    const { keys, provider } = setup();
    const ref = { version: 3, key: keys.snapshotKey(3, "0".repeat(64)), sha256: "0".repeat(64) };
    await testEnv.CONFIG_KV.put(keys.versionKey, JSON.stringify(ref));
    expect(await provider.version()).toEqual(ref);
    expect(await provider.load(ref)).toEqual({ ok: false, error: expect.stringContaining(`${ref.key} for version 3 is missing`) });
  });

  it("load(): not ok when the snapshot does not hash to the version key's sha256, then recovers", async () => {
    const { keys, provider } = setup();
    const text = JSON.stringify(config(2));
    const wrong = await sha256Hex("something else");
    const ref = await publish(keys, 4, text, wrong);
    expect(await provider.load(ref)).toEqual({ ok: false, error: expect.stringContaining(`hash mismatch for ${ref.key}`) });
    const good = await publish(keys, 5, text);
    expect(await provider.load(good)).toMatchObject({ ok: true, value: { value: config(2) } });
  });

  it("version(): a clear error for a version key that is not JSON or not the right shape", async () => {
    const { keys, provider } = setup();
    await testEnv.CONFIG_KV.put(keys.versionKey, "{not json");
    await expect(provider.version()).rejects.toThrow(`KV ${keys.versionKey} is not valid JSON`);
    await testEnv.CONFIG_KV.put(keys.versionKey, JSON.stringify({ version: "7", key: "k", sha256: "0".repeat(64) }));
    await expect(provider.version()).rejects.toThrow(/"version" must be a whole number/);
    await testEnv.CONFIG_KV.put(keys.versionKey, JSON.stringify({ version: 7, key: "k", sha256: "abc" }));
    await expect(provider.version()).rejects.toThrow(/"sha256" must be 64 lowercase hex digits/);
    await testEnv.CONFIG_KV.put(keys.versionKey, "[1,2]");
    await expect(provider.version()).rejects.toThrow(/expected \{"version","key","sha256"\}/);
  });

  it("version(): a version past 2^53 - 1, fractional or negative is refused with the range; allowEmpty must be a boolean", async () => {
    const { keys, provider } = setup();
    for (const version of [2 ** 53, 1e300, 1.5, -1]) {
      await testEnv.CONFIG_KV.put(keys.versionKey, JSON.stringify({ version, key: "k", sha256: "0".repeat(64) }));
      await expect(provider.version()).rejects.toThrow(/"version" must be a whole number from 0 to 9007199254740991/);
    }
    await testEnv.CONFIG_KV.put(keys.versionKey, JSON.stringify({ version: 3, key: "k", sha256: "0".repeat(64), allowEmpty: "yes" }));
    await expect(provider.version()).rejects.toThrow(/"allowEmpty" must be true or false/);
    await testEnv.CONFIG_KV.put(keys.versionKey, JSON.stringify({ version: 3, key: "k", sha256: "0".repeat(64), allowEmpty: true }));
    expect(await provider.version()).toEqual({ version: 3, key: "k", sha256: "0".repeat(64), allowEmpty: true });
    await testEnv.CONFIG_KV.put(keys.versionKey, JSON.stringify({ version: 3, key: "k", sha256: "0".repeat(64), allowEmpty: false }));
    expect(await provider.version()).toEqual({ version: 3, key: "k", sha256: "0".repeat(64) });
  });

  it("raw KV writes: an empty snapshot or a bad version key keeps the last good config serving, with the reason in the status", async () => {
    const { keys, provider } = setup();
    const switcher = new Switcher<Snapshot>();
    const watcher = new Watcher(provider, routerListener(switcher), { intervalMs: 0 });
    await publish(keys, 1, JSON.stringify(config(1)));
    await watcher.poll();
    expect(switcher.current?.meta.version).toBe(1);

    const empty = await publish(keys, 2, "# emptied by accident\n");
    await watcher.poll();
    expect(switcher.current?.meta.version).toBe(1);
    expect(watcher.state.lastError?.message).toMatch(/version 2 rejected: .*no routers.*"allowEmpty": true in the version key/);

    await testEnv.CONFIG_KV.put(keys.versionKey, JSON.stringify({ version: 2 ** 53, key: empty.key, sha256: empty.sha256 }));
    await watcher.poll();
    expect(switcher.current?.meta.version).toBe(1);
    expect(watcher.state.lastError?.message).toMatch(/"version" must be a whole number from 0 to 9007199254740991, got number 9007199254740992/);

    // On purpose: the version key says so.
    await testEnv.CONFIG_KV.put(keys.versionKey, JSON.stringify({ ...empty, allowEmpty: true }));
    await watcher.poll();
    expect(switcher.current?.meta.version).toBe(2);
    expect(watcher.state.lastError).toBeNull();
  });

  it("raw KV write of an empty config: a cold isolate serves the config store's last good version instead", async () => {
    const stub = testEnv.CONFIG_STORE.get(testEnv.CONFIG_STORE.idFromName(crypto.randomUUID()));
    const { keys, provider } = setup();
    await runInDurableObject(stub, (store: ConfigStore) => void (store.seams.keys = keys));
    expect(await stub.put({ config: config(1) })).toMatchObject({ ok: true, record: { version: 1 } });
    await publish(keys, 2, "");
    const switcher = new Switcher<Snapshot>();
    const watcher = new Watcher(provider, routerListener(switcher, { lastGood: new DurableObjectProvider(stub, decode) }), { intervalMs: 0 });
    await watcher.poll();
    expect(switcher.current?.meta.version).toBe(1);
    expect(routerNames(switcher.current)).toEqual(["web"]);
    expect(watcher.state.lastError?.message).toMatch(/version 2 rejected: .*version 1 in the config store, which this isolate serves instead/);
  });

  it("load(): a snapshot that matches its hash but cannot be parsed is an error", async () => {
    const { keys, provider } = setup();
    const ref = await publish(keys, 1, "{ this is: [not closed");
    await expect(provider.load(ref)).rejects.toThrow(/matches its hash but cannot be parsed/);
  });

  it("load(): a snapshot written by hand may be YAML", async () => {
    const { keys, provider } = setup();
    const ref = await publish(keys, 1, "http:\n  routers:\n    r:\n      rule: Path(`/x`)\n      service: s\n");
    expect(await provider.load(ref)).toMatchObject({ ok: true, value: { value: { http: { routers: { r: { rule: "Path(`/x`)", service: "s" } } } } } });
  });

  it("drives the watcher: a missing snapshot is recorded and retried, then applied", async () => {
    const { keys, provider } = setup();
    const applied: unknown[] = [];
    const watcher = new Watcher(provider, async ({ value }) => void applied.push(value), { intervalMs: 0 });
    const text = JSON.stringify(config(3));
    const hash1 = await sha256Hex(text);
    const ref = { version: 1, key: keys.snapshotKey(1, hash1), sha256: hash1 };
    await testEnv.CONFIG_KV.put(keys.versionKey, JSON.stringify(ref));
    await watcher.poll();
    expect(applied).toEqual([]);
    expect(watcher.state.lastError?.message).toMatch(/^version 1: snapshot .* is missing .*; keeping the current config$/);
    expect(await provider.load(ref)).toEqual({ ok: false, error: expect.stringContaining("missing") });
    await testEnv.CONFIG_KV.put(ref.key, text);
    await watcher.poll();
    expect(applied).toEqual([config(3)]);
    expect(watcher.state).toMatchObject({ version: 1, lastError: null });
  });

  it("reads what the ConfigStore publishes", async () => {
    const stub = testEnv.CONFIG_STORE.get(testEnv.CONFIG_STORE.idFromName(crypto.randomUUID()));
    const { keys, kv, provider } = setup();
    await runInDurableObject(stub, (store: ConfigStore) => void (store.seams.keys = keys));
    const put = await stub.put({ config: config(4) });
    if (!put.ok) throw new Error(JSON.stringify(put));
    const ref = await provider.version();
    expect(ref).toEqual(await stub.versionRef());
    const loaded = await provider.load(ref as VersionRef);
    expect(loaded).toMatchObject({ ok: true, value: { value: JSON.parse((await stub.get())?.canonical ?? "null") } });
    // The version key, then the snapshot and its load facts (in parallel), which name the snapshot.
    expect(kv.reads).toHaveLength(3);
    expect(ref?.facts).toBe(`${ref?.key}.facts.${REVISION}`);
    expect(loaded.ok && loaded.value.facts).toMatchObject({ format: 1, sha256: ref?.sha256, defaultRuleSyntax: "v3" });
  });
});

describe("DurableObjectProvider", () => {
  async function storeWith(count: number, historyLimit = 100) {
    const name = crypto.randomUUID();
    const stub = testEnv.CONFIG_STORE.get(testEnv.CONFIG_STORE.idFromName(name));
    await runInDurableObject(stub, (store: ConfigStore) => {
      store.seams.keys = keyLayout(`test/${name}/`);
      store.seams.historyLimit = historyLimit;
    });
    for (let n = 1; n <= count; n++) await stub.put({ config: config(n) });
    return { name, stub };
  }

  it("reads the newest committed version and its config over RPC, hash verified", async () => {
    const { stub } = await storeWith(2);
    const provider = new DurableObjectProvider(stub, decode);
    const ref = await provider.version();
    expect(ref).toEqual(await stub.versionRef());
    expect(ref?.version).toBe(2);
    const facts = JSON.parse((await stub.get(2, true))?.facts ?? "null");
    expect(facts).toMatchObject({ format: 1, sha256: ref?.sha256 });
    expect(await provider.load(ref as VersionRef)).toEqual({ ok: true, value: { ref, value: JSON.parse((await stub.get(2))?.canonical ?? "null"), provider: "kv", facts } });
    // Plain reads (the admin API's) do not carry the facts.
    expect(await stub.get(2)).not.toHaveProperty("facts");
  });

  it("forNamespace makes a stub per call", async () => {
    const { name } = await storeWith(1);
    const provider = DurableObjectProvider.forNamespace(testEnv.CONFIG_STORE, decode, name);
    const ref = await provider.version();
    expect(ref?.version).toBe(1);
    expect(await provider.load(ref as VersionRef)).toMatchObject({ ok: true, value: { value: expect.objectContaining({ http: expect.any(Object) }) } });
  });

  it("not ok with a reason for a wrong hash or a version no longer retained", async () => {
    const { stub } = await storeWith(3, 2);
    const provider = new DurableObjectProvider(stub, decode);
    const ref = (await provider.version()) as VersionRef;
    expect(await provider.load({ ...ref, sha256: "f".repeat(64) })).toEqual({ ok: false, error: expect.stringContaining("hash mismatch") });
    expect(await provider.load({ ...ref, version: 1 })).toEqual({ ok: false, error: expect.stringContaining("no longer retained") });
    expect(await provider.version()).toEqual(await stub.versionRef());
  });

  it("null from version() when nothing is stored", async () => {
    const provider = DurableObjectProvider.forNamespace(testEnv.CONFIG_STORE, decode, crypto.randomUUID());
    expect(await provider.version()).toBeNull();
  });
});

describe("FileProvider and FallbackProvider", () => {
  const yaml = "http:\n  routers:\n    r:\n      rule: Path(`/x`)\n      service: s\n";

  it("the file provider loads its own ref and says why for any other", async () => {
    const file = new FileProvider(yaml, "bundled.yaml", configDecoder("yaml"));
    const ref = await file.version();
    expect(ref).toEqual({ version: 0, key: "file:bundled.yaml", sha256: "" });
    expect(await file.load(ref)).toEqual({ ok: true, value: { ref, value: { http: { routers: { r: { rule: "Path(`/x`)", service: "s" } } } }, provider: "file" } });
    expect(await file.load({ ...ref, key: "config/v/1-00" })).toEqual({ ok: false, error: "config/v/1-00 is not file:bundled.yaml, the bundled file" });
  });

  it("the decoder handed in reads the file: its one-sentence error names the file in the throw", async () => {
    const bad = new FileProvider("http: [not closed", "bad.yaml", configDecoder("yaml"));
    await expect(bad.load(await bad.version())).rejects.toThrow(/^file:bad\.yaml: YAML syntax error/);
    expect(configDecoder("json")(yaml)).toEqual({ ok: false, error: expect.stringMatching(/^JSON syntax error/) });
    expect(configDecoder()(yaml)).toEqual({ ok: true, value: { http: { routers: { r: { rule: "Path(`/x`)", service: "s" } } } } });
  });

  it("the fallback gives the primary's problem as its own (no side channel)", async () => {
    const { keys, provider } = setup();
    const fallback = new FallbackProvider(provider, new FileProvider(yaml, "bundled.yaml", configDecoder("yaml")));
    const ref = { version: 3, key: keys.snapshotKey(3, "0".repeat(64)), sha256: "0".repeat(64) };
    expect(await fallback.load(ref)).toEqual({ ok: false, error: expect.stringContaining(`${ref.key} for version 3 is missing`) });
    expect(await fallback.load((await fallback.version()) as VersionRef)).toMatchObject({ ok: true, value: { provider: "file" } });
  });
});
