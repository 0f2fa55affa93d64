// Multi-layer routing seen from outside the request path (explain): the routes a request goes
// through, root first, down to the leaf that serves it or to the muxer where no child matched.
import type { Muxer, RequestView, Route } from "./types.ts";

export interface ChainMatch<H> {
  /** The matched routes, root first: parents, then the leaf when `served`. */
  readonly chain: readonly Route<H>[];
  /** A leaf matched (false: no root matched, or a parent matched and none of its children: 404). */
  readonly served: boolean;
  /** Where nothing matched: the top muxer or a parent's children; null when served. */
  readonly missedIn: Muxer<H> | null;
}

/**
 * Matches every level against the same `view`: a caller that does not run the parents'
 * middlewares (explain) sees the children as they would match an unchanged request.
 */
export function matchChain<H>(muxer: Muxer<H>, view: RequestView): ChainMatch<H> {
  const chain: Route<H>[] = [];
  let at: Muxer<H> = muxer;
  // Bounded: validation caps the tree's depth and refuses cycles; the bound guards anything else.
  for (let level = 0; level < 1000; level++) {
    const route = at.match(view);
    if (route === null) return { chain, served: false, missedIn: at };
    chain.push(route);
    if (route.children === undefined) return { chain, served: true, missedIn: null };
    at = route.children;
  }
  return { chain, served: false, missedIn: at };
}
