// The muxer: Traefik's route order (order.ts), without trying every route.
//
// Index: routes are bucketed by exact host, by host ending, or else in one fallback bucket
// (hosts.ts). Inside a big bucket, routes are indexed by literal path prefix (bucket.ts; a host with
// few routes just lists them: trying each is cheaper). A request collects the candidate lists of its
// host, of its host's endings, and of the fallback, each already in route order, and merges them,
// stopping at the first route whose rule matches (candidates.ts).

import type { CompiledRule, Muxer, MuxerOptions, RequestView, Route } from "../types.ts";
import { Bucket } from "./bucket.ts";
import { Candidates } from "./candidates.ts";
import { HostIndexBuilder, hostsOf } from "./hosts.ts";
import { routeOrder } from "./order.ts";


export function buildMuxer<H>(routes: readonly Route<H>[], options: MuxerOptions = {}): Muxer<H> {
  const order = routeOrder(routes, options);
  const sorted = new Array<Route<H>>(routes.length);
  const rules = new Array<CompiledRule>(routes.length);
  const builder = new HostIndexBuilder();
  const fallback = new Bucket();
  for (let rank = 0; rank < routes.length; rank++) {
    const route = (sorted[rank] = routes[order[rank]!]!);
    const rule = (rules[rank] = route.rule);
    // Read in line: a call per route costs more than the rest in code not yet optimized.
    const facts = rule.hostIndex;
    const index = facts === undefined ? hostsOf(rule) : facts;
    if (index === null) {
      fallback.add(rank, rule.pathPrefixes);
      continue;
    }
    if (typeof index === "string") {
      builder.addHost(index, rank);
      continue;
    }
    const { exact, suffixes } = index;
    for (let i = 0; i < exact.length; i++) builder.addHost(exact[i]!, rank);
    for (let i = 0; i < suffixes.length; i++) builder.addSuffix(suffixes[i]!, rank);
  }
  fallback.seal();
  const hosts = builder.build(rules);

  const candidates = new Candidates();
  const match = (view: RequestView): Route<H> | null => {
    candidates.reset();
    if (hosts !== null) hosts.collect(view, candidates);
    fallback.collect(view, candidates);
    const rank = candidates.firstMatch(rules, view);
    return rank < 0 ? null : sorted[rank]!;
  };
  return Object.freeze({ match, size: routes.length, routes: sorted, firstRoutes: (limit: number) => sorted.slice(0, Math.max(0, limit)) });
}
