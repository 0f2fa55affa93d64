// Setup shared by bench/proxy.ts and bench/proxy-profile.ts: the Worker bundled as it deploys,
// the loopback upstream (its own process), one workerd (Miniflare's API) running Switchyard and a
// bare fetch(upstream) Worker on direct sockets, and config loads through the admin API. Every
// resource is released by cleanup(), also on SIGINT/SIGTERM and on an overall timeout (guard).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createInterface } from "node:readline";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { parse as parseToml } from "smol-toml";
import { headerOf, requestOnce } from "./http-client.ts";
import { descendantsNamed } from "./procstat.ts";
import { WORKER_DURABLE_OBJECTS } from "./workerd.ts";

/** The watcher's pace: each poll is a KV read in the same workerd; 1 s keeps that out of the figures and still catches most swaps. */
export const POLL_INTERVAL_MS = "1000";
export const TOKEN = "bench-admin-token";
export const ADMIN = "/__switchyard";
// Both Workers run with Switchyard's compatibility settings (wrangler.toml): the same runtime
// behaviour for both, e.g. the request signal that enable_request_signal wires to the client.
const WRANGLER = parseToml(readFileSync(fileURLToPath(new URL("../wrangler.toml", import.meta.url).href), "utf8")) as { compatibility_date: string; compatibility_flags?: string[] };
const COMPAT_DATE = WRANGLER.compatibility_date;
const COMPAT_FLAGS = WRANGLER.compatibility_flags ?? [];

// --- resources, always released -------------------------------------------------------------------

let mf: Miniflare | null = null;
let upstream: ChildProcess | null = null;
/** The upstream process id, for its CPU time. */
export const upstreamPid = (): number => upstream?.pid ?? 0;
let bundleDir: string | null = null;

export async function cleanup(): Promise<void> {
  const disposing = mf?.dispose().catch(() => {});
  mf = null;
  await Promise.race([disposing, new Promise((r) => setTimeout(r, 10_000).unref())]);
  upstream?.kill("SIGKILL");
  upstream = null;
  if (bundleDir) await rm(bundleDir, { recursive: true, force: true }).catch(() => {});
  bundleDir = null;
}

export async function bail(message: string, code: number): Promise<never> {
  console.error(message);
  await cleanup();
  process.exit(code);
}

/** Releases everything on SIGINT/SIGTERM, and gives up (exit 2) after `timeoutMs`. */
export function guard(name: string, timeoutMs: number): void {
  // Miniflare's own exit hook may end the process on a signal before bail() is done: what must not
  // outlive the bench is also released synchronously on exit (workerd is Miniflare's to stop).
  process.on("exit", () => {
    upstream?.kill("SIGKILL");
    if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void bail(`\n${signal}: stopped`, 130));
  setTimeout(() => void bail(`${name} did not finish in ${timeoutMs / 1000} s (BENCH_TOTAL_TIMEOUT_MS)`, 2), timeoutMs).unref();
}

// --- setup ------------------------------------------------------------------------------------------

/** The Worker exactly as `wrangler deploy` would upload it: its modules, in a temporary directory. */
export async function bundle(minify = true): Promise<{ dir: string; modules: { type: "ESModule" | "Text" | "Data" | "CompiledWasm"; path: string }[] }> {
  const dir = await mkdtemp(join(tmpdir(), "switchyard-bench-proxy-"));
  bundleDir = dir;
  await promisify(execFile)("npx", ["wrangler", "deploy", "--dry-run", "--outdir", dir, ...(minify ? [] : ["--minify=false"])], {
    timeout: 120_000,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
  });
  const files = (await readdir(dir)).filter((f) => !f.endsWith(".map") && f !== "README.md");
  const typeOf = (f: string) => (f.endsWith(".js") || f.endsWith(".mjs") ? "ESModule" : f.endsWith(".wasm") ? "CompiledWasm" : f.endsWith(".bin") ? "Data" : "Text");
  // The entry module first.
  files.sort((a, b) => Number(b === "index.js") - Number(a === "index.js"));
  return { dir, modules: files.map((f) => ({ type: typeOf(f), path: join(dir, f) })) };
}

export async function startUpstream(): Promise<number> {
  const child = spawn(process.execPath, [new URL("./upstream.ts", import.meta.url).pathname], { stdio: ["pipe", "pipe", "inherit"] });
  upstream = child;
  const line = await Promise.race([
    new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once("line", resolve)),
    new Promise<string>((_, reject) => setTimeout(() => reject(new Error("the upstream did not start in 10 s")), 10_000).unref()),
  ]);
  return (JSON.parse(line) as { port: number }).port;
}

const BARE = `export default {
  fetch(request, env) {
    const url = new URL(request.url);
    return fetch(new Request(env.UPSTREAM + url.pathname + url.search, request), { redirect: "manual" });
  },
};`;

export async function startWorkerd(modules: Awaited<ReturnType<typeof bundle>>, upstreamUrl: string, inspectorPort?: number) {
  const socket = [{ host: "127.0.0.1", port: 0 }];
  mf = new Miniflare(
    convertV4MiniflareOptions({
      ...(inspectorPort ? { inspectorPort } : {}),
      // The Workers' console output (access-log lines when on) is workerd's to write, not ours to print.
      handleStructuredLogs: () => {},
      workers: [
        {
          name: "switchyard",
          modulesRoot: modules.dir,
          modules: modules.modules,
          compatibilityDate: COMPAT_DATE,
          compatibilityFlags: COMPAT_FLAGS,
          // The access log is off unless BENCH_ACCESS_LOG=true: the path measured here is issue 14's
          // (entry to response); what a log line costs is bench:observe's figure (in local workerd,
          // ~300 µs of its console pipeline per line, which this bench would count as routing).
          bindings: { POLL_INTERVAL_MS, ADMIN_BASE_PATH: ADMIN, ADMIN_TOKEN: TOKEN, VERSION_HEADER: "true", ACCESS_LOG: process.env.BENCH_ACCESS_LOG === "true" ? "true" : "false" },
          kvNamespaces: ["CONFIG_KV"],
          durableObjects: WORKER_DURABLE_OBJECTS,
          unsafeDirectSockets: socket,
        },
        { name: "bare", modules: true, script: BARE, compatibilityDate: COMPAT_DATE, compatibilityFlags: COMPAT_FLAGS, bindings: { UPSTREAM: upstreamUrl }, unsafeDirectSockets: socket },
      ],
    }),
  );
  const switchyard = Number((await mf.unsafeGetDirectURL("switchyard")).port);
  const bare = Number((await mf.unsafeGetDirectURL("bare")).port);
  const pids = descendantsNamed(process.pid, "workerd");
  if (pids.length !== 1) throw new Error(`expected one workerd process under this one, found ${pids.length}`);
  return { switchyard, bare, workerd: pids[0]! };
}

// --- config through the admin API -------------------------------------------------------------------

export async function putConfig(port: number, config: object): Promise<{ version: number; ms: number }> {
  const body = Buffer.from(JSON.stringify(config));
  const head = [`PUT ${ADMIN}/config HTTP/1.1`, "host: admin.bench", `authorization: Bearer ${TOKEN}`, "content-type: application/json", `content-length: ${body.length}`];
  const t0 = performance.now();
  const res = await requestOnce(port, Buffer.concat([Buffer.from(head.join("\r\n") + "\r\n\r\n"), body]), 60_000);
  const ms = performance.now() - t0;
  const version = Number(headerOf(res.head, "etag")?.replaceAll('"', ""));
  if (res.status !== 200 || !Number.isInteger(version)) throw new Error(`PUT ${ADMIN}/config answered ${res.status}`);
  return { version, ms };
}

/** Waits until the Worker serves `version` (a request tagged with it), up to `timeoutMs`. */
export async function waitServed(port: number, probe: Buffer, version: number, timeoutMs = 120_000): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    const res = await requestOnce(port, probe, timeoutMs).catch(() => null);
    if (res && Number(headerOf(res.head, "x-switchyard-version")) >= version) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`version ${version} not served after ${timeoutMs / 1000} s`);
}
