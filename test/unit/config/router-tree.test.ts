// Multi-layer routing validation: Traefik's ParseRouterTree rules, each an error with its JSON path.
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../../worker/config/index.ts";
import { MAX_ROUTER_DEPTH } from "../../../worker/config/checks/tree.ts";

const svc = { loadBalancer: { servers: [{ url: "http://backend:8080" }] } };

function routers(r: Record<string, unknown>): unknown {
  return { http: { routers: r, services: { svc } } };
}

function errorsOf(raw: unknown): { path: string; message: string }[] {
  const result = validateConfig(raw);
  return result.ok ? [] : result.errors.map(({ path, message }) => ({ path, message }));
}

describe("router tree: valid", () => {
  // traefik pkg/server/router/router_test.go TestManager_ComputeMultiLayerRouting "Router with two children"
  it("a parent without a service, two children with services", () => {
    const result = validateConfig(
      routers({
        A: { rule: "PathPrefix(`/a`)" },
        B1: { rule: "Path(`/a/1`)", service: "svc", parentRefs: ["A"] },
        B2: { rule: "Path(`/a/2`)", service: "svc", parentRefs: ["A@file"] },
      }),
    );
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });

  it("a child of a child (nested), a child of two parents, parentRefs: [] is a root", () => {
    const result = validateConfig(
      routers({
        root: { rule: "Host(`a.com`)" },
        other: { rule: "Host(`b.com`)" },
        mid: { rule: "PathPrefix(`/api`)", parentRefs: ["root"] },
        leaf: { rule: "PathPrefix(`/`)", service: "svc", parentRefs: ["mid", "other", "mid"] },
        plain: { rule: "Path(`/x`)", service: "svc", parentRefs: [] },
      }),
    );
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });

  it("a root parent's entryPoints/tls keep their warnings; nothing warns about parentRefs", () => {
    const result = validateConfig(routers({ p: { rule: "PathPrefix(`/`)", tls: {} }, c: { rule: "Path(`/`)", service: "svc", parentRefs: ["p"] } }));
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => w.path)).toEqual(["http.routers.p.tls"]);
  });
});

describe("router tree: errors", () => {
  // traefik TestManager_ComputeMultiLayerRouting "Router with non-existing parent"
  it("a missing parent, at the parentRefs entry", () => {
    expect(errorsOf(routers({ c: { rule: "Path(`/`)", service: "svc", parentRefs: ["x", "p"] }, q: { rule: "Path(`/q`)", service: "svc" } }))).toEqual([
      { path: "http.routers.c.parentRefs[0]", message: expect.stringContaining('router "x" does not exist') },
      { path: "http.routers.c.parentRefs[1]", message: expect.stringContaining('router "p" does not exist') },
    ]);
  });

  it("a parent of another provider is refused as any reference is", () => {
    const [e] = errorsOf(routers({ p: { rule: "Path(`/`)" }, c: { rule: "Path(`/`)", service: "svc", parentRefs: ["p@docker"] } }));
    expect(e).toEqual({ path: "http.routers.c.parentRefs[0]", message: expect.stringContaining('provider "docker" is not available') });
  });

  // traefik TestManager_ComputeMultiLayerRouting "Dead-end router with no child and no service"
  it("a router with no service and no children: service is required (a leaf)", () => {
    expect(errorsOf(routers({ A: { rule: "Path(`/`)" } }))).toEqual([
      { path: "http.routers.A.service", message: expect.stringMatching(/^"service" is required: this router has no service and no child routers/) },
    ]);
  });

  it("a parent is never told its service is required", () => {
    const errors = errorsOf(routers({ p: { rule: "Path(`/`)" }, c: { rule: "Path(`/`)", service: "missing", parentRefs: ["p"] } }));
    expect(errors).toEqual([{ path: "http.routers.c.service", message: expect.stringContaining('service "missing" does not exist') }]);
  });

  it("a parent whose only child failed its schema is not told it has no children", () => {
    const errors = errorsOf(routers({ p: { rule: "Path(`/`)" }, c: { rule: "Path(`/`)", service: "svc", ParentRefs: ["p"], priority: -1 } }));
    expect(errors.map((e) => e.path)).toEqual(["http.routers.c.priority"]);
  });

  // traefik router.go ParseRouterTree "router has both a service and is referenced as a parent by other routers"
  it("a parent with a service", () => {
    expect(errorsOf(routers({ p: { rule: "Path(`/`)", service: "svc" }, c: { rule: "Path(`/`)", service: "svc", parentRefs: ["p"] } }))).toEqual([
      { path: "http.routers.p.service", message: expect.stringContaining("router has both a service and is referenced as a parent by other routers (c)") },
    ]);
  });

  // traefik TestManager_ComputeMultiLayerRouting "Non-root router with TLS config" / "observability" / "EntryPoints"
  it.each([
    ["tls", {}],
    ["observability", { accessLogs: false }],
    ["entryPoints", ["web"]],
  ])("a child with %s", (key, value) => {
    const errors = errorsOf(routers({ p: { rule: "Path(`/`)" }, c: { rule: "Path(`/`)", service: "svc", parentRefs: ["p"], [key]: value } }));
    expect(errors).toEqual([{ path: `http.routers.c.${key}`, message: expect.stringContaining(`a child router (it has parentRefs) cannot have ${key}`) }]);
  });

  // traefik TestManager_ComputeMultiLayerRouting "Router creating a cycle is a dead-end and should be disabled" (A->B->C->D->B)
  it("a cycle below a root, reported at the parentRefs entry that closes it, in Traefik's words", () => {
    const errors = errorsOf(
      routers({
        A: { rule: "Path(`/`)" },
        B: { rule: "Path(`/`)", parentRefs: ["A", "D"] },
        C: { rule: "Path(`/`)", parentRefs: ["B"] },
        D: { rule: "Path(`/`)", parentRefs: ["C"] },
        E: { rule: "Path(`/`)", service: "svc", parentRefs: ["D"] },
      }),
    );
    expect(errors).toEqual([{ path: "http.routers.B.parentRefs[1]", message: expect.stringContaining("cyclic reference detected in router tree: B -> C -> D -> B") }]);
  });

  // traefik TestManager_ComputeMultiLayerRouting "Router is not reachable" (A->B->A, no root)
  it("a cycle with no root, and a router that is its own parent", () => {
    const errors = errorsOf(
      routers({
        A: { rule: "Path(`/`)", parentRefs: ["B"] },
        B: { rule: "Path(`/`)", parentRefs: ["A"] },
        S: { rule: "Path(`/`)", service: "svc", parentRefs: ["S"] },
      }),
    );
    expect(errors).toEqual([
      { path: "http.routers.S.service", message: expect.stringContaining("router has both a service and is referenced as a parent") },
      { path: "http.routers.A.parentRefs[0]", message: expect.stringContaining("cyclic reference detected in router tree: A -> B -> A") },
      { path: "http.routers.S.parentRefs[0]", message: expect.stringContaining("cyclic reference detected in router tree: S -> S") },
    ]);
  });

  it(`a tree deeper than ${MAX_ROUTER_DEPTH} levels`, () => {
    const r: Record<string, unknown> = { l1: { rule: "Path(`/`)" } };
    const deepest = MAX_ROUTER_DEPTH + 5;
    for (let i = 2; i <= deepest; i++) r[`l${i}`] = { rule: "Path(`/`)", parentRefs: [`l${i - 1}`], ...(i === deepest ? { service: "svc" } : {}) };
    expect(errorsOf(routers(r))).toEqual([{ path: `http.routers.l${MAX_ROUTER_DEPTH + 1}.parentRefs`, message: expect.stringContaining(`more than ${MAX_ROUTER_DEPTH} levels deep`) }]);
  });

  it("a long chain (10,000 routers) is checked without recursion", () => {
    const r: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) r[`c${i}`] = { rule: "Path(`/`)", parentRefs: [`c${(i + 1) % 10_000}`] };
    const errors = errorsOf(routers(r));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain("cyclic reference detected in router tree: c0 -> ");
  });
});
