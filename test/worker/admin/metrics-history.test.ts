// GET <base>/metrics/history through the Worker: requests served, then read back per router and
// service; window/step checked with a 400; METRICS_TOKEN opens it as it opens /metrics.
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, inject, it } from "vitest";
import worker, { type WorkerEnv } from "../../../worker/index.ts";
import type { History } from "../../../worker/metrics/history.ts";
import { adminFetch, BASE, publish } from "../helpers/admin.ts";

const upstream = inject("whoamiUrl");

beforeAll(async () => {
  await publish({
    http: {
      routers: {
        "hist-ok": { rule: "Host(`hist.test`) && PathPrefix(`/ok`)", service: "hist-svc" },
        "hist-down": { rule: "Host(`hist.test`) && PathPrefix(`/down`)", service: "hist-nowhere" },
      },
      services: {
        "hist-svc": { loadBalancer: { servers: [{ url: upstream }] } },
        "hist-nowhere": { loadBalancer: { servers: [{ url: "http://127.0.0.1:9" }] } },
      },
    },
  }, "/");
});

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe("GET <base>/metrics/history", () => {
  it("answers the contract's shape with the requests and 5xx just served", async () => {
    for (let i = 0; i < 5; i++) await (await SELF.fetch("http://hist.test/ok")).arrayBuffer();
    for (let i = 0; i < 2; i++) await (await SELF.fetch("http://hist.test/down")).arrayBuffer();
    const res = await adminFetch("/metrics/history?window=600&step=10");
    expect(res.status).toBe(200);
    const h = (await res.json()) as History;
    expect(h.step).toBe(10);
    expect(h.points).toBe(60);
    expect(h.start % 10).toBe(0);
    expect(h.start + h.points * h.step).toBeGreaterThan(Date.now() / 1000);
    const ok = h.routers["hist-ok@kv"]!;
    const down = h.routers["hist-down@kv"]!;
    for (const arr of [ok.requests, ok.errors, ok.p50, ok.p99]) expect(arr).toHaveLength(60);
    expect(sum(ok.requests)).toBe(5);
    expect(sum(ok.errors)).toBe(0);
    expect(sum(down.requests)).toBe(2);
    expect(sum(down.errors)).toBe(2); // 502: nothing listens on :9
    expect(sum(h.services["hist-svc@kv"]!.requests)).toBe(5);
    // p50/p99 are seconds where there were requests, null elsewhere.
    ok.requests.forEach((n, i) => (n > 0 ? expect(ok.p50[i]).toBeGreaterThanOrEqual(0) : expect(ok.p50[i]).toBeNull()));
  });

  it("defaults to window=3600&step=60", async () => {
    const h = (await (await adminFetch("/metrics/history")).json()) as History;
    expect([h.step, h.points]).toEqual([60, 60]);
  });

  it("refuses a bad window or step with 400 and says why", async () => {
    for (const [q, message] of [["window=7200", /window must be/], ["step=5", /step must be/], ["window=60&step=120", /step must be/], ["step=abc", /step must be/]] as const) {
      const res = await adminFetch(`/metrics/history?${q}`);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
  });

  it("METRICS_TOKEN opens it, as it opens /metrics; no token is refused", async () => {
    const withToken = { ...(env as WorkerEnv), METRICS_TOKEN: "scrape-only" };
    const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
    const call = (path: string) => worker.fetch(new Request(`${BASE}${path}`, { headers: { authorization: "Bearer scrape-only" } }), withToken, ctx);
    const ok = await call("/metrics/history?window=60&step=10");
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as History).points).toBe(6);
    // A valid token without the scope a path needs: 403 naming the scope (scopes.ts), not 401.
    const other = await call("/metrics/historyx");
    expect(other.status).toBe(403);
    await other.arrayBuffer();
    const none = await SELF.fetch(`${BASE}/metrics/history`);
    expect(none.status).toBe(401);
    await none.arrayBuffer();
  });
});
