// The full check a config passes before it may go live: schema and references (validateConfig),
// then a dry-run compile (everything this build must be able to serve). Used by the config store
// and the CLI alike, so a config refused by one is refused by the other.
import type { CompiledRules, ConfigIssue, DynamicConfig } from "../config/index.ts";
import type { Route, RuleSyntax } from "../rules/index.ts";
import type { Handler } from "../services/types.ts";
import type { InternalServices } from "./internal.ts";
import { compileSnapshot } from "./snapshot.ts";

/** `routes`: the top muxer's routes, in route order (what load facts index: facts.ts). */
export type CheckResult = { ok: true; config: DynamicConfig; routes: readonly Route<Handler>[] } | { ok: false; errors: ConfigIssue[] };

export interface CheckOptions {
  /** The internal services the build being checked provides (the Worker's: worker/api/internal.ts). */
  readonly internal: InternalServices;
  /** What validation compiled (ValidationResult.rules), reused rather than compiled again. */
  readonly rules?: CompiledRules;
  /** The syntax of routers without ruleSyntax (the one validation used); v3 when absent. */
  readonly defaultRuleSyntax?: RuleSyntax;
}

export function checkConfig(config: DynamicConfig, options: CheckOptions): CheckResult {
  const meta = { version: 0, sha256: "", source: "check", provider: "check", warnings: [] };
  const compiled = compileSnapshot(config, meta, null, options.rules, options.internal, options.defaultRuleSyntax);
  return compiled.ok ? { ok: true, config, routes: compiled.snapshot.muxer.routes } : { ok: false, errors: compiled.errors };
}
