// The watcher over the real KV provider and config store: one version read per interval however
// many requests arrive, and a published write picked up by the next poll.
import { env } from "cloudflare:test";
import { expect, inject, it } from "vitest";
import { KvProvider, type KvReader } from "../../../providers/kv.ts";
import type { Snapshot } from "../../../worker/compile/snapshot.ts";
import { configDecoder } from "../../../worker/config/index.ts";
import { routerListener } from "../../../worker/dynamic/listener.ts";
import { Switcher } from "../../../worker/dynamic/switcher.ts";
import { Watcher } from "../../../worker/dynamic/watcher.ts";
import type { WorkerEnv } from "../../../worker/index.ts";
import { CONFIG_STORE_NAME } from "../../../providers/config-store-api.ts";

const testEnv = env as WorkerEnv;
const upstream = inject("whoamiUrl");

function countingKv(kv: KVNamespace): KvReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    get: ((key: string, options: { type: "json" | "text"; cacheTtl?: number }) => {
      reads.push(key);
      return kv.get(key, options as KVNamespaceGetOptions<"text">);
    }) as KvReader["get"],
  };
}

function config(n: number) {
  return { http: { routers: { r: { rule: "PathPrefix(`/`)", service: `s${n}` } }, services: { [`s${n}`]: { loadBalancer: { servers: [{ url: upstream }] } } } } };
}

it("reads KV once per poll interval, never between polls, and picks up a write at the next poll", async () => {
  const store = testEnv.CONFIG_STORE.get(testEnv.CONFIG_STORE.idFromName(CONFIG_STORE_NAME));
  const first = await store.put({ config: config(1) });
  if (!first.ok) throw new Error("put failed");

  const kv = countingKv(testEnv.CONFIG_KV);
  const switcher = new Switcher<Snapshot>();
  const intervalMs = 300;
  const watcher = new Watcher(new KvProvider(kv, { decode: configDecoder() }), routerListener(switcher), { intervalMs });
  await watcher.poll();
  expect(switcher.current?.meta.version).toBe(first.record.version);
  expect(switcher.current?.meta.load).toBe("facts");
  expect(kv.reads).toHaveLength(3); // the version key, then the new snapshot and its load facts

  // A burst of requests inside one interval: no poll is due, so no read.
  for (let i = 0; i < 500; i++) expect(watcher.maybePoll()).toBeNull();
  expect(kv.reads).toHaveLength(3);

  await new Promise((r) => setTimeout(r, 1_100)); // KV takes one version-key write a second
  const second = await store.put({ config: config(2) });
  if (!second.ok) throw new Error("put failed");
  const writtenAt = Date.now();
  let polls = 0;
  while (switcher.current?.meta.version !== second.record.version) {
    const poll = watcher.maybePoll();
    if (poll) {
      polls++;
      await poll;
    } else await new Promise((r) => setTimeout(r, 5));
    expect(Date.now() - writtenAt).toBeLessThan(intervalMs + 200);
  }
  expect(polls).toBe(1);
  // One version read per poll, one snapshot and one facts read per new version.
  expect(kv.reads.filter((k) => k.endsWith("config/version"))).toHaveLength(2);
  expect(kv.reads.filter((k) => k.includes(".facts."))).toHaveLength(2);
  expect(kv.reads).toHaveLength(6);
});
