// The Worker as it deploys, run in workerd through Miniflare's API (no `wrangler dev` proxy), for
// the benchmarks that need the real runtime: bench/first-request.ts. The bundle is `wrangler deploy
// --dry-run`'s; each start is a fresh workerd process, so its first request meets a cold isolate.
// Also the one esbuild bundle of Worker code for workerd (bundleForWorkerd), which the in-Worker
// benches (bench/workerd/*-entry.ts) and test/node/helpers/two-isolates.ts run.
import { build } from "esbuild";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { convertV4MiniflareOptions, Miniflare, type V4WorkerOptions } from "miniflare";

const run = promisify(execFile);

/** Worker code (`entry`: a file URL) bundled by esbuild as one ES module script for workerd. */
export async function bundleForWorkerd(entry: URL, options: { minify?: boolean } = {}): Promise<string> {
  const bundle = await build({
    entryPoints: [fileURLToPath(entry.href)],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    // bcryptjs asks for Node's crypto inside a try, falling back to Web Crypto: left out of the bundle.
    external: ["cloudflare:*", "node:*", "crypto"],
    // The demo config (worker/index.ts imports it as text).
    loader: { ".yaml": "text" },
    write: false,
    minify: options.minify ?? false,
  });
  return bundle.outputFiles[0]!.text;
}

/**
 * A bench entry (bench/workerd/*-entry.ts: a Worker that measures inside itself when fetched),
 * bundled minified and run alone in a fresh workerd; `worker` adds its bindings.
 */
export async function startBenchEntry(entry: URL, worker: Omit<V4WorkerOptions, "modules" | "script">): Promise<Miniflare> {
  const script = await bundleForWorkerd(entry, { minify: true });
  return new Miniflare(convertV4MiniflareOptions({ workers: [{ modules: true, script, compatibilityDate: "2026-11-01", ...worker }] }));
}

export interface Bundle {
  readonly dir: string;
  readonly modules: { type: "ESModule" | "Text"; path: string }[];
}

/** `wrangler deploy --dry-run --outdir`: the script and the modules it imports (the demo YAML). */
export async function bundleWorker(): Promise<Bundle> {
  const dir = await mkdtemp(join(tmpdir(), "switchyard-bench-"));
  await run("npx", ["wrangler", "deploy", "--dry-run", "--outdir", dir], { timeout: 120_000, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" } });
  const files = (await readdir(dir)).filter((f) => f.endsWith(".js") || f.endsWith(".yaml"));
  const modules = files
    .sort((a, b) => (a === "index.js" ? -1 : b === "index.js" ? 1 : a.localeCompare(b)))
    .map((f) => ({ type: f.endsWith(".js") ? ("ESModule" as const) : ("Text" as const), path: join(dir, f) }));
  return { dir, modules };
}

export const ADMIN_TOKEN = "bench-admin-token";

/** The Durable Objects wrangler.toml binds, for a Miniflare running the Worker's bundle. */
export const WORKER_DURABLE_OBJECTS = {
  CONFIG_STORE: { className: "ConfigStore", useSQLite: true },
  RATE_LIMITER: { className: "RateLimiter", useSQLite: true },
  HEALTH_CHECKER: { className: "HealthChecker", useSQLite: true },
  METRICS: { className: "MetricsStore", useSQLite: true },
};

/**
 * A fresh workerd running the Worker, its KV and Durable Objects kept in `persist` across starts.
 * The Worker's console output (the access log) is taken and dropped here: workerd still writes
 * every line, as it would to Workers Logs, but this process does not print them.
 */
export async function startSwitchyard(bundle: Bundle, persist: string, vars: Record<string, string> = {}): Promise<Miniflare> {
  const mf = new Miniflare(convertV4MiniflareOptions({
    handleStructuredLogs: () => {},
    modules: bundle.modules,
    modulesRoot: bundle.dir,
    compatibilityDate: "2026-11-01",
    compatibilityFlags: ["enable_request_signal"],
    bindings: { ADMIN_TOKEN, ADMIN_BASE_PATH: "/__switchyard", POLL_INTERVAL_MS: "60000", ...vars },
    kvNamespaces: ["CONFIG_KV"],
    durableObjects: WORKER_DURABLE_OBJECTS,
    resourcePersistencePath: persist,
  }));
  await mf.ready;
  return mf;
}

/**
 * A bare Worker: `fetch(upstream)` and nothing else, the floor any proxy Worker stands on. With
 * `persist`, its first request also reads what a cold Switchyard reads from KV (the version key,
 * then the snapshot and facts it names, as text), so that KV's own cost (Miniflare's KV runs in the
 * same workerd process) is in the baseline, not in Switchyard's figure.
 */
export async function startBare(upstream: string, persist?: string): Promise<Miniflare> {
  const reads = persist === undefined ? "" : `if (!globalThis.read) { globalThis.read = true; const ref = await env.CONFIG_KV.get("config/version", { type: "json" }); await Promise.all([env.CONFIG_KV.get(ref.key, { type: "text" }), ref.facts ? env.CONFIG_KV.get(ref.facts, { type: "text" }) : null]); }`;
  const script = `export default { async fetch(request, env) { ${reads} const url = new URL(request.url); return fetch(${JSON.stringify(upstream)} + url.pathname + url.search, { method: request.method, headers: request.headers, redirect: "manual" }); } };`;
  const storage = persist === undefined ? {} : { kvNamespaces: ["CONFIG_KV"], resourcePersistencePath: persist };
  const mf = new Miniflare(convertV4MiniflareOptions({ modules: true, script, compatibilityDate: "2026-11-01", ...storage }));
  await mf.ready;
  return mf;
}

/** The loopback upstream: answers every request at once with a short text. */
export async function startUpstream(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("ok\n"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("upstream has no port");
  return { url: `http://127.0.0.1:${address.port}`, server };
}

/**
 * CPU time (ns) every workerd process under this one has used so far: /proc/<pid>/task/<tid>/schedstat's
 * first field, summed over threads (nanoseconds, unlike /proc/<pid>/stat's 10 ms ticks).
 */
export async function workerdCpuNs(): Promise<number> {
  let total = 0;
  for (const pid of await childPids(process.pid)) {
    const comm = await readFile(`/proc/${pid}/comm`, "utf8").catch(() => "");
    if (!comm.startsWith("workerd")) continue;
    for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
      const stat = await readFile(`/proc/${pid}/task/${tid}/schedstat`, "utf8").catch(() => "0");
      total += Number(stat.split(" ")[0]);
    }
  }
  return total;
}

async function childPids(root: number): Promise<number[]> {
  const out: number[] = [];
  const walk = async (pid: number) => {
    const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
    for (const tid of tasks) {
      const children = await readFile(`/proc/${pid}/task/${tid}/children`, "utf8").catch(() => "");
      for (const c of children.split(" ").filter(Boolean).map(Number)) {
        out.push(c);
        await walk(c);
      }
    }
  };
  await walk(root);
  return out;
}
