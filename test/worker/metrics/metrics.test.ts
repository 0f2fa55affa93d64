// Metrics in workerd: requests through the Worker, then <base>/metrics read back with a Prometheus
// text parser; two isolates' recorders flushing to one MetricsStore; the store surviving a restart;
// the read-only METRICS_TOKEN; Analytics Engine points from a flush.
import { env, runInDurableObject, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, inject, it } from "vitest";
import worker, { type WorkerEnv } from "../../../worker/index.ts";
import { IsolateMetrics, MetricsStore, storeSink } from "../../../worker/metrics/index.ts";
import { CONTENT_TYPE, exposition } from "../../../worker/metrics/exposition.ts";
import type { RequestSample } from "../../../worker/metrics/recorder.ts";
import { adminFetch, BASE, publish } from "../helpers/admin.ts";
import { matching, parseScrape, total } from "../helpers/prometheus.ts";

const upstream = inject("whoamiUrl");
const workerEnv = env as WorkerEnv;

beforeAll(async () => {
  await publish({
    http: {
      routers: {
        "metrics-a": { rule: "Host(`metrics.test`) && PathPrefix(`/a`)", service: "metrics-svc" },
        "metrics-b": { rule: "Host(`metrics.test`) && PathPrefix(`/b`)", service: "metrics-svc" },
        "metrics-down": { rule: "Host(`metrics.test`) && PathPrefix(`/down`)", service: "metrics-nowhere" },
      },
      services: {
        "metrics-svc": { loadBalancer: { servers: [{ url: upstream }] } },
        "metrics-nowhere": { loadBalancer: { servers: [{ url: "http://127.0.0.1:9" }] } },
      },
    },
  }, "/");
});

async function scrape(): Promise<ReturnType<typeof parseScrape>> {
  const res = await adminFetch("/metrics");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe(CONTENT_TYPE);
  return parseScrape(await res.text());
}

async function send(path: string, n: number, init: RequestInit = {}): Promise<void> {
  for (let i = 0; i < n; i++) await (await SELF.fetch(`http://metrics.test${path}`, init)).arrayBuffer();
}

describe("GET <base>/metrics, through the Worker", () => {
  it("counts the requests sent, by router, service, code, method and protocol", async () => {
    const before = await scrape();
    const a = { router: "metrics-a@kv", service: "metrics-svc@kv", code: "200", method: "GET", protocol: "http" };
    const b = { ...a, router: "metrics-b@kv", method: "POST" };
    const down = { router: "metrics-down@kv", service: "metrics-nowhere@kv", code: "502", method: "GET" };
    await send("/a", 7);
    await send("/b", 3, { method: "POST", body: "x" });
    await send("/down", 2);
    await send("/a", 1, { headers: { accept: "text/event-stream" } });
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => total(after, name, labels) - total(before, name, labels);
    expect(delta("traefik_router_requests_total", a)).toBe(7);
    expect(delta("traefik_router_requests_total", b)).toBe(3);
    expect(delta("traefik_router_requests_total", down)).toBe(2);
    expect(delta("traefik_router_requests_total", { ...a, protocol: "sse" })).toBe(1);
    expect(delta("traefik_router_request_duration_seconds_count", a)).toBe(7);
    expect(delta("traefik_router_request_duration_seconds_bucket", { ...a, le: "+Inf" })).toBe(7);
    expect(delta("traefik_service_requests_total", { service: "metrics-svc@kv", code: "200", method: "GET", protocol: "http" })).toBe(7);
    expect(delta("traefik_service_requests_total", { service: "metrics-svc@kv", code: "200", method: "POST" })).toBe(3);
    expect(after.families.get("traefik_router_requests_total")).toMatchObject({ type: "COUNTER" });
    expect(after.families.get("traefik_service_request_duration_seconds")).toMatchObject({ type: "HISTOGRAM" });
    // The config this isolate loaded counts as a reload, and its success time is set.
    expect(total(after, "traefik_config_reloads_total")).toBeGreaterThanOrEqual(1);
    expect(total(after, "traefik_config_last_reload_success")).toBeGreaterThan(1.7e9);
  });

  it("a request no router matches counts on the entry point, with its 404", async () => {
    const labels = { code: "404", entrypoint: "http", method: "GET", protocol: "http" };
    const before = total(await scrape(), "traefik_entrypoint_requests_total", labels);
    await send("/nothing-here", 4);
    expect(total(await scrape(), "traefik_entrypoint_requests_total", labels) - before).toBe(4);
  });

  it("METRICS_TOKEN opens /metrics and nothing else (403: it lacks the scope); ADMIN_TOKEN opens it too", async () => {
    const withToken = { ...workerEnv, METRICS_TOKEN: "scrape-only" };
    const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
    const call = (path: string, token: string, method = "GET") =>
      worker.fetch(new Request(`${BASE}${path}`, { method, headers: { authorization: `Bearer ${token}` } }), withToken, ctx);
    const ok = await call("/metrics", "scrape-only");
    expect(ok.status).toBe(200);
    expect(parseScrape(await ok.text()).families.has("traefik_router_requests_total")).toBe(true);
    expect((await call("/metrics", "scrape-only", "HEAD")).status).toBe(200);
    for (const path of ["/status", "/config", "/api/http/routers", "/metrics/x"]) {
      const refused = await call(path, "scrape-only");
      expect(refused.status, path).toBe(403);
      expect(((await refused.json()) as { error: string }).error).toBe("token 'metrics' lacks the 'read' scope");
    }
    expect((await call("/config", "scrape-only", "PUT")).status).toBe(403);
    expect((await call("/metrics", "wrong")).status).toBe(401);
    const admin = await adminFetch("/metrics");
    expect(admin.status).toBe(200);
    await admin.arrayBuffer();
  });

  it("without any token it is refused", async () => {
    const res = await SELF.fetch(`${BASE}/metrics`);
    expect(res.status).toBe(401);
    await res.arrayBuffer();
  });
});

const sample = (router: string, over: Partial<RequestSample> = {}): RequestSample => withKey({
  code: "200",
  method: "GET",
  protocol: "http",
  router,
  routerService: "two@kv",
  service: "two@kv",
  seconds: 0.01,
  serviceSeconds: 0.01,
  retries: 0,
  ...over,
});

/** The recorder keys router cells by router and service joined, as request.ts makes them once per snapshot. */
function withKey(s: Omit<RequestSample, "routerKey">): RequestSample {
  return { ...s, routerKey: `${s.router}\u0000${s.routerService}` };
}

describe("two isolates, one store", () => {
  it("the store sums what two isolates flush, exactly", async () => {
    const ns = workerEnv.METRICS!;
    const one = new IsolateMetrics(storeSink(ns, 1, "isolate-one"), { intervalMs: 60_000 });
    const two = new IsolateMetrics(storeSink(ns, 1, "isolate-two"), { intervalMs: 60_000 });
    for (let i = 0; i < 11; i++) one.recorder.request(sample("two-isolates@kv"));
    for (let i = 0; i < 5; i++) two.recorder.request(sample("two-isolates@kv", { retries: 2 }));
    two.recorder.request(sample("two-isolates@kv", { code: "503" }));
    await Promise.all([one.flush(), two.flush()]);
    // A second round: deltas, not totals, go over the wire.
    one.recorder.request(sample("two-isolates@kv"));
    await one.flush();
    const s = parseScrape(await new IsolateMetrics(storeSink(ns, 1, "reader"), { intervalMs: 60_000 }).scrape());
    expect(total(s, "traefik_router_requests_total", { router: "two-isolates@kv", code: "200" })).toBe(17);
    expect(total(s, "traefik_router_requests_total", { router: "two-isolates@kv", code: "503" })).toBe(1);
    expect(total(s, "traefik_service_retries_total", { service: "two@kv" })).toBe(10);
    expect(total(s, "traefik_router_request_duration_seconds_bucket", { router: "two-isolates@kv", code: "200", le: "0.1" })).toBe(17);
  });

  it("sharded: each isolate flushes to its shard, a read sums the shards", async () => {
    const ns = workerEnv.METRICS!;
    const isolates = Array.from({ length: 6 }, (_, i) => new IsolateMetrics(storeSink(ns, 3, `sharded-${i}`), { intervalMs: 60_000 }));
    isolates.forEach((m, i) => {
      for (let n = 0; n <= i; n++) m.recorder.request(sample("sharded@kv"));
    });
    await Promise.all(isolates.map((m) => m.flush()));
    const s = parseScrape(await new IsolateMetrics(storeSink(ns, 3, "reader"), { intervalMs: 60_000 }).scrape());
    expect(total(s, "traefik_router_requests_total", { router: "sharded@kv" })).toBe(21);
    expect(matching(s, "traefik_router_requests_total", { router: "sharded@kv" })).toHaveLength(1);
    // More than one shard was used (6 isolates over 3 shards by hash).
    const used = await Promise.all([0, 1, 2].map((i) => ns.get(ns.idFromName(`metrics-${i}`)).read()));
    const holding = used.filter((f) => f.series.some((x) => x.l.includes("sharded@kv"))).length;
    expect(holding).toBeGreaterThan(1);
  });

  it("a store restarted from its SQLite rows keeps the sums", async () => {
    const ns = workerEnv.METRICS!;
    const stub = ns.get(ns.idFromName("restart-test"));
    await stub.push({ series: [{ f: "traefik_service_retries_total", l: ["restart@kv"], v: 4 }] });
    await stub.push({ series: [{ f: "traefik_service_retries_total", l: ["restart@kv"], v: 3 }] });
    const reloaded = await runInDurableObject(stub, (_instance, state) => new MetricsStore(state, {}).read());
    const text = exposition(reloaded.series, reloaded.dropped);
    expect(total(parseScrape(text), "traefik_service_retries_total", { service: "restart@kv" })).toBe(7);
  });
});

describe("Analytics Engine", () => {
  it("a flush writes one point per series to a bound dataset, none per request", async () => {
    const points: { blobs?: string[]; doubles?: number[] }[] = [];
    const dataset = { writeDataPoint: (p: { blobs?: string[]; doubles?: number[] }) => void points.push(p) };
    const m = new IsolateMetrics(storeSink(workerEnv.METRICS!, 1, "ae"), { intervalMs: 60_000, dataset });
    for (let i = 0; i < 9; i++) m.recorder.request(sample("ae@kv"));
    expect(points).toHaveLength(0);
    await m.flush();
    const router = points.find((p) => p.blobs?.[0] === "traefik_router_request_duration_seconds");
    expect(router?.blobs?.slice(1, 6)).toEqual(["200", "GET", "http", "ae@kv", "two@kv"]);
    expect(router?.doubles?.[0]).toBe(9);
    expect(points).toHaveLength(3);
  });
});
