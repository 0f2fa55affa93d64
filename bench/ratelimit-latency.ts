// What the rateLimit middleware adds to a request: one RPC to the RATE_LIMITER Durable Object.
// Runs the real middleware and the real object in workerd (Miniflare, SQLite-backed storage) and
// times, inside the Worker, a handler that answers at once with and without the middleware:
//   node bench/ratelimit-latency.ts [requests]
// A report, not a test: locally the object lives in the same process, so this is the floor of the
// cost (serialisation, the object's input gate, a storage write), not the network hop to the
// object's location that a deployed Worker pays.
import { build } from "esbuild";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";

const requests = Number(process.argv[2] ?? 2000);

const entry = `
import { rateLimit } from "./worker/middlewares/ratelimit/index.ts";
export { RateLimiter } from "./worker/middlewares/ratelimit/limiter.ts";
import { DurableObject } from "cloudflare:workers";

/** The same RPC with no storage: separates the call itself from the bucket's write. */
export class NoStorage extends DurableObject {
  take() {
    return { allowed: true, delayNs: 0, tokens: 1, at: Date.now() };
  }
}

const ok = async () => new Response("ok");
const ctx = { name: "bench", router: "r", service: () => null };
const limited = (options) => {
  const made = rateLimit({ period: "1s", burst: 1, ...options }, ctx);
  if (typeof made === "string") throw new Error(made);
  return made(ok);
};

async function time(handler, env, n, source, parallel = 1) {
  const start = performance.now();
  let statuses = {};
  for (let i = 0; i < n; i += parallel) {
    const batch = [];
    for (let j = 0; j < parallel && i + j < n; j++) {
      const request = new Request("https://bench.test/");
      const rc = { url: new URL(request.url), clientIP: source(i + j), waitUntil() {}, env };
      batch.push(handler(request, rc));
    }
    for (const res of await Promise.all(batch)) statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  }
  return { perRequestMs: (performance.now() - start) / n, statuses };
}

export default {
  async fetch(request, env) {
    const n = Number(new URL(request.url).searchParams.get("n"));
    const out = {};
    out.baseline = await time(ok, env, n, () => "192.0.2.1");
    // Allowed every time: one object, one RPC and one storage write per request.
    out.allowed = await time(limited({ average: 1_000_000_000, burst: 1_000_000_000 }), env, n, () => "192.0.2.2");
    // The call alone: an object that answers without touching storage.
    out.rpcOnly = await time(limited({ average: 1_000_000_000, burst: 1_000_000_000 }), { RATE_LIMITER: env.NO_STORAGE }, n, () => "192.0.2.5");
    // Refused by the object (first sight of each source's bucket state in this instance).
    const tight = limited({ average: 1, period: "1h" });
    await tight(new Request("https://bench.test/"), { url: new URL("https://bench.test/"), clientIP: "192.0.2.3", waitUntil() {}, env });
    out.refusedLocally = await time(tight, env, n, () => "192.0.2.3");
    // Many sources: one object each (first request to an object creates it).
    out.newObjects = await time(limited({ average: 1_000_000, burst: 1_000 }), env, Math.min(n, 500), (i) => "198.51.100." + i);
    // 32 at once on one object: the object serialises them.
    out.parallel32 = await time(limited({ average: 1_000_000_000, burst: 1_000_000_000 }), env, n, () => "192.0.2.4", 32);
    return Response.json(out);
  },
};
`;

const bundle = await build({
  stdin: { contents: entry, resolveDir: process.cwd(), sourcefile: "bench-entry.js", loader: "js" },
  bundle: true,
  format: "esm",
  platform: "neutral",
  write: false,
  external: ["cloudflare:*"],
  mainFields: ["module", "main"],
  conditions: ["workerd", "worker", "browser"],
});

const mf = new Miniflare(
  convertV4MiniflareOptions({
    modules: true,
    script: bundle.outputFiles[0]?.text ?? "",
    compatibilityDate: "2026-11-01",
    durableObjects: {
      RATE_LIMITER: { className: "RateLimiter", useSQLite: true },
      NO_STORAGE: { className: "NoStorage", useSQLite: true },
    },
  }),
);
try {
  const res = await mf.dispatchFetch(`http://bench.test/?n=${requests}`);
  const result = (await res.json()) as Record<string, { perRequestMs: number; statuses: Record<string, number> }>;
  console.log(`rateLimit middleware, ${requests} requests each (times per request, measured inside the Worker):`);
  for (const [name, r] of Object.entries(result)) {
    console.log(`  ${name.padEnd(15)} ${(r.perRequestMs * 1000).toFixed(0).padStart(6)} µs   statuses ${JSON.stringify(r.statuses)}`);
  }
  const added = (result.allowed?.perRequestMs ?? 0) - (result.baseline?.perRequestMs ?? 0);
  console.log(`  → added by one Durable Object call on the hot path: ${(added * 1000).toFixed(0)} µs per request (local)`);
} finally {
  await mf.dispose();
}
