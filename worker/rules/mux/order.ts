// Traefik's route order (v3 pkg/muxer/http/mux.go, routes.Less): higher priority first; on equal
// priority, the router whose provider comes first in providers.precedence (the provider is the part
// of the route name after the last "@"). Beyond that Traefik has no order at all: its routers come
// out of a Go map and are sorted with the unstable sort.Sort. We keep the order routes were given
// in, so that equal routes resolve the same way on every isolate.

import type { MuxerOptions, Route } from "../types.ts";

/** The positions of `routes` in route order. */
export function routeOrder<H>(routes: readonly Route<H>[], options: MuxerOptions): ArrayLike<number> {
  const n = routes.length;
  const precedence = options.providersPrecedence ?? [];
  const provider = precedence.length === 0 ? null : providerRanks(routes, precedence);
  const providers = precedence.length + 1;
  // Each route's sort key (priority descending, then provider, then position) packed into one
  // Int32 in one pass: a sort without a comparator then runs natively, and the position is the key
  // modulo n. Int32, as loads from an Int32Array stay small integers where floats are boxed in
  // code not yet optimized. It packs integer priorities up to ±200,000 at 10,000 routes; any other
  // priority takes the comparator. (For 10,000 routes: ~1 ms, against ~10 ms of comparator calls
  // in code not yet optimized; a config loads once per isolate, so its code always runs cold.)
  const limit = Math.floor(0x7fffffff / (providers * n)) - 1;
  const keys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = routes[i]!.priority;
    if (!(p <= limit && p >= -limit && p % 1 === 0)) return comparedOrder(routes, provider);
    // The provider term is 0 for the most preferred provider, providers - 1 for none.
    const term = provider === null ? 0 : providers - 2 - provider[i]!;
    keys[i] = (term - p * providers) * n + i;
  }
  keys.sort();
  for (let k = 0; k < n; k++) {
    const r = keys[k]! % n; // the sign of the key: -(n - position) for a negative one
    keys[k] = r < 0 ? r + n : r;
  }
  return keys;
}

/**
 * Each route's provider as Traefik ranks it: Traefik reverses the precedence list and prefers the
 * higher index; a provider not in the list gets -1.
 */
function providerRanks<H>(routes: readonly Route<H>[], precedence: readonly string[]): Int32Array {
  const reversed = [...precedence].reverse();
  const ranks = new Int32Array(routes.length).fill(-1);
  routes.forEach((r, i) => {
    const at = r.name.lastIndexOf("@");
    if (at >= 0) ranks[i] = reversed.indexOf(r.name.slice(at + 1));
  });
  return ranks;
}

function comparedOrder<H>(routes: readonly Route<H>[], provider: Int32Array | null): number[] {
  const order = Array.from({ length: routes.length }, (_, i) => i);
  const rank = (i: number) => (provider === null ? -1 : provider[i]!);
  return order.sort((a, b) => routes[b]!.priority - routes[a]!.priority || rank(b) - rank(a) || a - b);
}
