// The Worker entry: admin paths go to the admin API at once (never waiting for a config load);
// everything else takes the current snapshot (a cold isolate waits for its first config), lets the
// watcher poll in the background, passes the inbound stage (inbound.ts) and is served (serve.ts).
import { admin, isAdminPath } from "./admin/index.ts";
import type { Snapshot } from "./compile/snapshot.ts";
import type { ConfigStoreBinding } from "../providers/config-store.ts";
import type { Env } from "./env.ts";
import type { RateLimiterBinding } from "./middlewares/ratelimit/limiter.ts";
import type { HealthCheckerBinding } from "./services/health/checker.ts";
import type { MetricsBinding } from "./metrics/store.ts";
import { serviceUnavailable } from "./http/status.ts";
import { serve } from "./serve.ts";
import { inbound } from "./inbound.ts";
import { runtimeFor, type Runtime } from "./runtime.ts";
import { fleetReport } from "./fleet/reporter.ts";

export { ConfigStore } from "./store-admission.ts";
export { HealthChecker } from "./services/health/checker.ts";
export { RateLimiter } from "./middlewares/ratelimit/limiter.ts";
export { MetricsStore } from "./metrics/store.ts";

/** Every binding: the variables (env.ts) and the Durable Object namespaces typed by their classes. */
export type WorkerEnv = Env & ConfigStoreBinding & RateLimiterBinding & HealthCheckerBinding & MetricsBinding;

export default {
  // The stages in order: admin first (it never waits for a config), then the snapshot, the
  // inbound request (entry-point header policy), and serve.
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const runtime = runtimeFor(env);
    fleetReport(runtime, request, ctx);
    const url = new URL(request.url);
    if (isAdminPath(url.pathname, runtime.admin.base)) {
      pollInBackground(runtime, ctx);
      if (!runtime.observer.settings.accessLog.addInternals) return admin(request, env, runtime.admin);
      // Traefik's accessLog.addInternals: the internal (admin) requests are logged too.
      const observation = runtime.observer.begin(request);
      const response = await admin(request, env, runtime.admin);
      const clientIP = request.headers.get("cf-connecting-ip");
      return runtime.observer.end(observation, { request, url, clientIP, response, config: null, waitUntil: (p) => ctx.waitUntil(p) });
    }
    const observation = runtime.observer.begin(request);
    const snapshot = await currentSnapshot(runtime, ctx);
    const clientIP = request.headers.get("cf-connecting-ip");
    const waitUntil = (p: Promise<unknown>) => ctx.waitUntil(p);
    const served = inbound(request, runtime.forwarded.trusts(clientIP));
    const rc = { url, clientIP, waitUntil, env, observed: observation.observed, propagate: observation.propagate };
    const response = snapshot ? await serve(served, snapshot, rc, runtime.serveOptions) : serviceUnavailable("Switchyard has no valid configuration yet");
    // The metrics go to the store at most every METRICS_FLUSH_INTERVAL_MS, after a response, never on the way.
    const flush = runtime.metrics.maybeFlush();
    if (flush) ctx.waitUntil(flush);
    // Shadow evaluation (docs/safe-changes.md): a sample matched against a candidate, after this response.
    const shadowed = snapshot && runtime.shadow.afterResponse(served, snapshot, clientIP, url);
    if (shadowed) ctx.waitUntil(shadowed);
    // The access log line and the span, once the response is made (worker/observe).
    return runtime.observer.end(observation, { request: served, url, clientIP, response, config: snapshot && snapshot.meta, waitUntil });
  },
} satisfies ExportedHandler<WorkerEnv>;

/** Admin requests keep the watcher polling as any request does; they never wait for a load here (reads of the served config wait briefly in AdminIsolate.loaded). */
function pollInBackground(runtime: Runtime, ctx: ExecutionContext): void {
  const poll = runtime.watcher.maybePoll();
  if (poll) ctx.waitUntil(poll);
}

async function currentSnapshot(runtime: Runtime, ctx: ExecutionContext): Promise<Snapshot | null> {
  const poll = runtime.watcher.maybePoll();
  const current = runtime.switcher.current;
  if (current) {
    if (poll) ctx.waitUntil(poll);
    return current;
  }
  // Cold: wait for the poll under way (the first one is always due). While polls fail and back off,
  // requests get a quick 503 instead of each forcing a read.
  return runtime.loaded();
}
