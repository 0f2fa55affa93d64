// What the store accepts: a config that validates and that this build can compile (a dry run of
// what the listener will do with it). Synchronous, so it can run inside a write's critical section.
import { apiInternalServices } from "../../worker/api/internal.ts";
import { checkConfig as dryRun } from "../../worker/compile/check.ts";
import { canonicalJSON, routerCount, validateConfig, type ConfigIssue } from "../../worker/config/index.ts";

/** SQLite in a Durable Object stores at most 2 MB per value; KV allows 25 MiB. */
export const MAX_CONFIG_BYTES = 2_000_000;

export type Checked =
  | { ok: true; canonical: string; routers: number; warnings: ConfigIssue[] }
  | { ok: false; errors: ConfigIssue[] };

export function checkConfig(raw: unknown): Checked {
  const valid = validateConfig(raw);
  if (!valid.ok) return { ok: false, errors: valid.errors };
  const compiled = dryRun(valid.config, { rules: valid.rules, internal: apiInternalServices });
  if (!compiled.ok) return { ok: false, errors: compiled.errors };
  const canonical = canonicalJSON(valid.config);
  const bytes = new TextEncoder().encode(canonical).byteLength;
  if (bytes > MAX_CONFIG_BYTES) {
    return { ok: false, errors: [{ path: "", message: `config is ${bytes} bytes as canonical JSON; the store keeps at most ${MAX_CONFIG_BYTES}`, severity: "error" }] };
  }
  return { ok: true, canonical, routers: routerCount(valid.config), warnings: valid.warnings };
}
