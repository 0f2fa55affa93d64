import { compileRule, type CompiledRule } from "../../../worker/rules/index.ts";

/** A rule that must compile (the test's own rules are valid: a failure names the rule). */
export function rule(src: string): CompiledRule {
  const r = compileRule(src);
  if (!r.ok) throw new Error(`${src}: ${r.error.message}`);
  return r.value;
}
