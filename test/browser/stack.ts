// The system the dashboard's browser tests (and `npm run screenshots`) drive: two real loopback
// upstreams, `wrangler dev` on a free port serving the router with a known config, and the admin
// calls the tests make behind the dashboard's back. Everything is bounded in time; stop() always
// ends every process, whatever state start left them in.
import { startUpstream, type Upstream } from "../fixtures/upstream.ts";
import { startWranglerDev, type Running } from "../node/helpers/processes.ts";

export const ADMIN_TOKEN = "e2e-admin-token-0123456789";
export const READ_TOKEN = "e2e-read-token-0123456789";
export const METRICS_TOKEN = "e2e-metrics-token-0123456789";
export const BASE = "/__switchyard";
/** How often the `checked` service's servers are probed (its active health check). */
export const HEALTH_INTERVAL_MS = 1_000;
export const POLL_INTERVAL_MS = 300;
export const METRICS_FLUSH_INTERVAL_MS = 500;

export interface Stack {
  readonly dev: Running;
  /** The upstream of the `app` router in the first config ("blue"). */
  readonly blue: Upstream;
  /** The upstream a pushed change moves `app` to ("green"). */
  readonly green: Upstream;
  /** The health-checked server of the `checked` service; a test closes it to see it go DOWN. */
  readonly checked: Upstream;
  readonly url: string;
  readonly dashboard: string;
  stop(): Promise<void>;
}

/**
 * The first config: `app` → blue, `checked` → the health-checked server, one middleware, and
 * `legacy`, accepted with a warning (entryPoints do not apply on Workers) that the API reports at
 * its JSON path.
 */
export function firstConfig(stack: Pick<Stack, "blue" | "checked">) {
  return {
    http: {
      routers: {
        app: { rule: "PathPrefix(`/app`)", service: "app", middlewares: ["tag"] },
        checked: { rule: "PathPrefix(`/checked`)", service: "checked" },
        legacy: { rule: "PathPrefix(`/legacy`)", service: "app", entryPoints: ["websecure"] },
      },
      services: {
        app: { loadBalancer: { servers: [{ url: stack.blue.url }] } },
        checked: {
          loadBalancer: {
            servers: [{ url: stack.checked.url }],
            healthCheck: { path: "/__health", interval: `${HEALTH_INTERVAL_MS}ms`, timeout: "500ms" },
          },
        },
      },
      middlewares: { tag: { headers: { customResponseHeaders: { "X-Dashboard-E2E": "1" } } } },
    },
  };
}

export async function startStack(): Promise<Stack> {
  const started: { stop(): Promise<void> }[] = [];
  const stop = async () => {
    // Every process, even when one stop fails: a leftover wrangler dev would outlive the run.
    const results = await Promise.allSettled(started.reverse().map((s) => s.stop()));
    const failed = results.find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  };
  try {
    const blue = await startUpstream("blue");
    started.push({ stop: () => blue.close() });
    const green = await startUpstream("green");
    started.push({ stop: () => green.close() });
    const checked = closesOnce(await startUpstream("checked"));
    started.push({ stop: () => checked.close() });
    const dev = await startWranglerDev({
      vars: {
        ADMIN_TOKEN,
        ADMIN_READ_TOKEN: READ_TOKEN,
        METRICS_TOKEN,
        POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
        METRICS_FLUSH_INTERVAL_MS: String(METRICS_FLUSH_INTERVAL_MS),
        FLEET_REPORT_INTERVAL_MS: "1000",
        VERSION_HEADER: "true",
        // The sign-in tests send a few wrong tokens on purpose: never lock the run's own address out.
        ADMIN_AUTH_MAX_FAILURES: "1000",
      },
      readyPath: `${BASE}/status`,
      timeoutMs: 90_000,
    });
    started.push(dev);
    const stack: Stack = { dev, blue, green, checked, url: dev.url, dashboard: `${dev.url}${BASE}/dashboard/`, stop };
    const first = await admin(stack, "PUT", "/config", firstConfig(stack), { "x-switchyard-message": "first config" });
    if (first.status !== 200) throw new Error(`the first config was refused (${first.status}): ${JSON.stringify(first.body)}`);
    await untilServed(stack, "/app/", (res) => routerOf(res) === "app");
    return stack;
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** An admin call with the admin token, as a script or the CLI would make it. */
export async function admin(stack: Pick<Stack, "url">, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${stack.url}${BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** One data-plane request (the body read, so the connection is free again). */
export async function request(stack: Pick<Stack, "url">, path: string): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(`${stack.url}${path}`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Sends requests to `path` until one satisfies `ok` (the config is live), or fails after timeoutMs. */
export async function untilServed(
  stack: Pick<Stack, "url">,
  path: string,
  ok: (res: { status: number; headers: Headers; text: string }) => boolean,
  timeoutMs = 10_000,
): Promise<{ status: number; headers: Headers; text: string }> {
  const deadline = Date.now() + timeoutMs;
  let last: { status: number; headers: Headers; text: string } | undefined;
  while (Date.now() < deadline) {
    last = await request(stack, path).catch(() => undefined);
    if (last && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${path} was not served as expected within ${timeoutMs} ms; last answer: ${last?.status} ${last?.text.slice(0, 200)}`);
}

/** The served router's name, without a provider suffix. */
export function routerOf(res: { headers: Headers }): string | undefined {
  return res.headers.get("x-switchyard-router")?.replace(/@.*$/, "");
}

/** The upstream that answered (the fixtures echo their name). */
export function upstreamOf(res: { text: string }): string | undefined {
  try {
    return (JSON.parse(res.text) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** A test closes `checked` itself; stop() closes it again: the second close does nothing. */
function closesOnce(upstream: Upstream): Upstream {
  let closing: Promise<void> | undefined;
  return { ...upstream, close: () => (closing ??= upstream.close()) };
}
