// Routers → routes for the muxer. Shared by the snapshot compiler (handlers are services) and the
// CLI's explain (handlers are just the router's description).
import type { CompiledRules, DynamicConfig, RouterConfig } from "../config/index.ts";
import { compileRule, defaultPriority, type Route } from "../rules/index.ts";
import { routerIssue, type CompileIssue } from "./issues.ts";

/** Builds a router's handler, or pushes why it can't and returns null. */
export type HandlerFactory<H> = (name: string, router: RouterConfig, errors: CompileIssue[]) => H | null;

/** `compiled`: rules validation already compiled (by text), taken as they are. */
export function compileRoutes<H>(config: DynamicConfig, handlerFor: HandlerFactory<H>, errors: CompileIssue[], compiled?: CompiledRules): Route<H>[] {
  const routes: Route<H>[] = [];
  const routers = config.http?.routers ?? {};
  for (const name of Object.keys(routers)) {
    const router = routers[name]!;
    let rule = compiled?.get(router.rule);
    if (rule === undefined) {
      const result = compileRule(router.rule);
      if (!result.ok) {
        errors.push(routerIssue(name, "rule", result.error.message));
        continue;
      }
      rule = result.value;
    }
    const handler = handlerFor(name, router, errors);
    if (handler === null) continue;
    const priority = router.priority || defaultPriority(router.rule);
    routes.push({ name, rule, priority, handler });
  }
  return routes;
}
