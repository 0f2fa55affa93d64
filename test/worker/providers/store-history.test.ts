// ConfigStore history: get, history paging, retention, rollback and diff.
import { REVISION } from "../../../worker/compile/revision.ts";
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DEFAULT_HISTORY_LIMIT, parseHistoryLimit, type ConfigStoreObject as ConfigStore } from "../../../providers/config-store.ts";
import { keyLayout } from "../../../providers/kv.ts";
import type { WorkerEnv } from "../../../worker/index.ts";

const testEnv = env as WorkerEnv;

type Section = Record<string, unknown>;

function httpConfig(routers: Section, services: Section, serversTransports?: Section) {
  return { http: { routers, services, ...(serversTransports ? { serversTransports } : {}) } };
}
const lb = (host: string, transport?: string) => ({
  loadBalancer: { servers: [{ url: `https://${host}.example.com` }], ...(transport ? { serversTransport: transport } : {}) },
});
const router = (path: string, service: string) => ({ rule: `PathPrefix(\`${path}\`)`, service });
const config = (n: number) => httpConfig({ web: router("/web", "web") }, { web: lb(`backend-${n}`) });

async function openStore(historyLimit?: number) {
  const stub = testEnv.CONFIG_STORE.get(testEnv.CONFIG_STORE.idFromName(crypto.randomUUID()));
  const keys = keyLayout(`test/${crypto.randomUUID()}/`);
  await runInDurableObject(stub, (store: ConfigStore) => {
    store.seams.keys = keys;
    if (historyLimit !== undefined) store.seams.historyLimit = historyLimit;
  });
  return { stub, keys };
}

async function putAll(stub: Awaited<ReturnType<typeof openStore>>["stub"], count: number) {
  for (let n = 1; n <= count; n++) {
    const result = await stub.put({ config: config(n), message: `v${n}` });
    if (!result.ok) throw new Error(`put ${n} failed: ${JSON.stringify(result)}`);
  }
}

describe("get and history", () => {
  it("gets the newest or a given version, and lists history newest first with a limit", async () => {
    const { stub } = await openStore();
    expect(await stub.get()).toBeNull();
    await putAll(stub, 4);
    expect((await stub.get())?.record).toMatchObject({ version: 4, message: "v4" });
    const second = await stub.get(2);
    expect(second?.record.version).toBe(2);
    expect(JSON.parse(second?.canonical ?? "null")).toMatchObject(config(2));
    expect(await stub.get(9)).toBeNull();
    expect((await stub.history()).map((r) => r.version)).toEqual([4, 3, 2, 1]);
    expect((await stub.history(2)).map((r) => r.version)).toEqual([4, 3]);
    const [newest] = await stub.history(1);
    expect(newest).toMatchObject({ version: 4, author: "unknown", message: "v4" });
    expect(Date.parse(newest?.createdAt ?? "")).not.toBeNaN();
  });

  it("keeps only the newest HISTORY_LIMIT versions", async () => {
    const { stub } = await openStore(3);
    await putAll(stub, 6);
    expect((await stub.history(100)).map((r) => r.version)).toEqual([6, 5, 4]);
    expect(await stub.get(3)).toBeNull();
    expect(await stub.rollback(2)).toMatchObject({ ok: false, status: 404 });
    expect(await stub.diff(1, 6)).toEqual({ error: expect.stringContaining("1") });
    // Numbering carries on after pruning.
    expect(await stub.put({ config: config(7) })).toMatchObject({ ok: true, record: { version: 7 } });
  });

  it("a limit of 1 still keeps the newest", async () => {
    const { stub } = await openStore(1);
    await putAll(stub, 3);
    expect((await stub.history()).map((r) => r.version)).toEqual([3]);
    expect((await stub.versionRef())?.version).toBe(3);
  });

  it("reads HISTORY_LIMIT: a whole number >= 1, else the default 100", () => {
    expect(DEFAULT_HISTORY_LIMIT).toBe(100);
    expect(parseHistoryLimit(undefined)).toBe(100);
    expect(parseHistoryLimit("")).toBe(100);
    expect(parseHistoryLimit("25")).toBe(25);
    expect(parseHistoryLimit("0")).toBe(100);
    expect(parseHistoryLimit("2.5")).toBe(100);
    expect(parseHistoryLimit("lots")).toBe(100);
  });
});

describe("rollback", () => {
  it("makes a new version with an old version's content, marked rollbackOf, and publishes it", async () => {
    const { stub, keys } = await openStore();
    await putAll(stub, 2);
    const v1 = await stub.get(1);
    const result = await stub.rollback(1, { author: "oncall" });
    expect(result).toMatchObject({ ok: true, record: { version: 3, rollbackOf: 1, author: "oncall", message: "rollback to version 1" } });
    const v3 = await stub.get(3);
    expect(v3?.canonical).toBe(v1?.canonical);
    expect(v3?.record.sha256).toBe(v1?.record.sha256);
    expect((await stub.history(1))[0]?.rollbackOf).toBe(1);
    // Published like any write (the second write within a second waits for the alarm; check the store's view).
    const key = keys.snapshotKey(3, v1!.record.sha256);
    expect(await stub.versionRef()).toEqual({ version: 3, key, sha256: v1?.record.sha256, facts: `${key}.facts.${REVISION}` });
  });

  it("404 for a version that is not retained, 412 for a stale ifMatch", async () => {
    const { stub } = await openStore();
    await putAll(stub, 2);
    expect(await stub.rollback(7)).toMatchObject({ ok: false, status: 404 });
    expect(await stub.rollback(1, { ifMatch: 1 })).toMatchObject({ ok: false, status: 412, current: 2 });
    expect(await stub.rollback(1, { ifMatch: 2, message: "back" })).toMatchObject({ ok: true, record: { version: 3, message: "back" } });
    expect((await stub.history()).length).toBe(3);
  });
});

describe("diff", () => {
  it("lists added, removed and changed names per section", async () => {
    const { stub } = await openStore();
    const before = httpConfig(
      { web: router("/web", "web"), old: router("/old", "web"), api: router("/api", "api") },
      { web: lb("web"), api: lb("api-1") },
      { fast: { forwardingTimeouts: { responseHeaderTimeout: "5s" } } },
    );
    const after = httpConfig(
      // Same router, keys in another order: canonical JSON makes it unchanged.
      { web: { service: "web", rule: "PathPrefix(`/web`)" }, api: router("/v2", "api"), docs: router("/docs", "docs") },
      { web: lb("web", "slow"), api: lb("api-1"), docs: lb("docs") },
      { slow: { forwardingTimeouts: { responseHeaderTimeout: "30s" } } },
    );
    await stub.put({ config: before });
    await stub.put({ config: after });
    expect(await stub.diff(1, 2)).toEqual({
      from: 1,
      to: 2,
      routers: { added: ["docs"], removed: ["old"], changed: ["api"] },
      services: { added: ["docs"], removed: [], changed: ["web"] },
      middlewares: { added: [], removed: [], changed: [] },
      serversTransports: { added: ["slow"], removed: ["fast"], changed: [] },
    });
    expect(await stub.diff(2, 1)).toMatchObject({ routers: { added: ["old"], removed: ["docs"], changed: ["api"] } });
    expect(await stub.diff(1, 1)).toMatchObject({ routers: { added: [], removed: [], changed: [] } });
  });

  it("an unknown version is an error, not an exception", async () => {
    const { stub } = await openStore();
    await putAll(stub, 1);
    expect(await stub.diff(1, 5)).toEqual({ error: expect.stringContaining("5") });
    expect(await stub.diff(0, 1)).toEqual({ error: expect.stringContaining("0") });
  });
});
