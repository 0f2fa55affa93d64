// The real Worker bundle run twice by Miniflare: two Workers, so two isolates with their own module
// state, on one HTTP server (routes pick the Worker by host: a.test, b.test). b reaches a's Durable
// Object classes by scriptName (one config store, one rate limiter...), and both bind the same KV
// namespaces. For end-to-end tests of what one isolate's state must not hide from another.
import { convertV4MiniflareOptions, Miniflare, type V4WorkerOptions } from "miniflare";
import { request as httpRequest } from "node:http";
import { bundleForWorkerd, WORKER_DURABLE_OBJECTS } from "../../../bench/workerd.ts";

export interface TwoIsolates {
  readonly mf: Miniflare;
  call(host: string, path: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }>;
  dispose(): Promise<void>;
}

/** `onlyA`: bindings worker a has and b has not (say, an Analytics Engine dataset only one writes). */
export async function startTwoIsolates(bindings: Record<string, string>, kvNamespaces: string[] = ["CONFIG_KV"], onlyA: Pick<V4WorkerOptions, "analyticsEngineDatasets"> = {}): Promise<TwoIsolates> {
  const script = await bundleForWorkerd(new URL("../../../worker/index.ts", import.meta.url));
  const shared = (name: string) => (name === "a" ? {} : { scriptName: "a" });
  const worker = (name: string): V4WorkerOptions => ({
    name,
    modules: true,
    script,
    compatibilityDate: "2026-11-01",
    compatibilityFlags: ["enable_request_signal"],
    routes: [`${name}.test/*`],
    bindings: { METRICS_FLUSH_INTERVAL_MS: "3600000", ...bindings },
    kvNamespaces,
    durableObjects: Object.fromEntries(Object.entries(WORKER_DURABLE_OBJECTS).map(([binding, object]) => [binding, { ...object, ...shared(name) }])),
    ...(name === "a" ? onlyA : {}),
  });
  const mf = new Miniflare(convertV4MiniflareOptions({ host: "127.0.0.1", port: 0, workers: [worker("a"), worker("b")] }));
  const origin = (await mf.ready).origin;
  const call: TwoIsolates["call"] = (host, path, init = {}) =>
    new Promise((resolve, reject) => {
      const req = httpRequest(`${origin}${path}`, { method: init.method ?? "GET", headers: { host, ...init.headers }, timeout: 10_000 }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      });
      req.on("timeout", () => req.destroy(new Error(`timeout: ${host}${path}`)));
      req.on("error", reject);
      req.end(init.body);
    });
  return { mf, call, dispose: () => mf.dispose() };
}

/** Polls until `done` for at most `ms`; the last answer either way. */
export async function pollUntil<T>(probe: () => Promise<T>, done: (t: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await probe();
  while (!done(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    last = await probe();
  }
  return last;
}
