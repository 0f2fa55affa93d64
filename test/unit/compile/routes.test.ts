// compileRoutes with parentRefs: roots only at the top, each parent carrying a muxer of its
// children, each router built once (Traefik caches router handlers by name).
import { describe, expect, it } from "vitest";
import { compileRoutes } from "../../../worker/compile/routes.ts";
import type { CompileIssue } from "../../../worker/compile/issues.ts";
import type { DynamicConfig } from "../../../worker/config/index.ts";
import { viewFromDescription } from "../../../worker/rules/index.ts";

function compile(routers: NonNullable<DynamicConfig["http"]>["routers"]) {
  const errors: CompileIssue[] = [];
  const built: string[] = [];
  const routes = compileRoutes({ http: { routers } }, (name, _r, _e, children) => (built.push(name), { name, children: children?.size ?? 0 }), errors);
  return { routes, errors, built };
}

describe("compileRoutes: router tree", () => {
  it("only roots are top routes; a parent's handler is made with its children's muxer", () => {
    const { routes, built } = compile({
      p1: { rule: "Host(`a.com`)" },
      p2: { rule: "Host(`b.com`)" },
      shared: { rule: "PathPrefix(`/`)", service: "s", parentRefs: ["p1", "p2@file", "p1"] },
      solo: { rule: "Path(`/x`)", service: "s", parentRefs: [] },
    });
    expect(routes.map((r) => r.name).sort()).toEqual(["p1", "p2", "solo"]);
    expect(built.filter((n) => n === "shared")).toHaveLength(1);
    const [p1, p2] = [routes.find((r) => r.name === "p1")!, routes.find((r) => r.name === "p2")!];
    expect(p1.handler.children).toBe(1);
    const view = viewFromDescription({ method: "GET", url: "https://a.com/y" });
    expect(p1.children!.match(view)).toBe(p2.children!.match(view));
    expect(routes.find((r) => r.name === "solo")!.children).toBeUndefined();
  });

  it("a cycle that skipped validation is an error, not a stack overflow", () => {
    const { routes, errors } = compile({
      root: { rule: "Path(`/`)" },
      a: { rule: "Path(`/`)", parentRefs: ["root", "b"] },
      b: { rule: "Path(`/`)", parentRefs: ["a"] },
    });
    expect(routes).toEqual([]);
    expect(errors.map((e) => e.path)).toEqual(["http.routers.a.parentRefs"]);
  });
});
