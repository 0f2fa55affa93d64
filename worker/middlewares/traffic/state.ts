// Per-isolate middleware state that outlives a config swap. Factories run on every compile, but a
// circuit breaker that tripped, or the requests counted in flight, must not be forgotten because an
// unrelated router changed: state is kept here, found again by (kind, router, middleware name,
// canonical options). Changed options mean a new middleware and fresh state, as in Traefik.
import { canonicalJSON } from "../../go/json.ts";

export interface Kept {
  /** True when dropping this state loses nothing: nothing in flight, and equivalent to fresh state. */
  disposable(now: number): boolean;
}

export interface StateKey {
  readonly kind: string;
  readonly router: string;
  readonly name: string;
  readonly options: unknown;
}

/**
 * Put the state back under its key. A state swept while still used by the live snapshot (a compile
 * that failed after the sweep, say) calls this when it stops being disposable, so the next compile
 * finds it, not a fresh copy.
 */
export type Reclaim = () => void;

const kept = new Map<string, Kept>();

/** The state for this key, created on first use. Called by factories (once per compile), never per request. */
export function keep<T extends Kept>(key: StateKey, create: (reclaim: Reclaim) => T): T {
  sweep(Date.now());
  const id = `${key.kind}\u0000${key.router}\u0000${key.name}\u0000${canonicalJSON(key.options)}`;
  const found = kept.get(id);
  if (found) return found as T;
  const made: T = create(() => {
    if (kept.get(id) !== made) kept.set(id, made);
  });
  kept.set(id, made);
  return made;
}

/** Drop state of middlewares that may no longer exist, when doing so changes nothing (bounds the map). */
function sweep(now: number): void {
  for (const [id, state] of kept) if (state.disposable(now)) kept.delete(id);
}
