// The host index: routes by exact host and by host ending (Host(`*.example.com`),
// HostRegexp(`…\.example\.com$`)); trailing dots are ignored. A known host's endings are known at
// build time: its entry already lists the ending buckets they hit, so a request for it does one
// lookup. Other hosts are looked up by their endings at the label counts endings have.
//
// Request-time tables are prototype-less objects, not Maps: hosts looked up per request come from
// URL.hostname, a sliced string, which Map.get must hash and compare with a runtime call, while a
// property lookup finds the key through V8's string table (about 20% cheaper per lookup, 7–15% per
// view+match at 10,000 routers). Without a prototype, "constructor" or "__proto__" are plain keys.
// But storing a property key internalizes it (a copy and a string-table insert, about three times
// a Map.set): exact hosts, thousands per config and few of them ever asked for in one isolate, are
// collected in a Map at load, and move to the object table on their first request.

import { hostKey } from "../compile.ts";
import type { CompiledRule, HostIndex as HostIndexFacts, RequestView } from "../types.ts";
import { collect, indexed, type HostRoutes } from "./bucket.ts";
import type { Candidates, Ranks } from "./candidates.ts";

/** What one exact host leads to: its own routes, and those of the ending buckets it falls under. */
interface HostEntry {
  /**
   * The rule's own host string (rules with the same Host matcher share it): handed to the view,
   * so that their Host matchers find the very same string, a pointer comparison.
   */
  readonly host: string;
  own: HostRoutes;
  /**
   * Usually null: few hosts fall under a wildcard as well. undefined until the host's first
   * request: a config loads in every new isolate, which serves few of its hosts, so each host's
   * endings are looked up (and its routes indexed) once it is asked for, not at load.
   */
  suffixes: HostRoutes[] | null | undefined;
}

type Table<T> = Record<string, T | undefined>;
const table = <T>(): Table<T> => Object.create(null) as Table<T>;

/**
 * An exact host's routes as loaded: one rank (most hosts; a number costs nothing to store), or the
 * ranks of several. Its HostEntry is made on its first request.
 */
type Slot = number | Ranks;

/** The host constraint of a rule built elsewhere, which may only have `hosts`. */
export function hostsOf(rule: CompiledRule): HostIndexFacts | null {
  return rule.hosts === null ? null : { exact: rule.hosts, suffixes: [] };
}

/** Collects ranks by host and by ending while the muxer walks routes in order. */
export class HostIndexBuilder {
  private readonly exact = new Map<string, Slot>();
  private readonly exactLengths = new Uint8Array(LONG + 1);
  private readonly suffixes = table<HostRoutes>();
  private readonly suffixKeys: string[] = [];

  addHost(host: string, rank: number): void {
    const key = host.charCodeAt(host.length - 1) === 0x2e ? hostKey(host) : host;
    const slot = this.exact.get(key);
    if (slot === undefined) {
      this.exact.set(key, rank);
      this.exactLengths[key.length < LONG ? key.length : LONG] = 1;
    } else if (typeof slot !== "number") push(slot, rank);
    else if (slot !== rank) this.exact.set(key, [slot, rank]);
  }

  addSuffix(suffix: string, rank: number): void {
    const key = hostKey(suffix);
    const list = this.suffixes[key] as Ranks | undefined;
    if (list === undefined) {
      this.suffixes[key] = [rank];
      this.suffixKeys.push(key);
    } else push(list, rank);
  }

  /** null when no route has a host constraint. */
  build(rules: readonly CompiledRule[]): HostIndex | null {
    if (this.exact.size === 0 && this.suffixKeys.length === 0) return null;
    const suffixLengths = new Uint8Array(LONG + 1);
    const depths: number[] = [];
    for (const key of this.suffixKeys) {
      this.suffixes[key] = indexed(this.suffixes[key] as Ranks, rules);
      suffixLengths[key.length < LONG ? key.length : LONG] = 1;
      const n = labels(key);
      if (!depths.includes(n)) depths.push(n);
    }
    depths.sort((a, b) => a - b);
    return new HostIndex(rules, this.exact, this.exactLengths, this.suffixes, suffixLengths, depths);
  }
}

/** The tables, and what a request's host needs looked up in them. */
export class HostIndex {
  private readonly rules: readonly CompiledRule[];
  private readonly exact: Map<string, Slot>;
  /** The entries of the exact hosts asked for so far (see the top of the file). */
  private readonly asked = table<HostEntry>();
  private readonly suffixes: Readonly<Table<HostRoutes>>;
  // Lengths first: a host (or ending) no key is as long as is not hashed at all, which is most of
  // the cost of a lookup (e.g. hosts only a wildcard routes, endings of unknown tenants).
  private readonly exactLengths: Lengths;
  private readonly suffixLengths: Lengths;
  /** Label counts of the endings (".tenant5.example.com" has 3): a host is looked up only at those. */
  private readonly depths: readonly number[];

  constructor(
    rules: readonly CompiledRule[],
    exact: Map<string, Slot>,
    exactLengths: Lengths,
    suffixes: Table<HostRoutes>,
    suffixLengths: Lengths,
    depths: readonly number[],
  ) {
    this.rules = rules;
    this.exact = exact;
    this.exactLengths = exactLengths;
    this.suffixes = suffixes;
    this.suffixLengths = suffixLengths;
    this.depths = depths;
  }

  collect(view: RequestView, out: Candidates): void {
    const viewHost = view.host;
    const host = viewHost.charCodeAt(viewHost.length - 1) === 0x2e ? hostKey(viewHost) : viewHost;
    const entry = hasLength(this.exactLengths, host.length) ? (this.asked[host] ?? this.firstAsked(host)) : undefined;
    if (entry === undefined) {
      const count = endings(host, this.depths);
      for (let j = 0; j < count; j++) {
        const dot = DOTS[j]!;
        if (hasLength(this.suffixLengths, host.length - dot)) collect(this.suffixes[host.slice(dot)], view, out);
      }
      return;
    }
    // Same text, but the rules' Host matchers now compare it by pointer rather than char by char.
    // (`host === viewHost` is an identity check: host is viewHost itself unless dots were trimmed.)
    if (host === viewHost) view.internHost?.(entry.host);
    const suffixes = entry.suffixes === undefined ? this.complete(entry) : entry.suffixes;
    collect(entry.own, view, out);
    if (suffixes !== null) for (let i = 0; i < suffixes.length; i++) collect(suffixes[i], view, out);
  }

  /** A host's entry on its first request, moved to `asked`; undefined if no route has the host. */
  private firstAsked(host: string): HostEntry | undefined {
    const slot = this.exact.get(host);
    if (slot === undefined) return undefined;
    const entry = this.entryOf(host, typeof slot === "number" ? [slot] : slot);
    this.asked[entry.host] = entry;
    return entry;
  }

  /** A host's entry, made on its first request; `host` is the request's text. */
  private entryOf(host: string, ranks: Ranks): HostEntry {
    // The rule's own string for the host, to hand to views (see HostEntry.host).
    const index = this.rules[ranks[0]!]!.hostIndex;
    const written = typeof index === "string" ? index : index?.exact.find((h) => hostKey(h) === host);
    const own = written === undefined ? host : hostKey(written);
    return { host: own, own: ranks, suffixes: undefined };
  }

  /** A host's first request: its routes indexed by path if many, the ending buckets it falls under. */
  private complete(entry: HostEntry): HostRoutes[] | null {
    entry.own = indexed(entry.own as Ranks, this.rules);
    let found: HostRoutes[] | null = null;
    const host = entry.host;
    const count = endings(host, this.depths);
    for (let j = 0; j < count; j++) {
      const dot = DOTS[j]!;
      const routes = hasLength(this.suffixLengths, host.length - dot) ? this.suffixes[host.slice(dot)] : undefined;
      if (routes !== undefined) (found ??= []).push(routes);
    }
    return (entry.suffixes = found);
  }
}

function push(list: Ranks, rank: number): void {
  if (list[list.length - 1] !== rank) list.push(rank);
}

/**
 * Which lengths a table's keys have: 1 at each; every length from LONG on shares the last slot
 * (DNS names stop at 253). Looked up before the table: most misses stop here, unhashed.
 */
type Lengths = Uint8Array;
const LONG = 255;
const hasLength = (lengths: Lengths, n: number): boolean => lengths[n < LONG ? n : LONG] === 1;

/** The dots in an ending: a search per dot rather than a look at every character. */
export function labels(suffix: string): number {
  let n = 0;
  for (let i = suffix.indexOf("."); i >= 0; i = suffix.indexOf(".", i + 1)) n++;
  return n;
}

/** Where endings start (their dot), written by endings(): no array or closure per call. */
const DOTS: number[] = [];

/**
 * Finds where the host's endings with the given label counts start, shortest first, into DOTS, and
 * returns how many there are. A charCodeAt scan: lastIndexOf is a C++ builtin, a call per dot.
 */
function endings(host: string, depths: readonly number[]): number {
  let d = 0;
  let count = 0;
  for (let i = host.length - 1; i >= 0 && d < depths.length; i--) {
    if (host.charCodeAt(i) === 0x2e && ++count === depths[d]) DOTS[d++] = i;
  }
  return d;
}
