// Service-level middlewares (Traefik v3.7, pkg/server/service/service.go BuildHTTP: the built
// service handler is wrapped by its own chain; docs reference/routing-configuration/http/
// load-balancing/service.md "Middlewares Execution Order": router middlewares first, then the service's).
import { describe, expect, inject, it } from "vitest";
import { validateConfig } from "../../../worker/config/index.ts";
import { lb, send, snapshotOf, type Echo } from "../helpers/serve.ts";

const upstream = inject("whoamiUrl");

const prefix = (p: string) => ({ addPrefix: { prefix: p } });

async function echo(config: unknown, path: string): Promise<Echo> {
  return (await (await send(snapshotOf(config), `https://x.test${path}`)).json()) as Echo;
}

describe("service middlewares", () => {
  it("run after the router's middlewares, in their listed order", async () => {
    const config = {
      http: {
        routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["router"] } },
        services: { s: { ...lb(upstream), middlewares: ["svc1", "svc2@file"] } },
        middlewares: { router: prefix("/router"), svc1: prefix("/svc1"), svc2: prefix("/svc2") },
      },
    };
    // Each addPrefix prepends: the last to run is outermost in the path.
    expect((await echo(config, "/x")).url).toBe("/svc2/svc1/router/x");
  });

  it("apply for every router that uses the service, with or without router middlewares", async () => {
    const config = {
      http: {
        routers: {
          a: { rule: "PathPrefix(`/a`)", service: "s", middlewares: ["router"] },
          b: { rule: "PathPrefix(`/b`)", service: "s" },
        },
        services: { s: { ...lb(upstream), middlewares: ["svc"] } },
        middlewares: { router: prefix("/router"), svc: prefix("/svc") },
      },
    };
    expect((await echo(config, "/a")).url).toBe("/svc/router/a");
    expect((await echo(config, "/b")).url).toBe("/svc/b");
  });

  it("a weighted parent reaches its child through the child's own middlewares", async () => {
    const config = {
      http: {
        routers: { r: { rule: "PathPrefix(`/`)", service: "w", middlewares: ["router"] } },
        services: {
          w: { weighted: { services: [{ name: "child", weight: 1 }] }, middlewares: ["parent"] },
          child: { ...lb(upstream), middlewares: ["own"] },
        },
        middlewares: { router: prefix("/router"), parent: prefix("/parent"), own: prefix("/own") },
      },
    };
    expect((await echo(config, "/x")).url).toBe("/own/parent/router/x");
  });

  it("a failover's main and a mirroring's main get their own middlewares too", async () => {
    const services = {
      main: { ...lb(upstream), middlewares: ["own"] },
      spare: lb(upstream),
      f: { failover: { service: "main", fallback: "spare", errors: { status: ["500"] } } },
      m: { mirroring: { service: "main" } },
    };
    const config = (service: string) => ({
      http: { routers: { r: { rule: "PathPrefix(`/`)", service } }, services, middlewares: { own: prefix("/own") } },
    });
    expect((await echo(config("f"), "/x")).url).toBe("/own/x");
    expect((await echo(config("m"), "/x")).url).toBe("/own/x");
  });

  it("a chain in a service's middlewares expands in place", async () => {
    const config = {
      http: {
        routers: { r: { rule: "PathPrefix(`/`)", service: "s" } },
        services: { s: { ...lb(upstream), middlewares: ["c"] } },
        middlewares: { c: { chain: { middlewares: ["one", "two"] } }, one: prefix("/one"), two: prefix("/two") },
      },
    };
    expect((await echo(config, "/x")).url).toBe("/two/one/x");
  });

  it("a changed service middleware takes effect on the next snapshot (the reuse key covers it)", async () => {
    const config = (p: string) => ({
      http: {
        routers: { r: { rule: "PathPrefix(`/`)", service: "s" } },
        services: { s: { ...lb(upstream), middlewares: ["m"] } },
        middlewares: { m: prefix(p) },
      },
    });
    const first = snapshotOf(config("/one"));
    const second = snapshotOf(config("/two"), first, 2);
    expect(((await (await send(second, "https://x.test/x")).json()) as Echo).url).toBe("/two/x");
  });

  it("a missing middleware is refused at its path", () => {
    const valid = validateConfig({
      http: { routers: { r: { rule: "PathPrefix(`/`)", service: "s" } }, services: { s: { ...lb(upstream), middlewares: ["ok", "nope"] } }, middlewares: { ok: prefix("/a") } },
    });
    expect(valid.ok).toBe(false);
    if (!valid.ok) expect(valid.errors.map((e) => e.path)).toContain("http.services.s.middlewares[1]");
  });

  it("a service whose middleware's errors service is itself (through a chain) is a cycle", () => {
    const valid = validateConfig({
      http: {
        routers: { r: { rule: "PathPrefix(`/`)", service: "s" } },
        services: { s: { ...lb(upstream), middlewares: ["c"] } },
        middlewares: { c: { chain: { middlewares: ["e"] } }, e: { errors: { status: ["500"], service: "s" } } },
      },
    });
    expect(valid.ok).toBe(false);
    if (!valid.ok) expect(valid.errors.map((e) => `${e.path}: ${e.message}`).join("\n")).toMatch(/http\.services\.s: service cycle: s -> s/);
  });

  it("a chain cycle reached from a service's middlewares is refused", () => {
    const valid = validateConfig({
      http: {
        routers: { r: { rule: "PathPrefix(`/`)", service: "s" } },
        services: { s: { ...lb(upstream), middlewares: ["a"] } },
        middlewares: { a: { chain: { middlewares: ["b"] } }, b: { chain: { middlewares: ["a"] } } },
      },
    });
    expect(valid.ok).toBe(false);
    if (!valid.ok) expect(valid.errors.map((e) => e.message).join("\n")).toMatch(/chain cycle: a -> b -> a/);
  });
});
