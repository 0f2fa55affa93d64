// The routes of one host (or host ending, or of no host at all) by literal path prefix.

import type { CompiledRule, RequestView } from "../types.ts";
import type { Candidates, Ranks } from "./candidates.ts";

/** Radix node over path characters: prefixes may end mid-segment, as PathPrefix(`/api/v`) does. */
interface RadixNode {
  readonly label: string;
  readonly ranks: Ranks | null;
  /** Children by the char code of their label's first character (an array: paths are mostly ASCII). */
  readonly next: readonly (RadixNode | undefined)[] | null;
}

/** Up to this many distinct prefixes, a bucket tests them one by one: cheaper than a tree walk. */
const LINEAR_MAX = 4;

export class Bucket {
  private anyPath: Ranks | null = null;
  private prefixes: string[] = [];
  private lists: Ranks[] = [];
  private radix: RadixNode | null = null;
  /** While building: where each prefix is in `prefixes` (the fallback bucket may hold thousands). */
  private positions: Map<string, number> | null = new Map();

  add(rank: number, prefixes: readonly string[] | null | undefined): void {
    if (prefixes == null) {
      (this.anyPath ??= []).push(rank);
      return;
    }
    const positions = this.positions!;
    for (let k = 0; k < prefixes.length; k++) {
      const p = prefixes[k]!;
      const i = positions.get(p);
      if (i === undefined) {
        positions.set(p, this.prefixes.length);
        this.prefixes.push(p);
        this.lists.push([rank]);
      } else if (this.lists[i]!.at(-1) !== rank) {
        this.lists[i]!.push(rank);
      }
    }
  }

  seal(): void {
    const positions = this.positions!;
    this.positions = null;
    if (this.prefixes.length <= LINEAR_MAX) return;
    // A sort without a comparator orders strings by UTF-16 code units, as `<` does, natively.
    const sorted = [...this.prefixes].sort();
    this.radix = radix(sorted.map((p) => [p, this.lists[positions.get(p)!]!] as const), 0, sorted.length, 0, "");
    this.prefixes = [];
    this.lists = [];
  }

  /** Adds the lists of routes whose path prefix the request's path starts with. */
  collect(view: RequestView, out: Candidates): void {
    if (this.anyPath !== null) out.add(this.anyPath);
    if (this.radix !== null) return collectRadix(this.radix, view.path, out);
    const prefixes = this.prefixes;
    if (prefixes.length === 0) return;
    const path = view.path;
    for (let i = 0; i < prefixes.length; i++) if (path.startsWith(prefixes[i]!)) out.add(this.lists[i]!);
  }
}

/**
 * Builds a radix tree from `sorted[from, to)`, prefixes sorted lexically that all share their first
 * `depth` characters (index ranges, not copies of the list, at every level).
 */
function radix(sorted: readonly (readonly [string, Ranks])[], from: number, to: number, depth: number, label: string): RadixNode {
  let ranks: Ranks | null = null;
  let i = from;
  if (sorted[i]![0].length === depth) ranks = sorted[i++]![1];
  const next: (RadixNode | undefined)[] = [];
  while (i < to) {
    const c = sorted[i]![0].charCodeAt(depth);
    let j = i + 1;
    while (j < to && sorted[j]![0].charCodeAt(depth) === c) j++;
    // The group's common prefix beyond `depth` becomes the child's label.
    const first = sorted[i]![0];
    const last = sorted[j - 1]![0];
    let end = depth + 1;
    while (end < first.length && end < last.length && first.charCodeAt(end) === last.charCodeAt(end)) end++;
    next[c] = radix(sorted, i, j, end, first.slice(depth, end));
    i = j;
  }
  return { label, ranks, next: next.length > 0 ? next : null };
}

function collectRadix(root: RadixNode, path: string, out: Candidates): void {
  let node = root;
  for (let pos = 0; ; ) {
    if (node.ranks !== null) out.add(node.ranks);
    const child = node.next?.[path.charCodeAt(pos)];
    if (child === undefined || !path.startsWith(child.label, pos)) return;
    pos += child.label.length;
    node = child;
  }
}

/** A host's routes: a plain list while few (trying each is cheapest), else a bucket indexed by path. */
export type HostRoutes = Ranks | Bucket;
export const SMALL = 8;

export function indexed(ranks: Ranks, rules: readonly CompiledRule[]): HostRoutes {
  if (ranks.length <= SMALL) return ranks;
  const b = new Bucket();
  for (const rank of ranks) b.add(rank, rules[rank]!.pathPrefixes);
  b.seal();
  return b;
}

export function collect(routes: HostRoutes | undefined, view: RequestView, out: Candidates): void {
  if (routes === undefined) return;
  if (routes instanceof Bucket) routes.collect(view, out);
  else out.add(routes);
}
