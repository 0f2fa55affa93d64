// Traefik's default router priority (pkg/muxer/http GetRulePriority): the length of the rule in
// bytes, minus 2 for each positive Host(`**.…`) so that a double wildcard ranks below the single
// wildcard and exact hosts it covers. A rule that does not compile gets its plain length.

import { compileRule, positiveHostsOf } from "./compile.ts";

const DOUBLE_WILDCARD = "**.";

export function defaultPriority(rule: string): number {
  const length = utf8Length(rule);
  if (!rule.includes(DOUBLE_WILDCARD)) return length;
  const compiled = compileRule(rule);
  if (!compiled.ok) return length;
  const penalty = positiveHostsOf(compiled.value).filter((h) => h.startsWith(DOUBLE_WILDCARD)).length;
  return length - penalty * (DOUBLE_WILDCARD.length - 1);
}

const ASCII = /^[\x00-\x7f]*$/;

/** Go's len(): UTF-8 bytes, not UTF-16 units. */
function utf8Length(s: string): number {
  // Rules are ASCII nearly always: one native check instead of a loop per character, since every
  // router without an explicit priority pays this when a config loads.
  if (ASCII.test(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4; // a surrogate pair
      i++;
    } else n += 3;
  }
  return n;
}
