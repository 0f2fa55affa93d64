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
import type { ConfigIssue } from "../config/index.ts";
import type { MuxIndex, Route, RuleSyntax } from "../rules/index.ts";
import { muxIndex } from "../rules/index.ts";
import { REVISION } from "./revision.ts";

export const FACTS_FORMAT = 1;

/** The published form (JSON). */
export interface LoadFacts {
  readonly format: typeof FACTS_FORMAT;
  /** The build that validated the config: worker/compile/revision.ts. */
  readonly revision: string;
  /** sha256 of the canonical config text the facts describe. */
  readonly sha256: string;
  readonly defaultRuleSyntax: RuleSyntax;
  readonly warnings: readonly ConfigIssue[];
  readonly index: MuxIndex;
}

/** Facts of a config the store admitted: `routes`, the top muxer's routes of its dry-run compile. */
export function factsOf<H>(sha256: string, routes: readonly Route<H>[], warnings: readonly ConfigIssue[], defaultRuleSyntax: RuleSyntax): LoadFacts {
  return { format: FACTS_FORMAT, revision: REVISION, sha256, defaultRuleSyntax, warnings, index: muxIndex(routes) };
}

/** What a trusted load takes from the facts. */
export interface TrustedFacts {
  readonly index: MuxIndex;
  readonly warnings: readonly ConfigIssue[];
}

/**
 * The facts, when this build made them for this config and syntax; null otherwise (the caller then
 * validates in full). Checks the shape as far as it is read at load; the index's entries are read
 * as requests reach them, and one that names no route fails that request alone.
 */
export function trustFacts(facts: unknown, sha256: string, defaultRuleSyntax: RuleSyntax): TrustedFacts | null {
  if (!isRecord(facts)) return null;
  if (facts.format !== FACTS_FORMAT || facts.revision !== REVISION || facts.sha256 !== sha256 || facts.defaultRuleSyntax !== defaultRuleSyntax) return null;
  const index = facts.index;
  if (!Array.isArray(facts.warnings) || !isRecord(index)) return null;
  if (!Array.isArray(index.order) || !isRecord(index.exact) || !isRecord(index.suffixes) || !Array.isArray(index.fallback) || !isRecord(index.prefixes)) return null;
  return { index: index as unknown as MuxIndex, warnings: facts.warnings as ConfigIssue[] };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
