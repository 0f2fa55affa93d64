// serverChecks in the Traefik API: a service with an active health check shows each server's
// status, the last check's time and its failure, learned by the API read itself (no request has
// gone to the service: the admin read polls the health checker, bounded in time).
import { beforeAll, describe, expect, inject, it } from "vitest";
import { adminFetch, putConfig, untilServing } from "../helpers/admin.ts";

const upstreams = inject("upstreams");
const dead = "http://127.0.0.1:1";

beforeAll(async () => {
  const res = await putConfig({
    http: {
      routers: { checked: { rule: "Host(`checks.test`)", service: "checked" } },
      services: {
        checked: { loadBalancer: { servers: [{ url: upstreams.s1 }, { url: dead }], healthCheck: { path: "/__health", interval: "1s", timeout: "500ms" } } },
        plain: { loadBalancer: { servers: [{ url: upstreams.s2 }] } },
      },
    },
  });
  expect(res.status).toBe(200);
  const { version } = (await res.json()) as { version: number };
  await (await untilServing(version, "/")).arrayBuffer();
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
