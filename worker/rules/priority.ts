// Traefik's default router priority (pkg/muxer/http GetRulePriority): the length of the rule in
// bytes, minus 2 for each positive Host(`**.…`) so that a double wildcard ranks below the single
// wildcard and exact hosts it covers. A rule that does not parse gets its plain length.

import { positiveHostExprs } from "./compile.ts";
import { parseRule } from "./parser.ts";

const DOUBLE_WILDCARD = "**.";

export function defaultPriority(rule: string): number {
  // Go's len() counts UTF-8 bytes, not UTF-16 units.
  const length = new TextEncoder().encode(rule).length;
  const parsed = parseRule(rule);
  if (!parsed.ok) return length;
  const penalty = positiveHostExprs(parsed.value).filter((h) => h.startsWith(DOUBLE_WILDCARD)).length;
  return length - penalty * (DOUBLE_WILDCARD.length - 1);
}
