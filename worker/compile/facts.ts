// Load facts: what the config store learned when it admitted a config, published beside its
// snapshot so that a cold isolate builds its router without validating or compiling it again.
// Validation (schema, references, every rule) and compiling every route cost most of a load, and
// the store has done both with this very build. The facts say which build (REVISION), which config
// (its sha256) and which default rule syntax; they carry the validation warnings and the muxer's
// index (route order, and which routes each host leads to: rules/mux/lazy.ts), from which the
// isolate serves with each route built on its first request (snapshot.ts snapshotFromFacts).
//
// Facts are trusted only when all of that matches; anything else (a snapshot written to KV by
// hand, a store on another build, another DEFAULT_RULE_SYNTAX) goes through full validation.
import type { ConfigIssue, DynamicConfig } from "../config/index.ts";
import type { MuxIndex, Route, RuleSyntax } from "../rules/index.ts";
import { muxIndex } from "../rules/index.ts";
import { REVISION } from "./revision.ts";
import { childrenByParent } from "./routes.ts";

export const FACTS_FORMAT = 1;

/** The mux index as published: routes by their position among the config's routers, not by name. */
type PublishedIndex = Omit<MuxIndex, "order"> & { readonly routers: readonly number[] };

/** The published form (JSON). */
export interface LoadFacts {
  readonly format: typeof FACTS_FORMAT;
  /** The build that validated the config: worker/compile/revision.ts. */
  readonly revision: string;
  /** sha256 of the canonical config text the facts describe. */
  readonly sha256: string;
  readonly defaultRuleSyntax: RuleSyntax;
  readonly warnings: readonly ConfigIssue[];
  /**
   * The top muxer's index; `routers` gives each rank's router as its position in
   * Object.keys(http.routers) of the canonical text parsed (JSON.parse orders keys the same way
   * everywhere), which keeps 10,000 names out of the facts.
   */
  readonly index: PublishedIndex;
  /** Parent router → its children, in config order (routes.ts childrenByParent); {} without parentRefs. */
  readonly tree: Readonly<Record<string, readonly string[]>>;
}

/**
 * Facts of a config the store admitted. `config`: its canonical text parsed (the isolate's view of
 * it); `routes`: the top muxer's routes of its dry-run compile.
 */
export function factsOf<H>(sha256: string, config: DynamicConfig, routes: readonly Route<H>[], warnings: readonly ConfigIssue[], defaultRuleSyntax: RuleSyntax): LoadFacts {
  const routers = config.http?.routers ?? {};
  const position = new Map(Object.keys(routers).map((name, i) => [name, i]));
  const { order, ...rest } = muxIndex(routes);
  const index = { ...rest, routers: order.map((name) => position.get(name) ?? -1) };
  return { format: FACTS_FORMAT, revision: REVISION, sha256, defaultRuleSyntax, warnings, index, tree: Object.fromEntries(childrenByParent(routers)) };
}

/**
 * The facts as published (JSON), for the config whose canonical text is `canonical`: read back
 * from that text, so that router positions are the isolate's own (the config store, push --kv).
 */
export function publishedFacts<H>(sha256: string, canonical: string, routes: readonly Route<H>[], warnings: readonly ConfigIssue[], defaultRuleSyntax: RuleSyntax): string {
  return JSON.stringify(factsOf(sha256, JSON.parse(canonical) as DynamicConfig, routes, warnings, defaultRuleSyntax));
}

/** What a trusted load takes from the facts. */
export interface TrustedFacts {
  readonly index: MuxIndex;
  readonly warnings: readonly ConfigIssue[];
  readonly tree: ReadonlyMap<string, readonly string[]>;
}

/**
 * The facts, when this build made them for this config and syntax; null otherwise (the caller then
 * validates in full). `config`: the snapshot as parsed. Checks the shape as far as it is read at
 * load; the index's lists are checked as requests reach them (rules/mux/lazy.ts).
 */
export function trustFacts(facts: unknown, sha256: string, defaultRuleSyntax: RuleSyntax, config: unknown): TrustedFacts | null {
  if (!isRecord(facts)) return null;
  if (facts.format !== FACTS_FORMAT || facts.revision !== REVISION || facts.sha256 !== sha256 || facts.defaultRuleSyntax !== defaultRuleSyntax) return null;
  const { index, tree, warnings } = facts;
  if (!Array.isArray(warnings) || !isRecord(index) || !isRecord(tree)) return null;
  if (!Array.isArray(index.routers) || !isRecord(index.exact) || !isRecord(index.suffixes) || !Array.isArray(index.fallback) || !isRecord(index.prefixes)) return null;
  const order = routerNames(config, index.routers);
  const children = treeOf(tree);
  if (order === null || children === null) return null;
  const { routers: _, ...lists } = index;
  return { index: { ...(lists as Omit<MuxIndex, "order">), order }, warnings: warnings as ConfigIssue[], tree: children };
}

/** Positions → names, or null when one is not a router of the config. */
function routerNames(config: unknown, positions: readonly unknown[]): string[] | null {
  const http = isRecord(config) ? config.http : undefined;
  const routers = isRecord(http) && isRecord(http.routers) ? Object.keys(http.routers) : [];
  const names = new Array<string>(positions.length);
  for (let i = 0; i < positions.length; i++) {
    const at = positions[i];
    if (typeof at !== "number" || !Number.isInteger(at) || at < 0 || at >= routers.length) return null;
    names[i] = routers[at]!;
  }
  return names;
}

function treeOf(tree: Record<string, unknown>): Map<string, readonly string[]> | null {
  const out = new Map<string, readonly string[]>();
  for (const parent of Object.keys(tree)) {
    const kids = tree[parent];
    if (!Array.isArray(kids) || !kids.every((k) => typeof k === "string")) return null;
    out.set(parent, kids);
  }
  return out;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
