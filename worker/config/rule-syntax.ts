// Which rule syntax a router's rule is read in: its own ruleSyntax, else the deployment's default
// (Traefik's core.defaultRuleSyntax; the Worker's DEFAULT_RULE_SYNTAX variable, the CLI's
// --default-rule-syntax), else v3. Validation and compilation must agree, so both ask here.
import type { Result } from "../go/result.ts";
import type { RuleSyntax } from "../rules/index.ts";

export const RULE_SYNTAXES: readonly RuleSyntax[] = ["v3", "v2"];

const isSyntax = (s: string): s is RuleSyntax => (RULE_SYNTAXES as readonly string[]).includes(s);

/** The setting's value: absent or "" is v3; anything but v2 or v3 is refused, as Traefik's static config does. */
export function parseDefaultRuleSyntax(value: string | undefined, name = "DEFAULT_RULE_SYNTAX"): Result<RuleSyntax, string> {
  if (value === undefined || value === "") return { ok: true, value: "v3" };
  if (isSyntax(value)) return { ok: true, value };
  return { ok: false, error: `unsupported ${name} ${JSON.stringify(value)}: expected "v3" (the default) or "v2"` };
}

/** A router's effective syntax; null for a ruleSyntax value that is neither v2 nor v3 ("" is unset, as in Traefik). */
export function effectiveRuleSyntax(ruleSyntax: string | undefined, defaultSyntax: RuleSyntax): RuleSyntax | null {
  if (ruleSyntax === undefined || ruleSyntax === "") return defaultSyntax;
  return isSyntax(ruleSyntax) ? ruleSyntax : null;
}

/** The key validation stores a compiled rule under (CompiledRules): the text, marked when read as v2. */
export function ruleKey(rule: string, syntax: RuleSyntax): string {
  return syntax === "v3" ? rule : `v2\u0000${rule}`;
}
