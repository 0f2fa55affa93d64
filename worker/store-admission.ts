// What the config store accepts, handed in by the entry (the store lives in providers/, below the
// config model and the compiler): a config that validates and that this build can compile (a dry
// run of what the listener will do with it), under the store's size bound.
import { ConfigStoreObject, type ConfigStoreEnv } from "../providers/config-store.ts";
import type { Admission, Admitted } from "../providers/store/admission.ts";
import { apiInternalServices } from "./api/internal.ts";
import { checkConfig as dryRun } from "./compile/check.ts";
import { canonicalJSON, routerCount, validateConfig, wipeRefusal, type ConfigIssue, type Result } from "./config/index.ts";

/** SQLite in a Durable Object stores at most 2 MB per value; KV allows 25 MiB. */
export const MAX_STORED_CONFIG_BYTES = 2_000_000;

export function admitConfig(raw: unknown): Result<Admitted, ConfigIssue[]> {
  const valid = validateConfig(raw);
  if (!valid.ok) return { ok: false, error: valid.errors };
  const compiled = dryRun(valid.config, { rules: valid.rules, internal: apiInternalServices });
  if (!compiled.ok) return { ok: false, error: compiled.errors };
  const canonical = canonicalJSON(valid.config);
  const bytes = new TextEncoder().encode(canonical).byteLength;
  if (bytes > MAX_STORED_CONFIG_BYTES) {
    return { ok: false, error: [{ path: "", message: `config is ${bytes} bytes as canonical JSON; the store keeps at most ${MAX_STORED_CONFIG_BYTES}`, severity: "error" }] };
  }
  return { ok: true, value: { canonical, routers: routerCount(valid.config), warnings: valid.warnings } };
}

export const storeAdmission: Admission = {
  admit: admitConfig,
  routers: (canonical) => routerCount(JSON.parse(canonical) as unknown),
  wipeRefusal: (current, next, allowEmpty, currentName) => wipeRefusal(current, next, allowEmpty, "api", currentName),
};

/** The config-store Durable Object as this Worker runs it (wrangler.toml class_name "ConfigStore"). */
export class ConfigStore extends ConfigStoreObject {
  constructor(ctx: DurableObjectState, env: ConfigStoreEnv) {
    super(ctx, env, storeAdmission);
  }
}
