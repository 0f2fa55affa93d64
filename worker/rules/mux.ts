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
// and merges them, stopping at the first route whose rule matches.

import { hostKey } from "./compile.ts";
import type { Muxer, RequestView, Route } from "./types.ts";

export interface MuxerOptions {
  /** Provider names, most preferred first: breaks ties between routes of equal priority. */
  readonly providersPrecedence?: readonly string[];
}

interface Entry<H> {
  readonly rank: number;
  readonly route: Route<H>;
}

class Bucket<H> {
  readonly anyPath: Entry<H>[] = [];
  readonly byPrefix = new Map<string, Entry<H>[]>();
  lengths: readonly number[] = [];

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
    this.lengths = [...new Set([...this.byPrefix.keys()].map((p) => p.length))].sort((a, b) => a - b);
  }

  /** Appends the lists of routes that may match this request's path. */
  collect(view: RequestView, out: Entry<H>[][]): void {
    if (this.anyPath.length > 0) out.push(this.anyPath);
    if (this.lengths.length === 0) return;
    const path = view.path;
    for (const len of this.lengths) {
      if (len > path.length) break;
      const list = this.byPrefix.get(len === path.length ? path : path.slice(0, len));
      if (list) out.push(list);
    }
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

  const lists: Entry<H>[][] = [];
  const cursors: number[] = [];
  const match = (view: RequestView): Route<H> | null => {
    lists.length = 0;
    byHost.get(hostKey(view.host))?.collect(view, lists);
    fallback.collect(view, lists);
    return firstMatch(lists, cursors, view);
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
    .map(({ route }, rank) => ({ route, rank }));
}

/** K-way merge of lists sorted by rank; a route listed under two prefixes is tried once. */
function firstMatch<H>(lists: readonly Entry<H>[][], cursors: number[], view: RequestView): Route<H> | null {
  if (lists.length === 1) {
    for (const e of lists[0]!) if (e.route.rule.match(view)) return e.route;
    return null;
  }
  cursors.length = lists.length;
  cursors.fill(0);
  let last = -1;
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i < lists.length; i++) {
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
    if (e.route.rule.match(view)) return e.route;
  }
}
