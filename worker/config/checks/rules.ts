// Router rules: ruleSyntax v2 or v3 (or the default), and each rule must compile in its syntax.
import { compileRule, type CompiledRule, type RuleSyntax } from "../../rules/index.ts";
import { effectiveRuleSyntax, ruleKey } from "../rule-syntax.ts";
import type { CheckContext } from "./context.ts";
import { entries } from "./context.ts";

function compileProblem(rule: string, syntax: RuleSyntax, rules: Map<string, CompiledRule>): { position: number; message: string } | null {
  try {
    const compiled = compileRule(rule, syntax);
    if (!compiled.ok) return compiled.error;
    rules.set(ruleKey(rule, syntax), compiled.value);
    return null;
  } catch (e) {
    return { position: 0, message: e instanceof Error ? e.message : String(e) };
  }
}

export function checkRules(ctx: CheckContext): void {
  for (const [name, router] of entries(ctx, "routers")) {
    const syntax = effectiveRuleSyntax(router.ruleSyntax, ctx.defaultRuleSyntax);
    if (syntax === null) {
      ctx.issues.error(["http", "routers", name, "ruleSyntax"], `unknown ruleSyntax ${JSON.stringify(router.ruleSyntax)}: expected "v3" or "v2" (or leave it out for the default, ${ctx.defaultRuleSyntax})`);
      continue;
    }
    const problem = compileProblem(router.rule, syntax, ctx.rules);
    if (problem) {
      const as = syntax === "v2" ? " (ruleSyntax v2)" : "";
      ctx.issues.error(["http", "routers", name, "rule"], `invalid rule${as} at position ${problem.position}: ${problem.message}`);
    }
  }
}
