// The full check a config passes before it may go live: schema and references (validateConfig),
// then a dry-run compile (everything this build must be able to serve). Used by the config store
// and the CLI alike, so a config refused by one is refused by the other.
import type { CompiledRules, ConfigIssue, DynamicConfig } from "../config/index.ts";
import { compileSnapshot } from "./snapshot.ts";

export type CheckResult = { ok: true; config: DynamicConfig } | { ok: false; errors: ConfigIssue[] };

/** `rules`: what validation compiled (ValidationResult.rules), reused rather than compiled again. */
export function checkConfig(config: DynamicConfig, rules?: CompiledRules): CheckResult {
  const meta = { version: 0, sha256: "", source: "check", provider: "check", warnings: [] };
  const compiled = compileSnapshot(config, meta, null, rules);
  return compiled.ok ? { ok: true, config } : { ok: false, errors: compiled.errors };
}
