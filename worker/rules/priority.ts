// Traefik's default router priority (pkg/muxer/http GetRulePriority): the length of the rule in
// bytes, minus 2 for each positive Host(`**.…`) so that a double wildcard ranks below the single
// wildcard and exact hosts it covers. A rule that does not compile gets its plain length.

import { compileRule, positiveHostsOf } from "./compile.ts";
import { utf8Length } from "../go/utf8.ts";
import type { RuleSyntax } from "./types.ts";

const DOUBLE_WILDCARD = "**.";

/** v2 rules have no wildcard hosts: their priority is their length alone. */
export function defaultPriority(rule: string, syntax: RuleSyntax = "v3"): number {
  const length = utf8Length(rule);
  if (syntax === "v2" || !rule.includes(DOUBLE_WILDCARD)) return length;
  const compiled = compileRule(rule);
  if (!compiled.ok) return length;
  const penalty = positiveHostsOf(compiled.value).filter((h) => h.startsWith(DOUBLE_WILDCARD)).length;
  return length - penalty * (DOUBLE_WILDCARD.length - 1);
}
