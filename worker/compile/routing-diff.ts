// Which router a request reaches under one config and under another (issue 18): `switchyard plan`
// matches described requests against the live config and a candidate, and shadow evaluation
// (worker/dynamic/shadow.ts) matches a sample of real ones. Only the routing is compared: a
// table of routes whose handlers are nothing, built from the same routes.ts the snapshot uses, so
// priorities, rule syntax and parent routers are the snapshot's.
import type { CompiledRules, DynamicConfig } from "../config/index.ts";
import { buildMuxer, matchChain, type Muxer, type RequestView, type RuleSyntax } from "../rules/index.ts";
import type { CompileIssue } from "./issues.ts";
import { compileRoutes } from "./routes.ts";

export type RoutingTable = Muxer<true>;

/** The config's routes, for matching only. `rules`: the ones validation compiled (loadConfig's). */
export function routingTable(config: DynamicConfig, rules?: CompiledRules, defaultRuleSyntax: RuleSyntax = "v3"): RoutingTable {
  const errors: CompileIssue[] = [];
  return buildMuxer(compileRoutes<true>(config, () => true, errors, rules, defaultRuleSyntax));
}

/** The leaf router that serves the request, or null (404: nothing matched, or a parent's children did not). */
export function leafRouter(muxer: Muxer<unknown>, view: RequestView): string | null {
  const { chain, served } = matchChain(muxer, view);
  return served ? chain[chain.length - 1]!.name : null;
}

/** Where a request goes under each config; `null` router: 404. */
export interface RoutingMove {
  readonly from: string | null;
  readonly to: string | null;
}

/** The move, or null when both configs send the request to the same router (or both to 404). */
export function routingMove(live: Muxer<unknown>, candidate: Muxer<unknown>, view: RequestView): RoutingMove | null {
  const from = leafRouter(live, view);
  const to = leafRouter(candidate, view);
  return from === to ? null : { from, to };
}
