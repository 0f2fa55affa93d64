// What the access log and trace context add to a request, in CPU time (Node, the real code path):
//   node bench/observe.ts
// Each cell serves the same requests through worker/serve.ts, the router, a loadBalancer and the
// proxy (worker/services/proxy.ts), with `fetch` replaced by an upstream that answers at once, so
// the baseline is the router's own work. The observed cells add worker/observe's begin/end exactly
// as worker/index.ts calls them; console.log is replaced by a sink that keeps the line (the
// terminal is not measured). The figure is the difference from the baseline, in ns per request.
// A report, not a test: it always exits 0.
import { cpus, loadavg } from "node:os";
import { validateConfig } from "../worker/config/index.ts";
import { compileSnapshot, type Snapshot } from "../worker/compile/snapshot.ts";
import { Observer } from "../worker/observe/index.ts";
import { observeSettings, type ObserveEnv } from "../worker/observe/options.ts";
import { IsolateMetrics, memorySink } from "../worker/metrics/isolate.ts";
import { serve } from "../worker/serve.ts";
import type { RequestContext } from "../worker/services/types.ts";
import { measureAsync, type Timing } from "./timing.ts";

const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 2000);
const ROUNDS = 5;

function snapshot(): Snapshot {
  const config = {
    http: {
      routers: { api: { rule: "Host(`app.example.com`) && PathPrefix(`/api`)", service: "api" } },
      services: { api: { loadBalancer: { servers: [{ url: "http://10.0.0.1:8080" }, { url: "http://10.0.0.2:8080" }] } } },
    },
  };
  const valid = validateConfig(config);
  if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
  const compiled = compileSnapshot(valid.config, { version: 1, sha256: "", source: "bench", provider: "file", warnings: [] }, null, valid.rules);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
  return compiled.snapshot;
}

// An upstream that answers at once, with the headers a real one sends.
globalThis.fetch = async () => new Response("ok", { headers: { "content-type": "text/plain", "content-length": "2", server: "bench" } });

/** Requests as a browser sends them (about a dozen headers), some carrying a traceparent. */
const requests = Array.from({ length: 64 }, (_, i) => {
  const headers: Record<string, string> = {
    host: "app.example.com",
    "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    accept: "application/json",
    "accept-encoding": "gzip, br",
    "accept-language": "en-US,en;q=0.9",
    authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc",
    cookie: "session=0123456789abcdef; theme=dark",
    "cf-connecting-ip": "203.0.113.7",
    "cf-ray": "8f00000000000000-AMS",
    "x-forwarded-proto": "https",
  };
  if (i % 2 === 0) headers.traceparent = `00-4bf92f3577b34da6a3ce929d0e0e${(4736 + i).toString(16).padStart(4, "0")}-00f067aa0ba902b7-01`;
  const url = `https://app.example.com/api/items/${i}?page=${i % 5}`;
  return { href: url, headers, url: new URL(url) };
});

// A fresh Request per operation, in every cell alike: the transport adds an abort listener to the
// request's signal, so a reused Request would pay for every earlier exchange's listener.
const fresh = (i: number) => {
  const r = requests[i]!;
  return { request: new Request(r.href, { headers: r.headers }), url: r.url };
};

const snap = snapshot();
let kept = 0;
const sink = (line: string) => {
  kept += line.length;
};

type Cell = (i: number) => Promise<unknown>;

function baseline(): Cell {
  return async (i) => {
    const { request, url } = fresh(i);
    const rc: RequestContext = { url, clientIP: "203.0.113.7", waitUntil: () => {}, env: {} };
    const res = await serve(request, snap, rc);
    return res.status;
  };
}

/** `withMetrics`: the isolate's metrics recorder too, as worker/index.ts hands it to serve (flushes to memory). */
function observed(vars: ObserveEnv, withMetrics = false): Cell {
  const settings = observeSettings(vars);
  if (settings.issues.length > 0) throw new Error(JSON.stringify(settings.issues));
  const observer = new Observer(settings, sink);
  const metrics = withMetrics ? new IsolateMetrics(memorySink(), { intervalMs: 10_000 }) : null;
  return async (i) => {
    const { request, url } = fresh(i);
    const o = observer.begin(request);
    const rc: RequestContext = { url, clientIP: "203.0.113.7", waitUntil: () => {}, env: {}, observed: o.observed, propagate: o.propagate };
    const response = await serve(request, snap, rc, metrics ? { metrics: metrics.requests } : {});
    metrics?.maybeFlush();
    return observer.end(o, { request, url, clientIP: rc.clientIP, response, config: snap.meta, waitUntil: rc.waitUntil }).status;
  };
}

/** begin + end alone, on a response and record as the proxy leaves them: the observer's own cost. */
function direct(vars: ObserveEnv): Cell {
  const observer = new Observer(observeSettings(vars), sink);
  const originHeaders = new Headers({ "content-type": "text/plain", "content-length": "2", server: "bench" });
  return async (i) => {
    const { request, url } = fresh(i);
    const o = observer.begin(request);
    Object.assign(o.observed, { routerName: "api", serviceName: "api", serviceURL: "http://10.0.0.1:8080", serviceAddr: "10.0.0.1:8080", originStatus: 200, originDurationMs: 3, originHeaders });
    const response = new Response("ok", { headers: originHeaders });
    return observer.end(o, { request, url, clientIP: "203.0.113.7", response, config: snap.meta, waitUntil: () => {} }).status;
  };
}

const DEFAULTS = "access log + trace context (defaults)";
const CELLS: [string, () => Cell][] = [
  ["serve: baseline, no observer", baseline],
  [`serve: ${DEFAULTS}`, () => observed({})],
  [`serve: ${DEFAULTS} + metrics`, () => observed({}, true)],
  ["serve: ACCESS_LOG=false TRACING=false", () => observed({ ACCESS_LOG: "false", TRACING: "false" })],
  ["observer alone: new Request + Response, no observer", () => async (i) => (fresh(i).request.method === "GET" ? new Response("ok").status : 0)],
  ["observer alone: off (ACCESS_LOG/TRACING=false)", () => direct({ ACCESS_LOG: "false", TRACING: "false" })],
  ["observer alone: trace context + X-Request-Id", () => direct({ ACCESS_LOG: "false" })],
  ["observer alone: access log (defaults)", () => direct({ TRACING: "false" })],
  [`observer alone: ${DEFAULTS}`, () => direct({})],
  ["observer alone: + every header kept/redacted", () => direct({ ACCESS_LOG_OPTIONS: '{"fields":{"headers":{"defaultMode":"keep"}}}' })],
];

console.log(`observe bench: ${requests.length} requests (12 headers, half with a traceparent), node ${process.version}, budget ${BUDGET_MS} ms per cell, ${ROUNDS} rounds (median of round medians)\n`);

const results = new Map<string, Timing[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, make] of CELLS) {
    const t = await measureAsync(make(), requests.length, { budgetMs: BUDGET_MS });
    (results.get(name) ?? results.set(name, []).get(name)!).push(t);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cpu = (name: string) => median(results.get(name)!.map((t) => t.cpuMean));
const wall = (name: string) => median(results.get(name)!.map((t) => t.median));
// Each group is compared with its own first cell (the same work without the observer).
const baseOf = (name: string) => cpu(CELLS.find(([n]) => n.split(":")[0] === name.split(":")[0])![0]);
const rows = CELLS.map(([name]) => {
  const base = baseOf(name);
  const delta = cpu(name) - base;
  return [name, cpu(name).toFixed(0), wall(name).toFixed(0), base === cpu(name) ? "" : `${delta >= 0 ? "+" : ""}${delta.toFixed(0)}`, (cpu(name) / base).toFixed(2)];
});
const header = ["cell", "CPU ns/req", "wall ns/req", "vs baseline", "ratio"];
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
const line = (r: string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join("  ");
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows) console.log(line(r));
const alone = cpu(`observer alone: ${DEFAULTS}`) - baseOf("observer alone:");
const served = cpu(`serve: ${DEFAULTS}`) - baseOf("serve:");
const base = baseOf("serve:");
console.log(`\n${DEFAULTS}: ${alone.toFixed(0)} ns of CPU per request measured alone; ${served.toFixed(0)} ns over a ${base.toFixed(0)} ns request through serve (${((served / base) * 100).toFixed(0)}%; a difference of two larger figures, so noisier)`);
console.log(`(${(kept / 1e6).toFixed(1)} MB of lines kept by the sink; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${cpus().length} CPUs: CPU time is less disturbed by a busy machine than wall time)`);
