// The muxer of a cold isolate: built from a published index (route order, and which routes each
// exact host, host ending or no host at all leads to), not from compiled routes. A route is built
// (its rule compiled, its handler made) when a request first reaches one of its lists, so loading
// a config of 10,000 routers costs a table, and a host's routes are paid for on its first request.
//
// The index is what buildMuxer would make of the same routes (muxIndex computes it from them, in
// the config store); matching gives the same route for every request (test/unit/rules/lazy-mux).
import { hostKey } from "../compile.ts";
import type { CompiledRule, Muxer, MuxerOptions, RequestView, Route } from "../types.ts";
import { collect, indexed, SMALL, type HostRoutes } from "./bucket.ts";
import { Candidates, type Ranks } from "./candidates.ts";
import { hostsOf, labels } from "./hosts.ts";
import { routeOrder } from "./order.ts";

/** Route names by rank, and the ranks each host constraint leads to (host keys: no trailing dots). */
export interface MuxIndex {
  readonly order: readonly string[];
  /** Exact host → its routes: one rank (most hosts) or several, ascending. */
  readonly exact: Readonly<Record<string, number | readonly number[]>>;
  /** Host ending (".example.com") → its routes, ascending. */
  readonly suffixes: Readonly<Record<string, readonly number[]>>;
  /** Routes without a host constraint, ascending. */
  readonly fallback: readonly number[];
  /**
   * The literal path prefixes (CompiledRule.pathPrefixes) of the routes in lists long enough to be
   * indexed by path (bucket.ts), by rank: such a list is indexed without compiling its rules.
   */
  readonly prefixes: Readonly<Record<string, readonly string[] | null>>;
}

/** The index buildMuxer would build from `routes` (the order, and each route's host facts). */
export function muxIndex<H>(routes: readonly Route<H>[], options: MuxerOptions = {}): MuxIndex {
  const order = routeOrder(routes, options);
  const names: string[] = [];
  const exact: Record<string, number[]> = Object.create(null) as Record<string, number[]>;
  const suffixes: Record<string, number[]> = Object.create(null) as Record<string, number[]>;
  const fallback: number[] = [];
  const add = (table: Record<string, number[]>, key: string, rank: number) => {
    const list = (table[key] ??= []);
    if (list.at(-1) !== rank) list.push(rank);
  };
  for (let rank = 0; rank < routes.length; rank++) {
    const rule = routes[order[rank]!]!.rule;
    names.push(routes[order[rank]!]!.name);
    const facts = rule.hostIndex === undefined ? hostsOf(rule) : rule.hostIndex;
    if (facts === null) fallback.push(rank);
    else if (typeof facts === "string") add(exact, hostKey(facts), rank);
    else {
      for (const h of facts.exact) add(exact, hostKey(h), rank);
      for (const s of facts.suffixes) add(suffixes, hostKey(s), rank);
    }
  }
  // Prototype-less, so that a host named "__proto__" is a key like any other (JSON keeps it so).
  const single = Object.create(null) as Record<string, number | number[]>;
  for (const host of Object.keys(exact)) single[host] = exact[host]!.length === 1 ? exact[host]![0]! : exact[host]!;
  const prefixes: Record<string, readonly string[] | null> = {};
  for (const list of [fallback, ...Object.values(exact), ...Object.values(suffixes)]) {
    if (list.length > SMALL) for (const rank of list) prefixes[rank] = routes[order[rank]!]!.rule.pathPrefixes ?? null;
  }
  return { order: names, exact: single, suffixes, fallback, prefixes };
}

/** Builds the route named so, or null when it cannot be built (it then matches nothing). */
export type RouteSource<H> = (name: string) => Route<H> | null;

interface HostEntry {
  readonly routes: HostRoutes;
  /** The ending lists the host falls under (null: none). */
  readonly suffixes: readonly HostRoutes[] | null;
}

type Table<T> = Record<string, T | undefined>;
const table = <T>(): Table<T> => Object.create(null) as Table<T>;
const NEVER: CompiledRule = { source: "", hosts: [], match: () => false, explain: () => ({ expr: "", result: false }) };

/** A muxer over `index` whose routes `source` builds on first use; a malformed list in the index leads nowhere (and is logged). */
export function buildLazyMuxer<H>(index: MuxIndex, source: RouteSource<H>): Muxer<H> {
  return new LazyMuxer(index, source);
}

class LazyMuxer<H> implements Muxer<H> {
  private readonly index: MuxIndex;
  private readonly source: RouteSource<H>;
  private readonly built: (Route<H> | undefined)[] = [];
  private readonly rules: CompiledRule[] = [];
  private readonly hosts = table<HostEntry>();
  /** The ending lists asked for so far (only endings the index has: request hosts are anyone's to choose). */
  private readonly endings = table<HostRoutes>();
  /** Label counts of the endings (".tenant5.example.com" has 3): a host is looked up only at those. */
  private readonly depths: readonly number[];
  private fallback: HostRoutes | null = null;
  private readonly candidates = new Candidates();

  constructor(index: MuxIndex, source: RouteSource<H>) {
    this.index = index;
    this.source = source;
    this.depths = [...new Set(Object.keys(index.suffixes).map(labels))].sort((a, b) => a - b);
  }

  get size(): number {
    return this.index.order.length;
  }

  /** Every route (the API lists them): builds those not built yet. */
  get routes(): readonly Route<H>[] {
    return this.firstRoutes(Infinity);
  }

  /** The first `limit` routes that could be built, building those not built yet (and no others). */
  firstRoutes(limit: number): readonly Route<H>[] {
    const out: Route<H>[] = [];
    for (let rank = 0; rank < this.index.order.length && out.length < limit; rank++) {
      this.ensure(rank);
      const route = this.built[rank];
      if (route !== undefined && route.rule !== NEVER) out.push(route);
    }
    return out;
  }

  match(view: RequestView): Route<H> | null {
    const out = this.candidates;
    out.reset();
    const host = hostKey(view.host);
    const entry = this.hosts[host] ?? this.firstAsked(host);
    if (entry !== undefined) {
      collect(entry.routes, view, out);
      const suffixes = entry.suffixes;
      if (suffixes !== null) for (const routes of suffixes) collect(routes, view, out);
    } else {
      const endings = this.endingsOf(host);
      if (endings !== null) for (const routes of endings) collect(routes, view, out);
    }
    collect((this.fallback ??= this.listOf(this.index.fallback)), view, out);
    const rank = out.firstMatch(this.rules, view);
    return rank < 0 ? null : this.built[rank]!;
  }

  /** A known host's entry, made on its first request; undefined for a host no route names. */
  private firstAsked(host: string): HostEntry | undefined {
    const ranks = Object.hasOwn(this.index.exact, host) ? this.index.exact[host] : undefined;
    if (ranks === undefined) return undefined;
    const entry = { routes: this.listOf(typeof ranks === "number" ? [ranks] : ranks), suffixes: this.endingsOf(host) };
    this.hosts[host] = entry;
    return entry;
  }

  /** The ending lists a host falls under, shortest ending first; null when none. */
  private endingsOf(host: string): HostRoutes[] | null {
    let found: HostRoutes[] | null = null;
    for (const depth of this.depths) {
      const at = dotAt(host, depth);
      if (at < 0) break;
      const key = host.slice(at);
      const routes = this.endings[key] ?? (Object.hasOwn(this.index.suffixes, key) ? (this.endings[key] = this.listOf(this.index.suffixes[key]!)) : undefined);
      if (routes !== undefined) (found ??= []).push(routes);
    }
    return found;
  }

  /**
   * Ranks → the list the candidates take, indexed by path when long, with a stand-in rule for each
   * rank not built yet: it builds its route when a request first tries it. The index came from
   * JSON: a list that is not ascending ranks of known routes (facts edited by hand) leads nowhere.
   */
  private listOf(ranks: readonly number[]): HostRoutes {
    if (!this.validRanks(ranks)) {
      console.error(`mux index: ${JSON.stringify(ranks).slice(0, 80)} is not a list of ascending route ranks; ignored`);
      return [];
    }
    for (const rank of ranks) this.rules[rank] ??= this.standIn(rank);
    return indexed(ranks as Ranks, this.rules);
  }

  /** A rule that builds rank's route on its first match, then hands over to the route's rule. */
  private standIn(rank: number): CompiledRule {
    const prefixes = Object.hasOwn(this.index.prefixes, rank) ? this.index.prefixes[rank] : undefined;
    const match = (view: RequestView): boolean => {
      this.ensure(rank);
      return this.rules[rank]!.match(view);
    };
    return { source: this.index.order[rank]!, hosts: null, pathPrefixes: isStrings(prefixes) ? prefixes : null, match, explain: (view) => (this.ensure(rank), this.rules[rank]!.explain(view)) };
  }

  private validRanks(ranks: unknown): boolean {
    if (!Array.isArray(ranks)) return false;
    const n = this.index.order.length;
    let last = -1;
    for (const rank of ranks as unknown[]) {
      if (typeof rank !== "number" || !Number.isInteger(rank) || rank <= last || rank >= n || typeof this.index.order[rank] !== "string") return false;
      last = rank;
    }
    return true;
  }

  private ensure(rank: number): void {
    if (this.built[rank] !== undefined) return;
    const name = this.index.order[rank]!;
    const route = this.source(name) ?? { name, rule: NEVER, priority: 0, handler: undefined as H };
    this.built[rank] = route;
    this.rules[rank] = route.rule;
  }
}

const isStrings = (value: unknown): value is readonly string[] => Array.isArray(value) && value.every((s) => typeof s === "string");

/** Where the host's ending of `depth` labels starts (its dot), or -1 when the host has fewer. */
function dotAt(host: string, depth: number): number {
  let count = 0;
  for (let i = host.length - 1; i >= 0; i--) if (host.charCodeAt(i) === 0x2e && ++count === depth) return i;
  return -1;
}
