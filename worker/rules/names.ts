// Matcher names and the spellings Traefik accepts for them.

export const MATCHER_NAMES = [
  "Host",
  "HostRegexp",
  "Path",
  "PathPrefix",
  "PathRegexp",
  "Method",
  "Header",
  "HeaderRegexp",
  "Query",
  "QueryRegexp",
  "ClientIP",
] as const;

export type MatcherName = (typeof MATCHER_NAMES)[number];

// Traefik registers each matcher under four spellings only: as written, lower, UPPER and Title.
const title = (n: string): string => n[0]!.toUpperCase() + n.slice(1).toLowerCase();
export const spellings = (n: string): string[] => [n, n.toLowerCase(), n.toUpperCase(), title(n)];
export const SPELLINGS = new Map<string, MatcherName>(MATCHER_NAMES.flatMap((n) => spellings(n).map((s) => [s, n] as const)));

// The accepted spellings by length, so that an identifier is compared in place. Plain arrays and an
// indexed loop: this runs for every matcher of every rule, mostly in code not yet optimized.
const SPELLINGS_BY_LENGTH: string[][] = [];
const NAMES_BY_LENGTH: MatcherName[][] = [];
for (const [spelling, name] of SPELLINGS) {
  (SPELLINGS_BY_LENGTH[spelling.length] ??= []).push(spelling);
  (NAMES_BY_LENGTH[spelling.length] ??= []).push(name);
}

/** The matcher that the identifier src[start, end) names, if it is spelled in an accepted way. */
export function matcherAt(src: string, start: number, end: number): MatcherName | undefined {
  const candidates = SPELLINGS_BY_LENGTH[end - start];
  if (candidates === undefined) return undefined;
  for (let k = 0; k < candidates.length; k++) if (src.startsWith(candidates[k]!, start)) return NAMES_BY_LENGTH[end - start]![k];
  return undefined;
}
