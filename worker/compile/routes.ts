// Routers → routes for the muxer. Shared by the snapshot compiler (handlers are services) and the
// CLI's explain (handlers are just the router's description).
//
// Multi-layer routing (Traefik v3.6, pkg/server/router/router.go): only root routers (no
// parentRefs) are routes of the top muxer. A parent's route carries a muxer of its children, built
// once here, and its handler is made with it; a child with several parents is built once and
// shared, as Traefik caches each router's handler by name.
import { effectiveRuleSyntax, localName, ownValue, ruleKey, type CompiledRules, type DynamicConfig, type RouterConfig } from "../config/index.ts";
import { buildMuxer, compileRule, defaultPriority, type CompiledRule, type Muxer, type Route, type RuleSyntax } from "../rules/index.ts";
import { routerIssue, type CompileIssue } from "./issues.ts";

/**
 * Builds a router's handler, or pushes why it can't and returns null. `children`: a parent
 * router's child routes (its handler matches among them after its middlewares); null on a leaf.
 */
export type HandlerFactory<H> = (name: string, router: RouterConfig, errors: CompileIssue[], children: Muxer<H> | null) => H | null;

type Routers = Readonly<Record<string, RouterConfig>>;

/** Child names by parent name, in config order; empty when no router has parentRefs (the common case). */
export function childrenByParent(routers: Routers): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const name of Object.keys(routers)) {
    const refs = routers[name]!.parentRefs;
    if (refs === undefined || refs.length === 0) continue;
    for (const parent of new Set(refs.map(localName))) (children.get(parent) ?? children.set(parent, []).get(parent)!).push(name);
  }
  return children;
}

/**
 * `compiled`: rules validation already compiled (by ruleKey), taken as they are.
 * `defaultRuleSyntax`: the syntax of routers without ruleSyntax; validation's must be the same.
 */
export function compileRoutes<H>(
  config: DynamicConfig,
  handlerFor: HandlerFactory<H>,
  errors: CompileIssue[],
  compiled?: CompiledRules,
  defaultRuleSyntax: RuleSyntax = "v3",
): Route<H>[] {
  const routers: Routers = config.http?.routers ?? {};
  const build = routeBuilder(config, handlerFor, errors, compiled, defaultRuleSyntax);
  const routes: Route<H>[] = [];
  for (const name of Object.keys(routers)) {
    const refs = routers[name]!.parentRefs;
    if (refs !== undefined && refs.length > 0) continue; // reached through its parents
    const route = build(name);
    if (route !== null) routes.push(route);
  }
  return routes;
}

/**
 * One router's route, built on demand (a parent's with its children's muxer), each at most once:
 * compileRoutes builds every root with it; a snapshot loaded from facts builds a root when a
 * request first reaches it (snapshot.ts). Problems go to `errors`; the route is then null.
 * `tree`: childrenByParent of the routers, when known (load facts carry it: finding it walks every
 * router); else found on the first build.
 */
export function routeBuilder<H>(
  config: DynamicConfig,
  handlerFor: HandlerFactory<H>,
  errors: CompileIssue[],
  compiled?: CompiledRules,
  defaultRuleSyntax: RuleSyntax = "v3",
  tree?: ReadonlyMap<string, readonly string[]>,
): (name: string) => Route<H> | null {
  const routers: Routers = config.http?.routers ?? {};
  let children: ReadonlyMap<string, readonly string[]> | null = tree ?? null;
  // Per router: its route, null when it failed, "building" while its children are built (a cycle
  // validation refused would find itself here).
  const built = new Map<string, Route<H> | null | "building">();
  const ruleOf = (name: string, router: RouterConfig, syntax: RuleSyntax): CompiledRule | null => {
    const known = compiled?.get(ruleKey(router.rule, syntax));
    if (known !== undefined) return known;
    const result = compileRule(router.rule, syntax);
    if (result.ok) return result.value;
    errors.push(routerIssue(name, "rule", result.error.message));
    return null;
  };
  const build = (name: string): Route<H> | null => {
    const done = built.get(name);
    if (done === "building") {
      errors.push(routerIssue(name, "parentRefs", "cyclic reference detected in router tree"));
      return null;
    }
    if (done !== undefined) return done;
    built.set(name, "building");
    const route = buildOne(name);
    built.set(name, route);
    return route;
  };
  const buildOne = (name: string): Route<H> | null => {
    const router = ownValue(routers, name);
    if (router === undefined) {
      errors.push(routerIssue(name, "rule", `no router named ${JSON.stringify(name)}`));
      return null;
    }
    const syntax = effectiveRuleSyntax(router.ruleSyntax, defaultRuleSyntax);
    if (syntax === null) {
      errors.push(routerIssue(name, "ruleSyntax", `unknown ruleSyntax ${JSON.stringify(router.ruleSyntax)}: expected "v3" or "v2"`));
      return null;
    }
    const rule = ruleOf(name, router, syntax);
    const kids = (children ??= childrenByParent(routers)).get(name);
    let muxer: Muxer<H> | null = null;
    if (kids !== undefined) {
      const routes = kids.map(build);
      if (routes.some((r) => r === null)) return null;
      muxer = buildMuxer(routes as Route<H>[]);
    }
    if (rule === null) return null;
    const handler = handlerFor(name, router, errors, muxer);
    if (handler === null) return null;
    const priority = router.priority || defaultPriority(router.rule, syntax);
    return muxer === null ? { name, rule, priority, handler } : { name, rule, priority, handler, children: muxer };
  };
  return build;
}
