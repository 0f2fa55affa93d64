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
  return graph;
}

export function checkCycles(ctx: CheckContext): void {
  for (const cycle of findCycles(graphOf(ctx, "middlewares"))) {
    const [first = ""] = cycle;
    ctx.issues.error(["http", "middlewares", first, "chain", "middlewares"], `chain cycle: ${cycle.join(" -> ")}; a chain cannot include itself, directly or through other chains`);
  }
  for (const cycle of findCycles(graphOf(ctx, "services"))) {
    const [first = ""] = cycle;
    ctx.issues.error(["http", "services", first], `service cycle: ${cycle.join(" -> ")}; a service cannot reach itself through weighted, mirroring, failover or highestRandomWeight`);
  }
}
