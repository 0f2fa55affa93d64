// The config store's side of shadow evaluation: the candidate admitted as a put would be, kept
// beside the versions (never one of them), published to KV's shadow keys; reports checked,
// summed for the running candidate and dropped for any other.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ConfigStoreObject } from "../../../providers/config-store.ts";
import { keyLayout } from "../../../providers/store/keys.ts";
import { shadowPointerKey } from "../../../providers/store/shadow.ts";
import type { WorkerEnv } from "../../../worker/index.ts";

const testEnv = env as WorkerEnv;
const config = (router: string) => ({ http: { routers: { [router]: { rule: `Path(\`/${router}\`)`, service: "s" } }, services: { s: { loadBalancer: { servers: [{ url: "http://127.0.0.1:1" }] } } } } });

async function openStore() {
  const stub = testEnv.CONFIG_STORE.get(testEnv.CONFIG_STORE.idFromName(crypto.randomUUID()));
  const keys = keyLayout(`shadow-test/${crypto.randomUUID()}/`);
  await runInDurableObject(stub, (store: ConfigStoreObject) => {
    store.seams.keys = keys;
    store.seams.publishedInKv = async () => null;
  });
  return { stub, keys };
}

describe("ConfigStore shadow", () => {
  it("starts a candidate without making a version, publishes its pointer and text, sums reports", async () => {
    const { stub, keys } = await openStore();
    const live = await stub.put({ config: config("live") });
    if (!live.ok) throw new Error("put failed");
    const started = await stub.startShadow({ config: config("next"), sampleRate: 0.5, author: "ci" });
    if (!started.ok) throw new Error(JSON.stringify(started));
    const s = started.shadow;
    if (!s.active) throw new Error("not active");
    expect(s).toMatchObject({ sampleRate: 0.5, author: "ci", basedOn: live.record.version, sampled: 0, moved: 0, moves: [], summary: [] });
    expect(await stub.history()).toHaveLength(1);
    const pointer = (await testEnv.CONFIG_KV.get(shadowPointerKey(keys), "json")) as { id: string; key: string; sampleRate: number };
    expect(pointer).toMatchObject({ id: s.id, sampleRate: 0.5 });
    expect(JSON.parse((await testEnv.CONFIG_KV.get(pointer.key))!)).toMatchObject({ http: { routers: { next: {} } } });

    expect(await stub.shadowReport({ id: s.id, sampled: 900, moves: [{ from: "live", to: null, count: 29 }, { from: "live", to: "next", count: 3 }] })).toEqual({ ok: true, kept: true });
    expect(await stub.shadowReport({ id: s.id, sampled: 100, moves: [{ from: "live", to: "next", count: 4 }] })).toEqual({ ok: true, kept: true });
    expect(await stub.shadowReport({ id: "another", sampled: 100, moves: [] })).toEqual({ ok: true, kept: false });
    const now = await stub.shadow();
    expect(now).toMatchObject({
      sampled: 1000,
      moved: 36,
      moves: [{ from: "live", to: null, count: 29, percent: 2.9 }, { from: "live", to: "next", count: 7, percent: 0.7 }],
      summary: ["2.9 % of requests would get 404 (they go to router `live` now)", "0.7 % of requests would move from router `live` to `next`"],
    });

    const stopped = await stub.stopShadow();
    expect(stopped).toMatchObject({ id: s.id, sampled: 1000 });
    expect(await stub.shadow()).toEqual({ active: false });
    expect(await testEnv.CONFIG_KV.get(shadowPointerKey(keys))).toBe("{}");
    expect(await stub.shadowReport({ id: s.id, sampled: 1, moves: [] })).toEqual({ ok: true, kept: false });
  });

  it("refuses an invalid candidate or sample rate, and malformed reports", async () => {
    const { stub } = await openStore();
    const bad = await stub.startShadow({ config: { http: { routers: { r: { rule: "Path(`/r`)", service: "none" } } } } });
    expect(bad).toMatchObject({ ok: false, status: 400 });
    expect(await stub.startShadow({ config: config("a"), sampleRate: 1.5 })).toMatchObject({ ok: false, status: 400, errors: [{ path: "sampleRate" }] });
    expect(await stub.shadow()).toEqual({ active: false });
    const malformed: unknown[] = [
      null,
      { id: "x", sampled: -1, moves: [] },
      { id: "x", sampled: 1.5, moves: [] },
      { id: "x", sampled: 1, moves: [{ from: "a", to: "a", count: 1 }] },
      { id: "x", sampled: 1, moves: [{ from: "a", to: "b", count: 2 }] },
      { id: "x", sampled: 1, moves: "lots" },
    ];
    for (const report of malformed) expect((await stub.shadowReport(report)).ok, JSON.stringify(report)).toBe(false);
  });
});
