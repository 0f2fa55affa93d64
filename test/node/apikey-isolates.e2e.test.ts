// apiKey with keys in KV, end to end over HTTP: the real Worker bundle run twice by Miniflare (two
// Workers, so two isolates with their own key caches), sharing one config store and one API_KEYS
// namespace. A key written to KV passes on both; deleted (revoked) through the namespace, it must
// stop passing on the other isolate within its cacheDuration (plus polling slack), not later.
import { build } from "esbuild";
import { convertV4MiniflareOptions, Miniflare, type V4WorkerOptions } from "miniflare";
import { createHash } from "node:crypto";
import { request as httpRequest } from "node:http";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWhoami, type Whoami } from "../../examples/whoami.ts";

const TOKEN = "apikey-e2e-token";
const CACHE_MS = 1_000;
let mf: Miniflare | null = null;
let whoami: Whoami | null = null;
let origin = "";

function call(host: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${origin}${path}`, { method: init.method ?? "GET", headers: { host, ...init.headers }, timeout: 10_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`timeout: ${host}${path}`)));
    req.on("error", reject);
    req.end(init.body);
  });
}

const withKey = (host: string, key: string) => call(host, "/api", { headers: { "x-api-key": key } });
const sha256 = (key: string) => createHash("sha256").update(key).digest("hex");

/** Polls until `done` for at most `ms`; the last answer either way. */
async function until<T>(probe: () => Promise<T>, done: (t: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await probe();
  while (!done(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    last = await probe();
  }
  return last;
}

beforeAll(async () => {
  whoami = await startWhoami({ port: 0, name: "apikey-e2e" });
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL("../../worker/index.ts", import.meta.url).href)],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*", "node:*", "crypto"],
    loader: { ".yaml": "text" },
    write: false,
  });
  const script = bundle.outputFiles[0]!.text;
  // b reaches a's Durable Object classes by scriptName: one config store, one rate limiter.
  const shared = (name: string) => (name === "a" ? {} : { scriptName: "a" });
  const worker = (name: string): V4WorkerOptions => ({
    name,
    modules: true,
    script,
    compatibilityDate: "2026-11-01",
    compatibilityFlags: ["enable_request_signal"],
    routes: [`${name}.test/*`],
    bindings: { ADMIN_TOKEN: TOKEN, POLL_INTERVAL_MS: "0", METRICS_FLUSH_INTERVAL_MS: "3600000" },
    kvNamespaces: ["CONFIG_KV", "API_KEYS"],
    durableObjects: {
      CONFIG_STORE: { className: "ConfigStore", useSQLite: true, ...shared(name) },
      RATE_LIMITER: { className: "RateLimiter", useSQLite: true, ...shared(name) },
      HEALTH_CHECKER: { className: "HealthChecker", useSQLite: true, ...shared(name) },
      METRICS: { className: "MetricsStore", useSQLite: true, ...shared(name) },
    },
  });
  mf = new Miniflare(convertV4MiniflareOptions({ host: "127.0.0.1", port: 0, workers: [worker("a"), worker("b")] }));
  origin = (await mf.ready).origin;
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
  await mf?.dispose();
  await whoami?.close();
});

describe("apiKey keys in KV, two isolates", () => {
  it("a stored key passes on both isolates; revoked, it stops passing on the other within cacheDuration", { timeout: 60_000 }, async () => {
    const isolate = async (host: string) => (JSON.parse((await call(host, "/__switchyard/status", { headers: { authorization: `Bearer ${TOKEN}` } })).body) as { isolate: string }).isolate;
    expect(await isolate("a.test")).not.toBe(await isolate("b.test"));
    const keys = await mf!.getKVNamespace("API_KEYS");
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

  it("costs: a key read from KV vs one cached in the isolate (timed over HTTP, for the report)", { timeout: 60_000 }, async () => {
    const keys = await mf!.getKVNamespace("API_KEYS");
    const n = 40;
    for (let i = 0; i < n; i++) await keys.put(sha256(`cost-${i}`), `c${i}`);
    const time = async (key: string) => {
      const t = performance.now();
      expect((await withKey("b.test", key)).status).toBe(200);
      return performance.now() - t;
    };
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < n; i++) cold.push(await time(`cost-${i}`));
    for (let i = 0; i < n; i++) warm.push(await time(`cost-${i}`));
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
    console.log(`apiKey e2e: median request ${median(cold).toFixed(2)} ms with a KV read, ${median(warm).toFixed(2)} ms cached (n=${n}, Miniflare local KV)`);
  });
});
