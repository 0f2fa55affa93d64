// serverChecks in the Traefik API: a service with an active health check shows each server's
// status, the last check's time and its failure, learned by the API read itself (no request has
// gone to the service: the admin read polls the health checker, bounded in time).
import { beforeAll, describe, expect, inject, it } from "vitest";
import { adminFetch, publish } from "../helpers/admin.ts";

const upstreams = inject("upstreams");
const dead = "http://127.0.0.1:1";

beforeAll(async () => {
  await publish({
    http: {
      routers: { checked: { rule: "Host(`checks.test`)", service: "checked" } },
      services: {
        checked: { loadBalancer: { servers: [{ url: upstreams.s1 }, { url: dead }], healthCheck: { path: "/__health", interval: "1s", timeout: "500ms" } } },
        plain: { loadBalancer: { servers: [{ url: upstreams.s2 }] } },
      },
    },
  }, "/");
});

type Check = { status: string; lastCheck: string | null; error?: string };
type Service = { name: string; serverStatus: Record<string, string>; serverChecks?: Record<string, Check> };

async function service(name: string): Promise<Service> {
  const res = await adminFetch(`/api/http/services/${name}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Service;
}

describe("serverChecks", () => {
  it("shows UP/DOWN, the last check (ISO 8601) and the failure, from an API read alone", async () => {
    let body = await service("checked");
    for (let i = 0; i < 100 && !(body.serverChecks?.[dead]?.lastCheck && body.serverChecks[upstreams.s1]?.lastCheck); i++) {
      await new Promise((r) => setTimeout(r, 50));
      body = await service("checked");
    }
    const checks = body.serverChecks!;
    expect(checks[upstreams.s1]).toEqual({ status: "UP", lastCheck: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
    expect(checks[dead]).toMatchObject({ status: "DOWN", error: expect.any(String) });
    expect(checks[dead]!.error!.length).toBeGreaterThan(0);
    expect(Math.abs(Date.parse(checks[dead]!.lastCheck!) - Date.now())).toBeLessThan(60_000);
    // Traefik's serverStatus stays as it was, and agrees.
    expect(body.serverStatus).toEqual({ [upstreams.s1]: "UP", [dead]: "DOWN" });
  });

  it("is absent for a service without an active health check, and in the list too", async () => {
    expect(await service("plain")).not.toHaveProperty("serverChecks");
    const list = (await (await adminFetch("/api/http/services")).json()) as Service[];
    expect(list.find((s) => s.name === "checked@kv")?.serverChecks?.[upstreams.s1]?.status).toBe("UP");
    expect(list.find((s) => s.name === "plain@kv")).not.toHaveProperty("serverChecks");
  });
});

describe("the API's health refresh", () => {
  it("asks a checker at most once per poll interval, however often the API is read", async () => {
    const { ActiveHealth } = await import("../../../worker/services/health/active.ts");
    const { probeSpec } = await import("../../../worker/services/health/spec.ts");
    let calls = 0;
    const report = { servers: [{ server: "http://10.0.0.1", status: "DOWN", checkedAt: 1_764_770_000_000, error: "status 500" }] };
    const stub = { sync: async () => (calls++, report) };
    const namespace = { idFromName: (n: string) => n, get: () => stub } as unknown as DurableObjectNamespace<never>;
    const hc = { mode: "http", interval: "30s", timeout: "5s", followRedirects: true, path: "/h" } as const;
    const active = new ActiveHealth(probeSpec("svc", ["http://10.0.0.1"], hc));
    const env = { HEALTH_CHECKER: namespace, POLL_INTERVAL_MS: "60000" } as never;
    await Promise.all([active.refresh(env), active.refresh(env)]);
    await active.refresh(env);
    expect(calls).toBe(1);
    expect(active.get("http://10.0.0.1")).toEqual({ up: false, checkedAt: 1_764_770_000_000, error: "status 500" });
    // With POLL_INTERVAL_MS=0 (the tests' setting) every read asks.
    const every = { HEALTH_CHECKER: namespace, POLL_INTERVAL_MS: "0" } as never;
    const eager = new ActiveHealth(probeSpec("svc", ["http://10.0.0.1"], hc));
    await eager.refresh(every);
    await eager.refresh(every);
    expect(calls).toBe(3);
  });
});
