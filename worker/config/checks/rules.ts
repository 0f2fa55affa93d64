// Router rules: v3 syntax only, and each rule must compile.
import { compileRule, type CompiledRule } from "../../rules/index.ts";
import type { CheckContext } from "./context.ts";
import { entries } from "./context.ts";

const V2_MIGRATION =
  "ruleSyntax v2 is not supported: Switchyard implements the Traefik v3 rule syntax only. " +
  "Rewrite the rule in v3 syntax and remove ruleSyntax: one value per matcher (Host(`a`) || Host(`b`) instead of Host(`a`,`b`)), " +
  "Headers/HeadersRegexp become Header/HeaderRegexp, Query(`k=v`) becomes Query(`k`,`v`), " +
  "HostRegexp and PathRegexp take plain regular expressions instead of {name:regex} templates " +
  "(see Traefik's v2 to v3 migration guide)";

function checkSyntax(ctx: CheckContext, name: string, syntax: string | undefined): boolean {
  if (syntax === undefined || syntax === "v3") return true;
  const path = ["http", "routers", name, "ruleSyntax"];
  if (syntax === "v2") ctx.issues.error(path, V2_MIGRATION);
  else ctx.issues.error(path, `unknown ruleSyntax "${syntax}": the only supported value is "v3" (or leave it out)`);
  return false;
}

function compileProblem(rule: string, rules: Map<string, CompiledRule>): { position: number; message: string } | null {
  try {
    const compiled = compileRule(rule);
    if (!compiled.ok) return compiled.error;
    rules.set(rule, compiled.value);
    return null;
  } catch (e) {
    return { position: 0, message: e instanceof Error ? e.message : String(e) };
  }
}

export function checkRules(ctx: CheckContext): void {
  for (const [name, router] of entries(ctx, "routers")) {
    if (!checkSyntax(ctx, name, router.ruleSyntax)) continue;
    const problem = compileProblem(router.rule, ctx.rules);
    if (problem) {
      ctx.issues.error(["http", "routers", name, "rule"], `invalid rule at position ${problem.position}: ${problem.message}`);
    }
  }
}
