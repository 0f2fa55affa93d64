// Leaves (matcher calls) are shared between rules: configs repeat PathPrefix(`/api`),
// Method(`POST`)… thousands of times. A shared leaf carries the offsets of the rule that built it,
// so explain() parses without sharing. Leaves are immutable once built (HostRegexp's lazily learnt
// flag and the index facts are the same for every user).

import { buildLeaf } from "./matchers.ts";
import type { MatcherName } from "./names.ts";
import type { Node } from "./node.ts";

/**
 * The arguments of the call being parsed (parsing is synchronous): no arrays per matcher call
 * unless a matcher has to be built.
 */
export const ARGS: string[] = [];
export const ARG_POSITIONS: number[] = [];

// By matcher, then by first argument, then (two arguments) by second: no key string to build.
let leaves1 = new Map<MatcherName, Map<string, Node>>();
let leaves2 = new Map<MatcherName, Map<string, Map<string, Node>>>();
let leafCount = 0;
const LEAVES_MAX = 50_000;

/** The leaf for `name` with the `n` arguments in ARGS, from the call at src[pos, end). */
export function leafFor(name: MatcherName, n: number, pos: number, end: number, share: boolean): Node {
  const cached = share && n > 0 ? cachedLeaf(name, n) : undefined;
  if (cached !== undefined) return cached;
  // Factories read the arguments and keep none of the arrays: no copies (a config builds
  // thousands of leaves). Truncating is safe: parsers fill ARGS from index 0 on every call.
  if (ARGS.length !== n) {
    ARGS.length = n;
    ARG_POSITIONS.length = n;
  }
  const leaf = buildLeaf(name, ARGS, ARG_POSITIONS, pos, end);
  if (share && n > 0) cacheLeaf(name, ARGS, leaf);
  return leaf;
}

function cachedLeaf(name: MatcherName, n: number): Node | undefined {
  if (n === 1) return leaves1.get(name)?.get(ARGS[0]!);
  return n === 2 ? leaves2.get(name)?.get(ARGS[0]!)?.get(ARGS[1]!) : undefined;
}

function cacheLeaf(name: MatcherName, values: readonly string[], leaf: Node): void {
  if (++leafCount > LEAVES_MAX) [leaves1, leaves2, leafCount] = [new Map(), new Map(), 1];
  if (values.length === 1) {
    let byValue = leaves1.get(name);
    if (byValue === undefined) leaves1.set(name, (byValue = new Map()));
    byValue.set(values[0]!, leaf);
  } else if (values.length === 2) {
    let byFirst = leaves2.get(name);
    if (byFirst === undefined) leaves2.set(name, (byFirst = new Map()));
    let bySecond = byFirst.get(values[0]!);
    if (bySecond === undefined) byFirst.set(values[0]!, (bySecond = new Map()));
    bySecond.set(values[1]!, leaf);
  }
}
