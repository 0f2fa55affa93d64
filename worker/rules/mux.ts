// The muxer: Traefik's route order, without trying every route.
//
// Order (Traefik v3 pkg/muxer/http/mux.go, routes.Less): higher priority first; on equal priority,
// the router whose provider comes first in providers.precedence (providersPrecedence here; the
// provider is the part of the route name after "@"). Beyond that Traefik has no order at all: its
// routers come out of a Go map and are sorted with the unstable sort.Sort. We keep the order routes
// were given in, so that equal routes resolve the same way on every isolate.
//
// Index: routes are bucketed by exact host (rule.hosts, trailing dots ignored), with one fallback
// bucket for rules that do not pin the host; inside a bucket, by literal path prefix. A request
// collects the candidate lists of its host's bucket and the fallback (each already in route order)
// and merges them, stopping at the first route whose rule matches. A bucket with many prefixes
// keeps them in a radix tree over characters (prefixes may end mid-segment, as PathPrefix(`/api/v`)
// does), so a lookup costs a few steps along the path whatever the number of routes.

import { hostKey } from "./compile.ts";
import type { Muxer, RequestView, Route } from "./types.ts";

export interface MuxerOptions {
  /** Provider names, most preferred first: breaks ties between routes of equal priority. */
  readonly providersPrecedence?: readonly string[];
}

interface Entry<H> {
  readonly rank: number;
  /** The rule's match, held here to spare two pointer hops per candidate. */
  readonly match: (view: RequestView) => boolean;
  readonly route: Route<H>;
}

/** Trie node while building: one node per character. */
interface TrieNode<H> {
  readonly next: Map<number, TrieNode<H>>;
  routes: Entry<H>[] | null;
}

/** Radix node used for lookups: single-child chains merged into one label. */
interface RadixNode<H> {
  readonly label: string;
  readonly routes: Entry<H>[] | null;
  readonly next: ReadonlyMap<number, RadixNode<H>> | null;
}

/** Up to this many distinct prefixes, a bucket tests them one by one: cheaper than a trie walk. */
const LINEAR_MAX = 4;

class Bucket<H> {
  readonly anyPath: Entry<H>[] = [];
  private readonly byPrefix = new Map<string, Entry<H>[]>();
  private linear: readonly (readonly [string, Entry<H>[]])[] = [];
  private radix: RadixNode<H> | null = null;

  add(entry: Entry<H>, prefixes: readonly string[] | null): void {
    if (prefixes === null) {
      this.anyPath.push(entry);
      return;
    }
    for (const p of new Set(prefixes)) {
      const list = this.byPrefix.get(p);
      if (list) list.push(entry);
      else this.byPrefix.set(p, [entry]);
    }
  }

  seal(): void {
    if (this.byPrefix.size <= LINEAR_MAX) {
      this.linear = [...this.byPrefix];
      return;
    }
    const root: TrieNode<H> = { next: new Map(), routes: null };
    for (const [prefix, routes] of this.byPrefix) {
      let node = root;
      for (let i = 0; i < prefix.length; i++) {
        const c = prefix.charCodeAt(i);
        let child = node.next.get(c);
        if (!child) node.next.set(c, (child = { next: new Map(), routes: null }));
        node = child;
      }
      node.routes = routes;
    }
    this.radix = compress(root, "");
  }

  /** Adds the lists of routes whose path prefix the request's path starts with. */
  collect(view: RequestView, out: Candidates<H>): void {
    if (this.anyPath.length > 0) out.add(this.anyPath);
    if (this.radix !== null) return collectRadix(this.radix, view.path, out);
    if (this.linear.length === 0) return;
    const path = view.path;
    for (const [prefix, routes] of this.linear) if (path.startsWith(prefix)) out.add(routes);
  }
}

function compress<H>(node: TrieNode<H>, label: string): RadixNode<H> {
  while (node.routes === null && node.next.size === 1) {
    const [c, child] = node.next.entries().next().value!;
    label += String.fromCharCode(c);
    node = child;
  }
  const next = new Map([...node.next].map(([c, child]) => [c, compress(child, String.fromCharCode(c))] as const));
  return { label, routes: node.routes, next: next.size > 0 ? next : null };
}

function collectRadix<H>(root: RadixNode<H>, path: string, out: Candidates<H>): void {
  if (!path.startsWith(root.label)) return;
  let node = root;
  for (let pos = root.label.length; ; ) {
    if (node.routes !== null) out.add(node.routes);
    const child = node.next?.get(path.charCodeAt(pos));
    if (child === undefined || !path.startsWith(child.label, pos)) return;
    pos += child.label.length;
    node = child;
  }
}

export function buildMuxer<H>(routes: readonly Route<H>[], options: MuxerOptions = {}): Muxer<H> {
  const entries = ordered(routes, options);
  const byHost = new Map<string, Bucket<H>>();
  const fallback = new Bucket<H>();
  for (const entry of entries) {
    const { hosts, pathPrefixes = null } = entry.route.rule;
    if (hosts === null) {
      fallback.add(entry, pathPrefixes);
      continue;
    }
    for (const key of new Set(hosts.map(hostKey))) {
      let bucket = byHost.get(key);
      if (!bucket) byHost.set(key, (bucket = new Bucket<H>()));
      bucket.add(entry, pathPrefixes);
    }
  }
  for (const bucket of [fallback, ...byHost.values()]) bucket.seal();

  const candidates = new Candidates<H>();
  const match = (view: RequestView): Route<H> | null => {
    candidates.reset();
    if (byHost.size > 0) byHost.get(hostKey(view.host))?.collect(view, candidates);
    fallback.collect(view, candidates);
    return candidates.firstMatch(view);
  };
  return Object.freeze({ match, size: routes.length });
}

function ordered<H>(routes: readonly Route<H>[], options: MuxerOptions): Entry<H>[] {
  // Traefik reverses the precedence list and prefers the higher index; absent providers get -1.
  const precedence = [...(options.providersPrecedence ?? [])].reverse();
  const providerPriority = (name: string) => {
    const at = name.lastIndexOf("@");
    return at < 0 ? -1 : precedence.indexOf(name.slice(at + 1));
  };
  return routes
    .map((route, index) => ({ route, index, provider: providerPriority(route.name) }))
    .sort((a, b) => b.route.priority - a.route.priority || b.provider - a.provider || a.index - b.index)
    .map(({ route }, rank) => ({ rank, match: route.rule.match.bind(route.rule), route }));
}

/**
 * The candidate lists of one request, each sorted by rank. Reused across requests (matching is
 * synchronous): resetting counters is much cheaper than `array.length = 0`.
 */
class Candidates<H> {
  private readonly lists: Entry<H>[][] = [];
  private readonly cursors: number[] = [];
  private n = 0;

  reset(): void {
    this.n = 0;
  }

  add(list: Entry<H>[]): void {
    this.lists[this.n] = list;
    this.cursors[this.n] = 0;
    this.n++;
  }

  /** K-way merge by rank, stopping at the first match; a route listed twice is tried once. */
  firstMatch(view: RequestView): Route<H> | null {
    const { lists, cursors, n } = this;
    if (n === 1) {
      for (const e of lists[0]!) if (e.match(view)) return e.route;
      return null;
    }
    let last = -1;
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < n; i++) {
        const e = lists[i]![cursors[i]!];
        if (e !== undefined && e.rank < bestRank) {
          best = i;
          bestRank = e.rank;
        }
      }
      if (best < 0) return null;
      const e = lists[best]![cursors[best]!++]!;
      if (e.rank === last) continue;
      last = e.rank;
      if (e.match(view)) return e.route;
    }
  }
}
