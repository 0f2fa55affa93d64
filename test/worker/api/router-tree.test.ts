// Multi-layer routing as the admin API shows it: explain's parent → child chain, and Traefik's
// router representation (parentRefs as name@provider, no service on a parent).
import { describe, expect, inject, it } from "vitest";
import { explain } from "../../../worker/admin/explain.ts";
import type { AdminIsolate } from "../../../worker/admin/isolate.ts";
import { representations } from "../../../worker/api/represent.ts";
import { lb, snapshotOf } from "../helpers/serve.ts";

const upstream = inject("whoamiUrl");

const snapshot = snapshotOf({
  http: {
    routers: {
      api: { rule: "PathPrefix(`/api`)", middlewares: ["auth"] },
      v1: { rule: "PathPrefix(`/api/v1`)", parentRefs: ["api"] },
      users: { rule: "Path(`/api/v1/users`)", service: "s", parentRefs: ["v1@file"] },
      web: { rule: "PathPrefix(`/`)", service: "s" },
    },
    services: { s: lb(upstream) },
    middlewares: { auth: { headers: { customRequestHeaders: { "X-Auth": "1" } } } },
  },
});

const isolate = { base: "", loaded: async () => snapshot, status: () => ({}) } as unknown as AdminIsolate;

async function explained(body: unknown): Promise<unknown> {
  return (await explain(new Request("https://admin.test/explain", { method: "POST", body: JSON.stringify(body) }), isolate)).json();
}

describe("POST /explain through parent routers", () => {
  it("names the leaf and the chain root first, and says the parents' middlewares were not run", async () => {
    expect(await explained({ url: "https://x.test/api/v1/users" })).toEqual({
      version: 1,
      router: "users",
      priority: 21,
      rule: "Path(`/api/v1/users`)",
      chain: [
        { router: "api", priority: 18, rule: "PathPrefix(`/api`)" },
        { router: "v1", priority: 21, rule: "PathPrefix(`/api/v1`)" },
        { router: "users", priority: 21, rule: "Path(`/api/v1/users`)" },
      ],
      note: "children were matched against the request as given: explain does not run the parent routers' middlewares (api: auth)",
    });
  });

  it("a parent that matched with no child that does: router null, the chain so far", async () => {
    const miss = (await explained({ url: "https://x.test/api/v2" })) as { router: unknown; chain: { router: string }[] };
    expect(miss.router).toBeNull();
    expect(miss.chain.map((c) => c.router)).toEqual(["api"]);
  });

  it("a root leaf keeps the flat answer (no chain)", async () => {
    expect(await explained({ url: "https://x.test/home" })).toEqual({ version: 1, router: "web", priority: 15, rule: "PathPrefix(`/`)" });
  });
});

describe("Traefik's router representation", () => {
  it("a child's parentRefs as name@provider; a parent has no service and uses its middlewares", () => {
    const r = representations(snapshot);
    const byName = Object.fromEntries(r.routers.map((x) => [x.name, x]));
    expect(byName["users@file"]).toMatchObject({ parentRefs: ["v1@file"], service: "s", status: "enabled" });
    expect(byName["v1@file"]).toMatchObject({ parentRefs: ["api@file"] });
    expect(byName["api@file"]).not.toHaveProperty("service");
    expect(byName["api@file"]).not.toHaveProperty("parentRefs");
    expect(r.services.find((s) => s.name === "s@file")).toMatchObject({ usedBy: ["users@file", "web@file"] });
    expect(r.middlewares.find((m) => m.name === "auth@file")).toMatchObject({ usedBy: ["api@file"] });
  });
});
