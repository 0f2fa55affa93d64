// The admin API under a configurable base path (default /__switchyard), token-guarded, each call
// by scope (scopes.ts): Traefik-compatible reads at <base>/api/..., config writes at
// <base>/config..., per-isolate <base>/status and <base>/explain, every isolate's state at
// <base>/status/fleet, the global metrics at <base>/metrics (Prometheus text; METRICS_TOKEN's one
// scope), stored tokens at <base>/tokens and the caller's own identity at <base>/whoami.
// The one exception to the token: the dashboard's files at <base>/dashboard/ (dashboard.ts).
import { Router, type IRequest } from "itty-router";
import type { ConfigStoreBinding } from "../../providers/config-store.ts";
import { json, withoutBody } from "../api/responses.ts";
import { refreshHealth, showsServers } from "../api/health.ts";
import { apiError, traefikApi } from "../api/traefik-api.ts";
import type { Env } from "../env.ts";
import type { RateLimiterBinding } from "../middlewares/ratelimit/limiter.ts";
import { authenticate, permit } from "./auth.ts";
import { dashboard, isDashboardPath } from "./dashboard.ts";
import type { Identity } from "./identity.ts";
import { needOf } from "./scopes.ts";
import { planRoute } from "./plan.ts";
import { shadowState, startShadow, stopShadow } from "./shadow-routes.ts";
import { createToken, listTokens, revokeToken, whoami } from "./token-routes.ts";
import { diff, getConfig, history, putConfig, rollback, validateConfigBody } from "./config-routes.ts";
import { explain } from "./explain.ts";
import { fleetStatus } from "./fleet.ts";
import type { AdminIsolate } from "./isolate.ts";
import { jsonError } from "./responses.ts";
import { CONTENT_TYPE } from "../metrics/exposition.ts";
import { historyWindow } from "../metrics/history.ts";

export const DEFAULT_BASE = "/__switchyard";

/** What the admin API reads: the Worker's variables, the config store's namespace and the rate
 *  limiter's (the auth throttle). */
export type AdminEnv = Env & ConfigStoreBinding & RateLimiterBinding;

/** What every route is handed: the bindings, this isolate, and who is calling (auth.ts). */
type Args = [AdminEnv, AdminIsolate, Identity];

export function adminBase(env: Env): string {
  const base = (env.ADMIN_BASE_PATH ?? DEFAULT_BASE).replace(/\/+$/, "");
  return base.startsWith("/") ? base : `/${base}`;
}

export function isAdminPath(pathname: string, base: string): boolean {
  return pathname === base || pathname.startsWith(`${base}/`);
}

const routers = new Map<string, ReturnType<typeof build>>();

export async function admin(request: Request, env: AdminEnv, isolate: AdminIsolate): Promise<Response> {
  const base = isolate.base;
  // The dashboard's page and assets load without a token (the page sends one on every API call).
  if (isDashboardPath(new URL(request.url).pathname, base)) return dashboard(request, env, base);
  const identity = await authenticate(request, env);
  if (identity instanceof Response) return identity;
  const refused = permit(identity, needOf(request.method, new URL(request.url).pathname.slice(base.length) || "/"));
  if (refused) return refused;
  let router = routers.get(base);
  if (!router) routers.set(base, (router = build(base)));
  // HEAD is GET without the body, for every GET route (the router lists GET routes only).
  if (request.method !== "HEAD") return router.fetch(request, env, isolate, identity);
  return withoutBody(await router.fetch(new Request(request, { method: "GET" }), env, isolate, identity));
}

/** The admin API's routes (exported so the tests can list every GET route). */
export function build(base: string) {
  const router = Router<IRequest, Args>({
    base,
    catch: (err) => {
      console.error("admin:", err);
      return jsonError(500, "internal error");
    },
  });
  router
    .get("/api/*", (req, env, rt) => readApi(req, env, base, rt))
    .put("/config", (req, env, _rt, who) => putConfig(req, env, who))
    .post("/config/validate", (req, env) => validateConfigBody(req, env))
    .get("/config", (req, env) => getConfig(new URL(req.url), env))
    .get("/config/history", (req, env) => history(new URL(req.url), env))
    .post("/config/rollback", (req, env, _rt, who) => rollback(req, env, who))
    .get("/config/diff", (req, env) => diff(new URL(req.url), env))
    .put("/config/shadow", (req, env, _rt, who) => startShadow(req, env, who))
    .get("/config/shadow", (_req, env) => shadowState(env))
    .delete("/config/shadow", (_req, env) => stopShadow(env))
    .post("/explain", (req, _env, rt) => explain(req, rt))
    .post("/plan", (req, env) => planRoute(req, env))
    .get("/status", (_req, _env, rt) => json(rt.status()))
    .get("/status/fleet", (_req, env) => fleetStatus(env))
    .get("/metrics", (_req, _env, rt) => metrics(rt))
    .get("/metrics/history", (req, _env, rt) => metricsHistory(new URL(req.url), rt))
    .get("/whoami", (_req, _env, _rt, who) => whoami(who))
    .post("/tokens", (req, env) => createToken(req, env))
    .get("/tokens", (_req, env) => listTokens(env))
    .delete("/tokens/:name", (req, env) => revokeToken(req.params.name!, env))
    .all("*", (req) => jsonError(404, `no admin endpoint ${req.method} ${new URL(req.url).pathname}`));
  return router;
}

async function metrics(isolate: AdminIsolate): Promise<Response> {
  return new Response(await isolate.metrics(), { headers: { "content-type": CONTENT_TYPE, "cache-control": "no-store" } });
}

/** GET <base>/metrics/history?window=&step= (docs/metrics.md, "History"). */
async function metricsHistory(url: URL, isolate: AdminIsolate): Promise<Response> {
  const window = historyWindow(url.searchParams.get("window"), url.searchParams.get("step"), Date.now());
  if (typeof window === "string") return jsonError(400, window);
  return json(await isolate.metricsHistory(window), 200, { "cache-control": "no-store" });
}

async function readApi(request: Request, env: AdminEnv, base: string, isolate: AdminIsolate): Promise<Response> {
  const snapshot = await isolate.loaded();
  if (!snapshot) return apiError(503, "no configuration is loaded yet");
  const url = new URL(request.url);
  const path = url.pathname.slice(base.length);
  if (showsServers(path)) await refreshHealth(snapshot, env);
  return traefikApi(path, url, snapshot);
}
