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

// The accepted spellings by length, so that an identifier is compared in place, the spellings as
// documented first, each with its first char code. Plain arrays and an indexed loop: this runs for
// every matcher of every rule, mostly in code not yet optimized.
const SPELLINGS_BY_LENGTH: string[][] = [];
const NAMES_BY_LENGTH: MatcherName[][] = [];
const FIRST_BY_LENGTH: number[][] = [];
for (let variant = 0; variant < 4; variant++) {
  for (const name of MATCHER_NAMES) {
    const spelling = spellings(name)[variant]!;
    const list = (SPELLINGS_BY_LENGTH[spelling.length] ??= []);
    if (list.includes(spelling)) continue;
    list.push(spelling);
    (NAMES_BY_LENGTH[spelling.length] ??= []).push(name);
    (FIRST_BY_LENGTH[spelling.length] ??= []).push(spelling.charCodeAt(0));
  }
}

/** The matcher that the identifier src[start, end) names, if it is spelled in an accepted way. */
export function matcherAt(src: string, start: number, end: number): MatcherName | undefined {
  const length = end - start;
  const candidates = SPELLINGS_BY_LENGTH[length];
  if (candidates === undefined) return undefined;
  const first = src.charCodeAt(start);
  const firsts = FIRST_BY_LENGTH[length]!;
  for (let k = 0; k < candidates.length; k++) {
    if (firsts[k] === first && src.startsWith(candidates[k]!, start)) return NAMES_BY_LENGTH[length]![k];
  }
  return undefined;
}
