// CONFIG_SOURCE picks where isolates learn config from.
import { env } from "cloudflare:test";
import { expect, inject, it } from "vitest";
import { CONFIG_STORE_NAME } from "../../../providers/config-store-api.ts";
import { sha256Hex } from "../../../providers/store/hash.ts";
import type { WorkerEnv } from "../../../worker/index.ts";
import { createRuntime } from "../../../worker/runtime.ts";

const testEnv = env as WorkerEnv;
const upstream = inject("whoamiUrl");

it("durable-object: the version comes from the config store itself, even before KV has it", async () => {
  const store = testEnv.CONFIG_STORE.get(testEnv.CONFIG_STORE.idFromName(CONFIG_STORE_NAME));
  const config = { http: { routers: { r: { rule: "Path(`/do`)", service: "s" } }, services: { s: { loadBalancer: { servers: [{ url: upstream }] } } } } };
  const put = await store.put({ config });
  if (!put.ok) throw new Error("put failed");
  // Make KV lag: whatever it says, the DO source must not read it.
  await testEnv.CONFIG_KV.delete("config/version");
  const runtime = createRuntime({ ...testEnv, CONFIG_SOURCE: "durable-object" });
  await runtime.watcher.poll();
  expect(runtime.status()).toMatchObject({ source: "durable-object+file", serving: { version: put.record.version } });
  expect(runtime.switcher.current?.config.http?.routers?.r?.rule).toBe("Path(`/do`)");
});

it("kv (default): with nothing in KV, the bundled file serves as version 0", async () => {
  await testEnv.CONFIG_KV.delete("config/version");
  const runtime = createRuntime({ ...testEnv, CONFIG_SOURCE: undefined });
  await runtime.watcher.poll();
  expect(runtime.status().serving).toMatchObject({ version: 0, provider: "file" });
});

it("file: only the bundled config, KV is never asked", async () => {
  const runtime = createRuntime({ ...testEnv, CONFIG_SOURCE: "file", CONFIG_KV: undefined as unknown as KVNamespace });
  await runtime.watcher.poll();
  expect(runtime.status()).toMatchObject({ source: "file", serving: { version: 0 } });
});

it("kv (default): a cold isolate handed an empty config by a plain KV write serves the config store's newest instead", async () => {
  const store = testEnv.CONFIG_STORE.get(testEnv.CONFIG_STORE.idFromName(CONFIG_STORE_NAME));
  const config = { http: { routers: { kept: { rule: "Path(`/kept`)", service: "s" } }, services: { s: { loadBalancer: { servers: [{ url: upstream }] } } } } };
  const put = await store.put({ config });
  if (!put.ok) throw new Error("put failed");
  // Let the store finish publishing (a write within a second of the last is left to an alarm), so
  // it cannot overwrite the hand-written key below.
  for (let i = 0; i < 300 && (await store.publishState()).published !== put.record.version; i++) await new Promise((r) => setTimeout(r, 10));
  const text = "# emptied by accident\n";
  const sha256 = await sha256Hex(text);
  const key = `config/v/${put.record.version + 1}-${sha256.slice(0, 16)}`;
  await testEnv.CONFIG_KV.put(key, text);
  await testEnv.CONFIG_KV.put("config/version", JSON.stringify({ version: put.record.version + 1, key, sha256 }));
  const runtime = createRuntime({ ...testEnv, CONFIG_SOURCE: undefined });
  await runtime.watcher.poll();
  expect(runtime.status()).toMatchObject({ serving: { version: put.record.version } });
  expect(runtime.status().lastError?.message).toMatch(/no routers.*in the config store, which this isolate serves instead/);
  expect(Object.keys(runtime.switcher.current?.config.http?.routers ?? {})).toEqual(["kept"]);
});
