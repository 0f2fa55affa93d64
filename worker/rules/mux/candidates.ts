// The candidate lists of one request, merged in route order until a rule matches.

import type { CompiledRule, RequestView } from "../types.ts";

/**
 * Routes are referred to by rank (their position in route order) in the index: lists of small
 * integers are compact, and merging candidate lists compares numbers.
 */
export type Ranks = number[];

/**
 * Each list is sorted by rank. Reused across requests (matching is synchronous): resetting a
 * counter is much cheaper than `array.length = 0`.
 */
export class Candidates {
  private readonly lists: Ranks[] = [];
  private readonly cursors: number[] = [];
  private n = 0;

  reset(): void {
    this.n = 0;
  }

  add(list: Ranks): void {
    this.lists[this.n] = list;
    this.cursors[this.n] = 0;
    this.n++;
  }

  /** K-way merge by rank, stopping at the first match (-1 if none); a route listed twice is tried once. */
  firstMatch(rules: readonly CompiledRule[], view: RequestView): number {
    const { lists, cursors, n } = this;
    if (n === 1) {
      const list = lists[0]!;
      for (let i = 0; i < list.length; i++) if (rules[list[i]!]!.match(view)) return list[i]!;
      return -1;
    }
    let last = -1;
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < n; i++) {
        const rank = lists[i]![cursors[i]!];
        if (rank !== undefined && rank < bestRank) {
          best = i;
          bestRank = rank;
        }
      }
      if (best < 0) return -1;
      cursors[best]!++;
      if (bestRank === last) continue;
      last = bestRank;
      if (rules[bestRank]!.match(view)) return bestRank;
    }
  }
}
