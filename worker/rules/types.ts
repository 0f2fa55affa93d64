// The contract between the rule engine and everything that routes with it.

/** What rules look at, computed once per request and shared by every rule. */
export interface RequestView {
  /** Request method as sent (Traefik compares it case-sensitively after upper-casing the rule's). */
  readonly method: string;
  /** Host, lower-cased, port removed, IPv6 without brackets ("::1"); trailing dot kept. "" when absent. */
  readonly host: string;
  /**
   * Routing path, always starting with "/": the URL path as received, with percent-encoded
   * unreserved characters decoded and reserved ones ("%2F", "%3F", …) kept encoded, as Traefik does.
   */
  readonly path: string;
  /** Query parameters, every value of every key, in order. */
  readonly query: ReadonlyMap<string, readonly string[]>;
  /** Every value of a header, one entry per line the client sent it on. Name is case-insensitive. */
  header(name: string): readonly string[];
  /** Client IP as text (no port, no brackets), or null when unknown or unparsable. */
  readonly clientIP: string | null;
  /**
   * Optional: the muxer found the host in its table and hands over the rules' own string with the
   * same text. A view may adopt it as `host`: URL.hostname is a fresh slice of the URL, which V8
   * compares with rule hosts char by char (in the runtime), while the same string compares by pointer.
   */
  internHost?(host: string): void;
}

/** Traefik's ruleSyntax: "v3", or "v2" (v2's matchers, kept by Traefik v3 for migration). */
export type RuleSyntax = "v2" | "v3";

/** A rule syntax or argument error: where it is and what was expected. */
export interface RuleError {
  /** 0-based offset into the rule string. */
  readonly position: number;
  readonly message: string;
}

export type { Result } from "../go/result.ts";

/** A rule compiled once per config: pure, immutable, regexes precompiled. */
export interface CompiledRule {
  readonly source: string;
  match(view: RequestView): boolean;
  /**
   * Exact hosts (lower-case, as written; the muxer ignores trailing dots) of which the request's
   * host must be one for the rule to match (an empty list: it can never match), or null
   * when the rule cannot be indexed by host (HostRegexp, negation, a branch with no Host, Host(`*`)...).
   */
  readonly hosts: readonly string[] | null;
  /**
   * What the muxer indexes on, when present: like `hosts`, but also covering wildcard hosts
   * (Host(`*.example.com`), HostRegexp(`…\.example\.com$`)). A string is one exact host, the
   * commonest constraint, kept without a list: a config holds thousands. Absent: derived from `hosts`.
   */
  readonly hostIndex?: HostIndex | string | null;
  /**
   * Literal prefixes of which the routing path must start with one for the rule to match (from
   * Path, PathPrefix, and PathRegexp(`^/literal…`)), or null/absent when the path is not pinned.
   */
  readonly pathPrefixes?: readonly string[] | null;
  /** For users debugging rules: each leaf matcher with its result against this request. */
  explain(view: RequestView): RuleTrace;
}

/**
 * A host constraint for indexing: the request host (trailing dots ignored) is one of `exact`, or
 * ends with one of `suffixes` (each starting with "."). Rules can only match such hosts.
 */
export interface HostIndex {
  readonly exact: readonly string[];
  readonly suffixes: readonly string[];
}

export interface RuleTrace {
  /** The sub-expression as written in the rule. */
  readonly expr: string;
  /** The operator joining `children`; absent on a leaf matcher. */
  readonly op?: "and" | "or" | "not";
  readonly result: boolean;
  /** Leaves: what the matcher looked at, e.g. `host "example.org"`. */
  readonly detail?: string;
  readonly children?: readonly RuleTrace[];
}

/** One router as the muxer sees it. */
export interface Route<H> {
  readonly name: string;
  readonly rule: CompiledRule;
  /** Effective priority: explicit, or Traefik's default (defaultPriority: the rule's length, adjusted). */
  readonly priority: number;
  readonly handler: H;
  /**
   * A parent router's child routes (multi-layer routing): its handler runs the parent's
   * middlewares, then matches the request they pass on among these. Absent on a leaf.
   */
  readonly children?: Muxer<H>;
}

/** Options of buildMuxer. */
export interface MuxerOptions {
  /**
   * Traefik's providers.precedence: provider names, most preferred first. Breaks ties between
   * routes of equal priority; a route's provider is the part of its name after the last "@".
   */
  readonly providersPrecedence?: readonly string[];
}

/** Routes indexed for matching; immutable once built. */
export interface Muxer<H> {
  match(view: RequestView): Route<H> | null;
  readonly size: number;
  /** The routes in route order (highest priority first). */
  readonly routes: readonly Route<H>[];
  /** The first `limit` of them (a lazy muxer builds only those). */
  firstRoutes(limit: number): readonly Route<H>[];
}
