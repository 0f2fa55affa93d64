// Runs inside workerd (bench/metrics-workerd.ts bundles it): `n` requests through serve() with
// metrics off or on, timed by the clock. workerd's clock stands still while code runs and moves
// on I/O, so the loop is fenced by two timer waits and the time between them is the loop's.
import { compileSnapshot } from "../../worker/compile/snapshot.ts";
import { validateConfig } from "../../worker/config/index.ts";
import { IsolateMetrics, memorySink } from "../../worker/metrics/isolate.ts";
import { serve, type ServeOptions } from "../../worker/serve.ts";
import type { RequestContext } from "../../worker/services/types.ts";
import type { MetricsStore } from "../../worker/metrics/store.ts";
import { protocolOf } from "../../worker/metrics/request.ts";

export { MetricsStore } from "../../worker/metrics/store.ts";

const config = {
  http: {
    routers: Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`r${i}`, { rule: `Host(\`h${i}.example.com\`) && PathPrefix(\`/api\`)`, service: "noop@internal" }]),
    ),
  },
};

function setup() {
  const valid = validateConfig(config);
  if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
  const compiled = compileSnapshot(valid.config, { version: 1, sha256: "", source: "bench", provider: "file", warnings: [] }, null, valid.rules);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
  const METHODS = ["GET", "POST", "PUT", "DELETE"];
  const requests = Array.from({ length: 256 }, (_, i) => {
    const host = i % 16 === 15 ? "nowhere.example.com" : `h${i % 20}.example.com`;
    const headers: Record<string, string> = i % 7 === 0 ? { accept: "text/event-stream" } : i % 11 === 0 ? { "content-type": "application/grpc" } : {};
    const request = new Request(`https://${host}/api/x`, { method: METHODS[i % 4], headers });
    const rc: RequestContext = { url: new URL(request.url), clientIP: "192.0.2.1", waitUntil: () => {}, env: {}, observed: { retryAttempts: 0 } };
    return { request, rc };
  });
  const metrics = new IsolateMetrics(memorySink(), { intervalMs: 10_000 });
  return { snapshot: compiled.snapshot, requests, metrics };
}

let state: ReturnType<typeof setup> | null = null;
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

export default {
  async fetch(request: Request, env: { METRICS: DurableObjectNamespace<MetricsStore> }): Promise<Response> {
    state ??= setup();
    if (new URL(request.url).searchParams.has("store")) return Response.json(await storeRate(env.METRICS, state));
    const { snapshot, requests, metrics } = state;
    const params = new URL(request.url).searchParams;
    const part = params.get("part");
    if (part) return Response.json({ nsPerRequest: await timePart(part, state, Number(params.get("n") ?? 20_000)) });
    // Off and on take turns in short blocks, each fenced by timer waits; the best block of each
    // is the one least slowed by other processes on a shared machine.
    const n = Number(params.get("n") ?? 2_000);
    const rounds = Number(params.get("rounds") ?? 20);
    const best = { off: Infinity, on: Infinity };
    for (let round = 0; round < rounds; round++) {
      best.off = Math.min(best.off, await block({}, n));
      best.on = Math.min(best.on, await block({ metrics: metrics.requests }, n, () => metrics.maybeFlush()));
    }
    return Response.json(best);

    async function block(options: ServeOptions, count: number, after?: () => unknown): Promise<number> {
      await tick();
      const t0 = Date.now();
      for (let i = 0; i < count; i++) {
        const r = requests[i & 255]!;
        await serve(r.request, snapshot, r.rc, options);
        after?.();
      }
      await tick();
      return ((Date.now() - t0) * 1e6) / count;
    }
  },
};

/** One piece of the per-request work alone, to see where the time goes. */
async function timePart(part: string, { requests, metrics, snapshot }: ReturnType<typeof setup>, n: number): Promise<number> {
  let sink = 0;
  const ok = new Response(null);
  const sample = { code: "200", method: "GET", protocol: "http", router: "r1@file", routerService: "noop@internal", routerKey: "r1@file\u0000noop@internal", service: "noop@internal", seconds: 0, serviceSeconds: 0, retries: 0 };
  await tick();
  const t0 = Date.now();
  for (let i = 0; i < n; i++) {
    const r = requests[i & 255]!.request;
    if (part === "headers") sink += (r.headers.get("upgrade") ?? r.headers.get("accept") ?? r.headers.get("content-type") ?? "").length;
    else if (part === "headers-object") sink += r.headers === null ? 0 : 1;
    else if (part === "method") sink += r.method.length;
    else if (part === "now") sink += performance.now();
    else if (part === "record") metrics.requests.record(snapshot, `r${i % 20}`, r, ok, 0, undefined);
    else if (part === "recorder") metrics.recorder.request(sample);
    else if (part === "record-r1") metrics.requests.record(snapshot, "r1", r, ok, 0, undefined);
    else if (part === "protocol") sink += protocolOf(r.method, r.headers, 200).length;
    else if (part === "status") sink += ok.status;
  }
  await tick();
  if (sink < 0) console.log(sink);
  return ((Date.now() - t0) * 1e6) / n;
}

/**
 * Flushes one object takes per second: `isolates` recorders, each with the series of a
 * realistic interval (every router, a few codes and methods), pushing in turn, `concurrency` at once.
 */
async function storeRate(ns: DurableObjectNamespace<MetricsStore>, { snapshot, requests, metrics }: ReturnType<typeof setup>) {
  for (const r of requests) metrics.requests.record(snapshot, "r1", r.request, new Response(null), 0, undefined);
  for (let i = 0; i < 20; i++) metrics.requests.record(snapshot, `r${i}`, requests[i]!.request, new Response(null, { status: 200 + (i % 3) }), 0, undefined);
  const batch = metrics.recorder.take();
  const pushes = 400;
  const concurrency = 8;
  const stub = () => ns.get(ns.idFromName("rate"));
  await stub().push(batch);
  await tick();
  const t0 = Date.now();
  for (let i = 0; i < pushes; i += concurrency) await Promise.all(Array.from({ length: concurrency }, () => stub().push(batch)));
  const ms = Date.now() - t0;
  return { series: batch.series.length, pushes, ms, perSecond: Math.round((pushes * 1000) / ms) };
}
