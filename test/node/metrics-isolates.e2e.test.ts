// End to end over HTTP: the real Worker bundle run twice by Miniflare (helpers/two-isolates.ts: two
// Workers, so two isolates with their own module state), both binding the same Durable Objects, the
// MetricsStore among them (worker "b" reaches worker "a"'s classes by scriptName). Requests go to each over HTTP; /metrics, read by a Prometheus text
// parser, must count exactly the requests sent to both.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matching, parseScrape, total } from "../worker/helpers/prometheus.ts";
import { startTwoIsolates, type TwoIsolates } from "./helpers/two-isolates.ts";

const TOKEN = "e2e-admin-token";
let isolates: TwoIsolates | null = null;

/** One HTTP request to Miniflare's server with a Host header (its routes pick the Worker by host). */
const get = (host: string, path: string, headers: Record<string, string> = {}) => isolates!.call(host, path, { headers });

beforeAll(async () => {
  // The bundled demo config (its routers answer 502 when nothing listens on 127.0.0.1:8788:
  // the counts below are over every code). The helper's long flush interval: only the scrape flushes.
  // a also writes each flush to Miniflare's local Analytics Engine dataset (the real binding: its flushes must go through).
  isolates = await startTwoIsolates({ ADMIN_TOKEN: TOKEN, CONFIG_SOURCE: "file" }, ["CONFIG_KV"], { analyticsEngineDatasets: { METRICS_DATASET: { dataset: "switchyard_metrics" } } });
}, 60_000);

afterAll(async () => {
  await isolates?.dispose();
});

async function scrape(host: string) {
  const res = await get(host, "/__switchyard/metrics", { authorization: `Bearer ${TOKEN}` });
  expect(res.status).toBe(200);
  return parseScrape(res.body);
}

describe("two isolates, one metrics store, over HTTP", () => {
  it("the two Workers are two isolates", async () => {
    const status = async (host: string) => JSON.parse((await get(host, "/__switchyard/status", { authorization: `Bearer ${TOKEN}` })).body) as { isolate: string };
    expect((await status("a.test")).isolate).not.toBe((await status("b.test")).isolate);
  });

  it("/metrics counts exactly the requests sent to both", async () => {
    for (let i = 0; i < 6; i++) await get("a.test", "/whoami");
    for (let i = 0; i < 9; i++) await get("b.test", "/whoami");
    for (let i = 0; i < 2; i++) await get("b.test", "/nothing");
    // Each scrape flushes the isolate that answers it: scraping a, then b, sends both.
    await scrape("a.test");
    const s = await scrape("b.test");
    expect(total(s, "traefik_router_requests_total", { router: "whoami@file", service: "whoami@file", method: "GET", protocol: "http" })).toBe(15);
    expect(total(s, "traefik_router_request_duration_seconds_count", { router: "whoami@file" })).toBe(15);
    expect(total(s, "traefik_entrypoint_requests_total", { code: "404" })).toBe(2);
    expect(total(s, "traefik_service_requests_total", { service: "whoami@file" })).toBe(15);
    // Each isolate loaded the bundled config once.
    expect(total(s, "traefik_config_reloads_total")).toBe(2);
    // And a's view is the same global figure once it has flushed again.
    expect(total(await scrape("a.test"), "traefik_router_requests_total", { router: "whoami@file" })).toBe(15);
    // The history (GET <base>/metrics/history) holds the same requests, summed over both isolates' flushes.
    const res = await get("b.test", "/__switchyard/metrics/history?window=3600&step=60", { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    const wide = JSON.parse(res.body) as { points: number; routers: Record<string, { requests: number[]; errors: number[] }>; services: Record<string, { requests: number[] }> };
    const sum = (xs: number[] | undefined) => (xs ?? []).reduce((a, b) => a + b, 0);
    expect(wide.points).toBe(60);
    expect(sum(wide.routers["whoami@file"]?.requests)).toBe(15);
    // errors are the 5xx the scrape counts (502s unless something listens on the demo's 127.0.0.1:8788).
    const fivexx = matching(s, "traefik_router_requests_total", { router: "whoami@file" }).filter((m) => m.labels.code?.startsWith("5"));
    expect(sum(wide.routers["whoami@file"]?.errors)).toBe(fivexx.reduce((n, m) => n + m.value, 0));
    expect(sum(wide.services["whoami@file"]?.requests)).toBe(15);
  });
});
