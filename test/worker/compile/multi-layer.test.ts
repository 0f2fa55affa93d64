// Multi-layer routing end to end, through the whoami upstream: a parent's rule and middlewares,
// then the best matching child's rule, middlewares and service.
import { describe, expect, inject, it } from "vitest";
import { lb, send, snapshotOf, type Echo } from "../helpers/serve.ts";

const upstream = inject("whoamiUrl");

/** A headers middleware that tells the upstream which router's chain ran. */
function tag(value: string) {
  return { headers: { customRequestHeaders: { "X-Leaf": value } } };
}

function config(routers: Record<string, unknown>, middlewares: Record<string, unknown> = {}) {
  return { http: { routers, services: { s: lb(upstream) }, middlewares: { a: tag("a"), b: tag("b"), c: tag("c"), ...middlewares } } };
}

async function leaf(snapshot: ReturnType<typeof snapshotOf>, url: string, init?: RequestInit): Promise<string | number> {
  const res = await send(snapshot, url, init);
  if (res.status !== 200) return res.status;
  return String(((await res.json()) as Echo).headers["x-leaf"]);
}

describe("multi-layer routing", () => {
  // traefik pkg/server/router/router_test.go TestManager_buildChildRoutersMuxer "multiple child routers with different rules"
  it("routes to the child whose rule matches; no matching child is Traefik's 404", async () => {
    const snap = snapshotOf(
      config({
        parent: { rule: "PathPrefix(`/`)" },
        child1: { rule: "Path(`/api`)", service: "s", middlewares: ["a"], parentRefs: ["parent"] },
        child2: { rule: "Path(`/web`)", service: "s", middlewares: ["b"], parentRefs: ["parent"] },
      }),
    );
    expect(await leaf(snap, "https://x.test/api")).toBe("a");
    expect(await leaf(snap, "https://x.test/web")).toBe("b");
    const miss = await send(snap, "https://x.test/unknown");
    expect(miss.status).toBe(404);
    expect(await miss.text()).toBe("404 page not found\n");
  });

  it("the parent's rule narrows: a child is only reached through a parent that matched", async () => {
    const snap = snapshotOf(
      config({
        parent: { rule: "Host(`a.test`)" },
        child: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["a"], parentRefs: ["parent"] },
      }),
    );
    expect(await leaf(snap, "https://a.test/x")).toBe("a");
    expect(await leaf(snap, "https://b.test/x")).toBe(404);
  });

  it("the parent's middlewares run first and the children match the request they pass on", async () => {
    // As Traefik's docs example: the parent adds a header, the children route on it; a child strips a prefix.
    const snap = snapshotOf(
      config(
        {
          api: { rule: "PathPrefix(`/api`)", middlewares: ["role"] },
          admin: { rule: "Header(`X-Role`, `admin`)", service: "s", middlewares: ["strip", "a"], parentRefs: ["api"] },
          user: { rule: "Header(`X-Role`, `user`)", service: "s", middlewares: ["b"], parentRefs: ["api"] },
        },
        { role: { headers: { customRequestHeaders: { "X-Role": "admin" } } }, strip: { stripPrefix: { prefixes: ["/api"] } } },
      ),
    );
    const res = await send(snap, "https://x.test/api/users?q=1", { headers: { "X-Role": "user" } });
    expect(res.status).toBe(200);
    const echo = (await res.json()) as Echo;
    expect(echo.headers["x-leaf"]).toBe("a");
    expect(echo.headers["x-role"]).toBe("admin");
    expect(echo.url).toBe("/users?q=1");
    expect(echo.headers["x-forwarded-prefix"]).toBe("/api");
  });

  it("children see the path as the parent's middlewares rewrote it", async () => {
    const snap = snapshotOf(
      config(
        {
          parent: { rule: "PathPrefix(`/v1`)", middlewares: ["strip"] },
          users: { rule: "Path(`/users`)", service: "s", middlewares: ["a"], parentRefs: ["parent"] },
          raw: { rule: "PathPrefix(`/v1`)", service: "s", middlewares: ["b"], parentRefs: ["parent"] },
        },
        { strip: { stripPrefix: { prefixes: ["/v1"] } } },
      ),
    );
    expect(await leaf(snap, "https://x.test/v1/users")).toBe("a");
    expect(await leaf(snap, "https://x.test/v1/other")).toBe(404);
  });

  it("children are ordered as Traefik orders routers: explicit priority, else the rule's length", async () => {
    const snap = snapshotOf(
      config({
        parent: { rule: "PathPrefix(`/`)" },
        short: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["a"], parentRefs: ["parent"] },
        long: { rule: "PathPrefix(`/api`)", service: "s", middlewares: ["b"], parentRefs: ["parent"] },
        pinned: { rule: "PathPrefix(`/api/x`)", priority: 1, service: "s", middlewares: ["c"], parentRefs: ["parent"] },
      }),
    );
    expect(await leaf(snap, "https://x.test/api/y")).toBe("b");
    expect(await leaf(snap, "https://x.test/api/x")).toBe("b"); // priority 1 loses to the longer rule's 17
    expect(await leaf(snap, "https://x.test/other")).toBe("a");
  });

  it("a parent competes with root routers by its own priority", async () => {
    const snap = snapshotOf(
      config({
        parent: { rule: "PathPrefix(`/api`)" },
        child: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["a"], parentRefs: ["parent"] },
        catchAll: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["b"] },
      }),
    );
    expect(await leaf(snap, "https://x.test/api/1")).toBe("a");
    expect(await leaf(snap, "https://x.test/web")).toBe("b");
  });

  // traefik TestManager_buildChildRoutersMuxer "nested child routers (child with its own children)"
  it("nests: root → intermediate → leaf, each level matching the request as the level above passed it on", async () => {
    const snap = snapshotOf(
      config(
        {
          root: { rule: "Host(`x.test`)", middlewares: ["one"] },
          // Sees /p1/api/… (the root added /p1); its children see /api/… again.
          intermediate: { rule: "PathPrefix(`/p1/api`)", middlewares: ["two"], parentRefs: ["root"] },
          leaf1: { rule: "Path(`/api/v1`)", service: "s", middlewares: ["a"], parentRefs: ["intermediate"] },
          leaf2: { rule: "Path(`/api/v2`)", service: "s", middlewares: ["b"], parentRefs: ["intermediate"] },
        },
        { one: { addPrefix: { prefix: "/p1" } }, two: { stripPrefix: { prefixes: ["/p1"] } } },
      ),
    );
    const res = await send(snap, "https://x.test/api/v1");
    const echo = (await res.json()) as Echo;
    expect(echo.headers["x-leaf"]).toBe("a");
    expect(echo.url).toBe("/api/v1");
    expect(await leaf(snap, "https://x.test/api/v2")).toBe("b");
    expect(await leaf(snap, "https://x.test/api/v3")).toBe(404);
    expect(await leaf(snap, "https://x.test/other")).toBe(404);
  });

  it("a child of two parents is reached through either, after that parent's middlewares", async () => {
    const snap = snapshotOf(
      config(
        {
          p1: { rule: "Host(`one.test`)", middlewares: ["m1"] },
          p2: { rule: "Host(`two.test`)", middlewares: ["m2"] },
          shared: { rule: "PathPrefix(`/`)", service: "s", parentRefs: ["p1", "p2@file"] },
        },
        { m1: { headers: { customRequestHeaders: { "X-Via": "p1" } } }, m2: { headers: { customRequestHeaders: { "X-Via": "p2" } } } },
      ),
    );
    const via = async (host: string) => ((await (await send(snap, `https://${host}/`)).json()) as Echo).headers["x-via"];
    expect(await via("one.test")).toBe("p1");
    expect(await via("two.test")).toBe("p2");
  });

  it("the children match the client's host even when a parent rewrites the Host header", async () => {
    const snap = snapshotOf(
      config(
        {
          parent: { rule: "PathPrefix(`/`)", middlewares: ["host"] },
          child: { rule: "Host(`x.test`)", service: "s", middlewares: ["a"], parentRefs: ["parent"] },
        },
        { host: { headers: { customRequestHeaders: { Host: "other.test" } } } },
      ),
    );
    expect(await leaf(snap, "https://x.test/")).toBe("a");
  });
});
