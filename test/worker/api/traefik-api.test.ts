import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { adminFetch, publish } from "../helpers/admin.ts";

const upstream = inject("whoamiUrl");

beforeAll(async () => {
  await publish({
    http: {
      routers: {
        web: { rule: "Host(`web.test`)", service: "web", entryPoints: ["websecure"] },
        blog: { rule: "Host(`web.test`) && PathPrefix(`/blog`)", service: "web@kv", priority: 50 },
        dashboard: { rule: "Host(`traefik.test`) && PathPrefix(`/api`)", service: "api@internal" },
      },
      services: {
        web: { loadBalancer: { servers: [{ url: upstream }, { url: "http://127.0.0.1:9" }] } },
        unused: { loadBalancer: { servers: [{ url: upstream }] } },
      },
    },
  }, "/");
});

async function api(path: string) {
  const res = await adminFetch(path);
  return { status: res.status, headers: res.headers, body: (await res.json()) as never };
}

describe("Traefik-compatible API under the admin base path", () => {
  it("GET /api/version", async () => {
    const { body } = await api("/api/version");
    expect(body).toMatchObject({ Version: expect.stringMatching(/^switchyard-/), Codename: "switchyard" });
  });

  it("GET /api/overview counts items and warnings", async () => {
    const { body } = await api("/api/overview");
    expect(body).toMatchObject({
      http: { routers: { total: 3, warnings: 1, errors: 0 }, services: { total: 2, warnings: 0, errors: 0 }, middlewares: { total: 0 } },
      providers: ["kv"],
    });
  });

  it("GET /api/http/routers lists routers as Traefik does", async () => {
    const { body, headers } = await api("/api/http/routers");
    const routers = body as { name: string; status: string; rule: string; service: string; provider: string; error?: string[] }[];
    expect(routers.map((r) => r.name)).toEqual(["blog@kv", "dashboard@kv", "web@kv"]);
    expect(routers[2]).toMatchObject({ rule: "Host(`web.test`)", service: "web", status: "warning", provider: "kv", entryPoints: ["websecure"] });
    expect(routers[2]!.error?.[0]).toMatch(/entryPoints/);
    expect(routers[0]).toMatchObject({ status: "enabled", priority: 50 });
    expect(headers.get("x-next-page")).toBe("1");
  });

  it("filters, searches and paginates", async () => {
    expect(((await api("/api/http/routers?search=blog")).body as unknown[]).length).toBe(1);
    expect(((await api("/api/http/routers?status=warning")).body as unknown[]).length).toBe(1);
    expect(((await api("/api/http/routers?serviceName=api@internal")).body as unknown[]).length).toBe(1);
    const page1 = await api("/api/http/routers?per_page=2");
    expect((page1.body as unknown[]).length).toBe(2);
    expect(page1.headers.get("x-next-page")).toBe("2");
    const page2 = await api("/api/http/routers?per_page=2&page=2");
    expect((page2.body as unknown[]).length).toBe(1);
    expect((await api("/api/http/routers?per_page=2&page=9")).status).toBe(400);
  });

  it("GET /api/http/routers/{name} with or without @provider; 404 in Traefik's shape", async () => {
    expect((await api("/api/http/routers/web@kv")).body).toMatchObject({ name: "web@kv" });
    expect((await api("/api/http/routers/web")).body).toMatchObject({ name: "web@kv" });
    const missing = await api("/api/http/routers/nope");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: "router not found: nope" });
  });

  it("a malformed percent-escape in a name is 400 saying so, not a 500", async () => {
    const res = await api("/api/http/routers/%E0%A4%A");
    expect(res.status).toBe(400);
    expect((res.body as { message: string }).message).toBe('invalid percent-encoding in the router name "%E0%A4%A" (write a literal % as %25)');
    expect((await api("/api/http/routers/%77eb")).status).toBe(200);
  });

  it("GET /api/http/services[/{name}] with usedBy, type and each server's status", async () => {
    const { body } = await api("/api/http/services/web");
    expect(body).toMatchObject({
      name: "web@kv",
      type: "loadbalancer",
      status: "enabled",
      usedBy: ["blog@kv", "web@kv"],
      serverStatus: { [upstream]: "UP", "http://127.0.0.1:9": "UP" },
    });
    expect(((await api("/api/http/services")).body as unknown[]).length).toBe(2);
    expect((await api("/api/http/services/unused")).body).toMatchObject({ usedBy: [] });
  });

  it("shows a loadBalancer's passHostHeader with Traefik's default filled in (true), though the stored config omits it", async () => {
    expect((await api("/api/http/services/web")).body).toMatchObject({ loadBalancer: { passHostHeader: true } });
  });

  it("GET /api/http/middlewares and /api/rawdata", async () => {
    expect((await api("/api/http/middlewares")).body).toEqual([]);
    expect((await api("/api/http/middlewares/x")).status).toBe(404);
    const raw = (await api("/api/rawdata")).body as { routers: Record<string, unknown>; services: Record<string, unknown> };
    expect(Object.keys(raw.routers).sort()).toEqual(["blog@kv", "dashboard@kv", "web@kv"]);
    expect(Object.keys(raw.services).sort()).toEqual(["unused@kv", "web@kv"]);
  });
});

describe("api@internal through a user router", () => {
  it("serves the read-only API on the router's own rule, without the admin token", async () => {
    const res = await SELF.fetch("http://traefik.test/api/http/routers");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { name: string }[]).map((r) => r.name)).toContain("dashboard@kv");
    expect((await SELF.fetch("http://traefik.test/api/overview")).status).toBe(200);
  });

  it("a malformed percent-escape in a name is 400 saying so, not a 500", async () => {
    for (const path of ["/api/http/routers/%E0%A4%A", "/api/http/services/%zz", "/api/http/middlewares/%"]) {
      const res = await SELF.fetch(`http://traefik.test${path}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/invalid percent-encoding in the (router|service|middleware) name/);
    }
  });

  it("is read-only and only where the router matches", async () => {
    expect((await SELF.fetch("http://traefik.test/api/http/routers", { method: "POST" })).status).toBe(405);
    expect((await SELF.fetch("http://other.test/api/http/routers")).status).toBe(404);
  });
});
