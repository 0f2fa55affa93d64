// Routers → routes for the muxer. Shared by the snapshot compiler (handlers are services) and the
// CLI's explain (handlers are just the router's description).
import { effectiveRuleSyntax, ruleKey, type CompiledRules, type DynamicConfig, type RouterConfig } from "../config/index.ts";
import { compileRule, defaultPriority, type Route, type RuleSyntax } from "../rules/index.ts";
import { routerIssue, type CompileIssue } from "./issues.ts";

/** Builds a router's handler, or pushes why it can't and returns null. */
export type HandlerFactory<H> = (name: string, router: RouterConfig, errors: CompileIssue[]) => H | null;

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
  const routes: Route<H>[] = [];
  const routers = config.http?.routers ?? {};
  for (const name of Object.keys(routers)) {
    const router = routers[name]!;
    const syntax = effectiveRuleSyntax(router.ruleSyntax, defaultRuleSyntax);
    if (syntax === null) {
      errors.push(routerIssue(name, "ruleSyntax", `unknown ruleSyntax ${JSON.stringify(router.ruleSyntax)}: expected "v3" or "v2"`));
      continue;
    }
    let rule = compiled?.get(ruleKey(router.rule, syntax));
    if (rule === undefined) {
      const result = compileRule(router.rule, syntax);
      if (!result.ok) {
        errors.push(routerIssue(name, "rule", result.error.message));
        continue;
      }
      rule = result.value;
    }
    const handler = handlerFor(name, router, errors);
    if (handler === null) continue;
    const priority = router.priority || defaultPriority(router.rule, syntax);
    routes.push({ name, rule, priority, handler });
  }
  return routes;
}
