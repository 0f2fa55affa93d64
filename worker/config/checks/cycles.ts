// Chains that include themselves and services that reach themselves would recurse forever.
import type { Graph } from "../graph.ts";
import { findCycles } from "../graph.ts";
import { resolveRef } from "../references.ts";
import type { CheckContext } from "./context.ts";
import { referenceSites } from "./sites.ts";

/** Edges between entities of one section, through references of one kind. */
function graphOf(ctx: CheckContext, section: "services" | "middlewares"): Graph {
  const kind = section === "services" ? "service" : "middleware";
  const graph = new Map<string, string[]>();
  for (const name of Object.keys(ctx.config.http?.[section] ?? {})) graph.set(name, []);
  for (const site of referenceSites(ctx.config)) {
    if (site.section !== section || site.kind !== kind) continue;
    const resolved = resolveRef(site.ref, kind);
    if (resolved.kind === "local") graph.get(site.name)?.push(resolved.name);
  }
  if (section === "services") addMiddlewareCalls(ctx, graph);
  return graph;
}

/** A service's own middlewares run inside it: a service an errors middleware there calls is reached too. */
function addMiddlewareCalls(ctx: CheckContext, graph: Map<string, string[]>): void {
  const middlewares = ctx.config.http?.middlewares ?? {};
  for (const [name, service] of Object.entries(ctx.config.http?.services ?? {})) {
    const seen = new Set<string>();
    const walk = (refs: readonly string[]): void => {
      for (const ref of refs) {
        const resolved = resolveRef(ref, "middleware");
        if (resolved.kind !== "local" || seen.has(resolved.name) || !Object.hasOwn(middlewares, resolved.name)) continue;
        seen.add(resolved.name);
        const middleware = middlewares[resolved.name];
        if (middleware?.chain) walk(middleware.chain.middlewares);
        const called = middleware?.errors ? resolveRef(middleware.errors.service, "service") : null;
        if (called?.kind === "local") graph.get(name)?.push(called.name);
      }
    };
    walk(service.middlewares ?? []);
  }
}

export function checkCycles(ctx: CheckContext): void {
  for (const cycle of findCycles(graphOf(ctx, "middlewares"))) {
    const [first = ""] = cycle;
    ctx.issues.error(["http", "middlewares", first, "chain", "middlewares"], `chain cycle: ${cycle.join(" -> ")}; a chain cannot include itself, directly or through other chains`);
  }
  for (const cycle of findCycles(graphOf(ctx, "services"))) {
    const [first = ""] = cycle;
    ctx.issues.error(["http", "services", first], `service cycle: ${cycle.join(" -> ")}; a service cannot reach itself through weighted, mirroring, failover, highestRandomWeight or its middlewares' errors service`);
  }
}
