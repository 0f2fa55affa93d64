// The config store and signed configs: a write's signature is kept with its version, published in
// the version key (KV and the durable-object provider's versionRef), listed as signed in history,
// carried by a rollback to unchanged text, and refused (400, at "signature") when malformed.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ConfigStoreObject as ConfigStore } from "../../../providers/config-store.ts";
import { keyLayout } from "../../../providers/kv.ts";
import type { WorkerEnv } from "../../../worker/index.ts";

const testEnv = env as WorkerEnv;
// 64 bytes, base64url: the store checks the form only (the isolates check the key).
const SIGNATURE = "A".repeat(85) + "w";

function config(n: number) {
  return { http: { routers: { web: { rule: "PathPrefix(`/web`)", service: "web" } }, services: { web: { loadBalancer: { servers: [{ url: `https://b-${n}.example.com` }] } } } } };
}

async function openStore() {
  const stub = testEnv.CONFIG_STORE.get(testEnv.CONFIG_STORE.idFromName(crypto.randomUUID()));
  const keys = keyLayout(`test/${crypto.randomUUID()}/`);
  await runInDurableObject(stub, (store: ConfigStore) => {
    store.seams.keys = keys;
  });
  return { stub, keys };
}

describe("ConfigStore and signatures", () => {
  it("keeps a write's signature and publishes it in the version key and versionRef", async () => {
    const { stub, keys } = await openStore();
    const put = await stub.put({ config: config(1), signature: SIGNATURE });
    expect(put).toMatchObject({ ok: true, record: { version: 1, signed: true } });
    expect(await testEnv.CONFIG_KV.get<{ signature?: string }>(keys.versionKey, "json")).toMatchObject({ version: 1, signature: SIGNATURE });
    expect(await stub.versionRef()).toMatchObject({ version: 1, signature: SIGNATURE });
    await stub.put({ config: config(2) });
    // (KV's version key follows at most once a second: the store's own ref from here on.)
    const unsigned = await stub.versionRef();
    expect(unsigned).toMatchObject({ version: 2 });
    expect(unsigned).not.toHaveProperty("signature");
    expect((await stub.history()).map((r) => [r.version, r.signed ?? false])).toEqual([[2, false], [1, true]]);
  });

  it("a rollback re-publishes the old version with its original signature", async () => {
    const { stub } = await openStore();
    await stub.put({ config: config(1), signature: SIGNATURE });
    await stub.put({ config: config(2) });
    expect(await stub.rollback(1)).toMatchObject({ ok: true, record: { version: 3, rollbackOf: 1, signed: true } });
    expect(await stub.versionRef()).toMatchObject({ version: 3, signature: SIGNATURE });
    expect(await stub.rollback(2)).toMatchObject({ ok: true, record: { version: 4, rollbackOf: 2 } });
    expect(await stub.versionRef()).not.toHaveProperty("signature");
  });

  it("names the newest signed version for a cold isolate's fallback (signedVersionRef)", async () => {
    const { stub } = await openStore();
    expect(await stub.signedVersionRef()).toBeNull();
    await stub.put({ config: config(1) });
    expect(await stub.signedVersionRef()).toBeNull();
    await stub.put({ config: config(2), signature: SIGNATURE });
    await stub.put({ config: config(3) });
    expect(await stub.signedVersionRef()).toMatchObject({ version: 2, signature: SIGNATURE });
    expect(await stub.versionRef()).toMatchObject({ version: 3 });
  });

  it("refuses a malformed signature at its path, storing nothing", async () => {
    const { stub } = await openStore();
    expect(await stub.put({ config: config(1), signature: "c2hvcnQ" })).toEqual({
      ok: false,
      status: 400,
      errors: [{ path: "signature", message: "an Ed25519 signature is 64 bytes, this one is 5", severity: "error" }],
    });
    expect(await stub.versionRef()).toBeNull();
  });
});
