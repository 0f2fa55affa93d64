// apiKey with keys in KV, end to end over HTTP: the real Worker bundle run twice by Miniflare (two
// Workers, so two isolates with their own key caches), sharing one config store and one API_KEYS
// namespace. A key written to KV passes on both; deleted (revoked) through the namespace, it must
// stop passing on the other isolate within its cacheDuration (plus polling slack), not later.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWhoami, type Whoami } from "../../examples/whoami.ts";
import { pollUntil as until, startTwoIsolates, type TwoIsolates } from "./helpers/two-isolates.ts";

const TOKEN = "apikey-e2e-token";
const CACHE_MS = 1_000;
let isolates: TwoIsolates | null = null;
let whoami: Whoami | null = null;

const call: TwoIsolates["call"] = (...args) => isolates!.call(...args);
const withKey = (host: string, key: string) => call(host, "/api", { headers: { "x-api-key": key } });
const sha256 = (key: string) => createHash("sha256").update(key).digest("hex");

beforeAll(async () => {
  whoami = await startWhoami({ port: 0, name: "apikey-e2e" });
  isolates = await startTwoIsolates({ ADMIN_TOKEN: TOKEN, POLL_INTERVAL_MS: "0" }, ["CONFIG_KV", "API_KEYS"]);
  const config = {
    http: {
      routers: { api: { rule: "PathPrefix(`/api`)", service: "app", middlewares: ["keys", "perConsumer"] } },
      services: { app: { loadBalancer: { servers: [{ url: whoami.url }] } } },
      middlewares: {
        keys: { apiKey: { keySource: { header: "X-Api-Key" }, secretNonBase64Encoded: true, store: { kv: "API_KEYS", cacheDuration: `${CACHE_MS}ms`, missCacheDuration: "200ms" } } },
        perConsumer: { rateLimit: { average: 1000, period: "1s", burst: 1000, sourceCriterion: { requestHeaderName: "X-Consumer-Id" } } },
      },
    },
  };
  const put = await call("a.test", "/__switchyard/config", { method: "PUT", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(config) });
  expect(put.status, put.body).toBe(200);
}, 90_000);

afterAll(async () => {
  await isolates?.dispose();
  await whoami?.close();
});

describe("apiKey keys in KV, two isolates", () => {
  it("a stored key passes on both isolates; revoked, it stops passing on the other within cacheDuration", { timeout: 60_000 }, async () => {
    const isolate = async (host: string) => (JSON.parse((await call(host, "/__switchyard/status", { headers: { authorization: `Bearer ${TOKEN}` } })).body) as { isolate: string }).isolate;
    expect(await isolate("a.test")).not.toBe(await isolate("b.test"));
    const keys = await isolates!.mf.getKVNamespace("API_KEYS");
    await keys.put(sha256("key-of-acme"), "acme");
    for (const host of ["a.test", "b.test"]) {
      const ok = await until(() => withKey(host, "key-of-acme"), (r) => r.status === 200, 10_000);
      expect(ok.status, `${host}: ${ok.body}`).toBe(200);
      expect((JSON.parse(ok.body) as { headers: Record<string, string> }).headers["x-consumer-id"]).toBe("acme");
      expect((await withKey(host, "not-a-key")).status).toBe(401);
    }
    const revokedAt = Date.now();
    await keys.delete(sha256("key-of-acme"));
    const after = await until(() => withKey("b.test", "key-of-acme"), (r) => r.status === 401, CACHE_MS + 5_000);
    const tookMs = Date.now() - revokedAt;
    expect(after.status).toBe(401);
    expect(tookMs).toBeLessThan(CACHE_MS + 2_000);
    expect((await until(() => withKey("a.test", "key-of-acme"), (r) => r.status === 401, CACHE_MS + 5_000)).status).toBe(401);
    console.log(`apiKey e2e: revocation reached the second isolate after ${tookMs} ms (cacheDuration ${CACHE_MS} ms)`);
  });
});
