// A cold isolate serves a config the config store published without validating it again (its
// load facts, worker/compile/facts.ts); a snapshot written to KV by hand, or facts that do not fit
// (another build, another config, another rule syntax), go through full validation.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ConfigStore } from "../../../worker/store-admission.ts";
import { DurableObjectProvider } from "../../../providers/do.ts";
import { keyLayout, KvProvider } from "../../../providers/kv.ts";
import { encodeVersionRef } from "../../../providers/store/ref.ts";
import { sha256Hex } from "../../../providers/store/hash.ts";
import type { Snapshot } from "../../../worker/compile/snapshot.ts";
import { configDecoder } from "../../../worker/config/index.ts";
import { routerListener } from "../../../worker/dynamic/listener.ts";
import { Switcher } from "../../../worker/dynamic/switcher.ts";
import { Watcher } from "../../../worker/dynamic/watcher.ts";
import type { WorkerEnv } from "../../../worker/index.ts";
import { viewFromDescription } from "../../../worker/rules/index.ts";

const testEnv = env as WorkerEnv;
/** As the runtime decodes KV snapshots: bounds are the listener's to check (runtime.ts). */
const decode = configDecoder("auto", { bounds: false });

const config = {
  http: {
    routers: {
      api: { rule: "Host(`a.example`) && PathPrefix(`/api`)", service: "api" },
      web: { rule: "Host(`a.example`)", service: "web" },
    },
    services: {
      api: { loadBalancer: { servers: [{ url: "http://127.0.0.1:9" }] } },
      web: { loadBalancer: { servers: [{ url: "http://127.0.0.1:9" }] } },
    },
  },
};

/** A store of its own, publishing under its own KV prefix, with one version put through it. */
async function published(defaultSyntax?: string) {
  const name = crypto.randomUUID();
  const keys = keyLayout(`facts-test/${name}/`);
  const stub = testEnv.CONFIG_STORE.get(testEnv.CONFIG_STORE.idFromName(name));
  await runInDurableObject(stub, (store: ConfigStore) => void (store.seams.keys = keys));
  const put = await stub.put({ config });
  if (!put.ok) throw new Error(JSON.stringify(put));
  return { stub, keys, defaultSyntax };
}

async function load(keys: ReturnType<typeof keyLayout>, defaultRuleSyntax?: string): Promise<Snapshot> {
  const switcher = new Switcher<Snapshot>();
  const watcher = new Watcher(new KvProvider(testEnv.CONFIG_KV, { decode, keys }), routerListener(switcher, { defaultRuleSyntax }), { intervalMs: 60_000 });
  await watcher.poll();
  if (watcher.state.lastError) throw new Error(watcher.state.lastError.message);
  return switcher.current!;
}

const routed = (s: Snapshot, url: string) => s.muxer.match(viewFromDescription({ method: "GET", url, headers: {} }))?.name ?? null;

describe("load facts", () => {
  it("a version published by the store loads from its facts and routes as validated", async () => {
    const { keys } = await published();
    const snapshot = await load(keys);
    expect(snapshot.meta.load).toBe("facts");
    expect(routed(snapshot, "http://a.example/api/x")).toBe("api");
    expect(routed(snapshot, "http://a.example/")).toBe("web");
    expect(routed(snapshot, "http://b.example/")).toBeNull();
  });

  it("the durable-object source carries the facts too", async () => {
    const { stub } = await published();
    const switcher = new Switcher<Snapshot>();
    const watcher = new Watcher(new DurableObjectProvider(stub, decode), routerListener(switcher), { intervalMs: 60_000 });
    await watcher.poll();
    expect(switcher.current?.meta.load).toBe("facts");
    expect(routed(switcher.current!, "http://a.example/api")).toBe("api");
  });

  it("a snapshot written to KV by hand (no facts) is validated in full, and refused when invalid", async () => {
    const keys = keyLayout(`facts-test/${crypto.randomUUID()}/`);
    const write = async (version: number, value: unknown) => {
      const text = JSON.stringify(value);
      const sha256 = await sha256Hex(text);
      const key = keys.snapshotKey(version, sha256);
      await testEnv.CONFIG_KV.put(key, text);
      await testEnv.CONFIG_KV.put(keys.versionKey, encodeVersionRef({ version, key, sha256 }));
    };
    await write(1, config);
    expect((await load(keys)).meta.load).toBe("validated");
    await write(2, { http: { routers: { bad: { rule: "Host(`x`", service: "web" } }, services: config.http.services } });
    await expect(load(keys)).rejects.toThrow(/http\.routers\.bad\.rule/);
  });

  it("a hand-written snapshot nested too deep is refused by the listener's bounds check, before any walk", async () => {
    const keys = keyLayout(`facts-test/${crypto.randomUUID()}/`);
    let deep: unknown = "x";
    for (let i = 0; i < 5_000; i++) deep = { a: deep };
    const text = JSON.stringify({ http: { routers: { r: { rule: "Path(`/`)", service: "s" } }, middlewares: { m: { headers: { customRequestHeaders: deep } } } } });
    const sha256 = await sha256Hex(text);
    const key = keys.snapshotKey(1, sha256);
    await testEnv.CONFIG_KV.put(key, text);
    await testEnv.CONFIG_KV.put(keys.versionKey, encodeVersionRef({ version: 1, key, sha256 }));
    await expect(load(keys)).rejects.toThrow(/nested deeper than 64 levels/);
  });

  it("facts that do not fit are ignored: another build, another config, another rule syntax", async () => {
    const { keys } = await published();
    const ref = JSON.parse((await testEnv.CONFIG_KV.get(keys.versionKey)) ?? "null") as { facts: string; sha256: string };
    const facts = JSON.parse((await testEnv.CONFIG_KV.get(ref.facts)) ?? "null") as Record<string, unknown>;
    await testEnv.CONFIG_KV.put(ref.facts, JSON.stringify({ ...facts, revision: "0123456789abcdef" }));
    expect((await load(keys)).meta.load).toBe("validated");
    await testEnv.CONFIG_KV.put(ref.facts, JSON.stringify({ ...facts, sha256: "0".repeat(64) }));
    expect((await load(keys)).meta.load).toBe("validated");
    await testEnv.CONFIG_KV.put(ref.facts, "{not json");
    expect((await load(keys)).meta.load).toBe("validated");
    await testEnv.CONFIG_KV.put(ref.facts, JSON.stringify(facts));
    expect((await load(keys)).meta.load).toBe("facts");
    // The isolate reads rules in v2 by default: the store's v3 facts do not apply.
    expect((await load(keys, "v2")).meta.load).toBe("validated");
  });

  it("a published version whose facts key is missing still loads (validated)", async () => {
    const { keys } = await published();
    const ref = JSON.parse((await testEnv.CONFIG_KV.get(keys.versionKey)) ?? "null") as { facts: string };
    await testEnv.CONFIG_KV.delete(ref.facts);
    expect((await load(keys)).meta.load).toBe("validated");
  });
});
