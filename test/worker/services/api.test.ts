// End to end through the Worker: a config published through the admin API, traffic through the
// router, the health-checker object's alarm firing on its own, the pool learning the result in
// the background, and Traefik's API under the admin base showing each server UP or DOWN.
import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { adminFetch, publish } from "../helpers/admin.ts";

const dead = "http://127.0.0.1:1";

async function serverStatus(): Promise<Record<string, string>> {
  const res = await adminFetch("/api/http/services/web");
  expect(res.status).toBe(200);
  return ((await res.json()) as { serverStatus: Record<string, string> }).serverStatus;
}

beforeAll(async () => {
  // Passive health is set so it cannot take a server out (1000 failures): DOWN can only come from the active check.
  await publish({
    http: {
      routers: { web: { rule: "Host(`web.test`)", service: "web" } },
      services: {
        web: {
          loadBalancer: {
            servers: [{ url: dead }, { url: "binding://ECHO" }],
            healthCheck: { path: "/health", interval: "30s", timeout: "2s" },
            passiveHealthCheck: { maxFailedAttempts: 1000 },
          },
        },
      },
    },
  }, "/");
});

describe("GET <admin base>/api/http/services/{name}", () => {
  it("shows each server's status as the active health check finds it", async () => {
    expect(await serverStatus()).toEqual({ [dead]: "UP", "binding://ECHO": "UP" });
    let status: Record<string, string> = {};
    for (let i = 0; i < 100 && status[dead] !== "DOWN"; i++) {
      await (await SELF.fetch("http://web.test/")).arrayBuffer(); // each request may start a background poll
      await new Promise((r) => setTimeout(r, 20));
      status = await serverStatus();
    }
    expect(status).toEqual({ [dead]: "DOWN", "binding://ECHO": "UP" });
    for (let i = 0; i < 4; i++) {
      const res = await SELF.fetch("http://web.test/");
      expect(((await res.json()) as { name: string }).name).toBe("echo-worker");
    }
  });
});
