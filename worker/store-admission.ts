// What the config store accepts, handed in by the entry (the store lives in providers/, below the
// config model and the compiler): a config that validates and that this build can compile (a dry
// run of what the listener will do with it), under the store's size bound.
import { ConfigStoreObject, type ConfigStoreEnv } from "../providers/config-store.ts";
import type { Admission, Admitted } from "../providers/store/admission.ts";
import type { Env } from "./env.ts";
import { apiInternalServices } from "./api/internal.ts";
import { checkConfig as dryRun } from "./compile/check.ts";
import { publishedFacts } from "./compile/facts.ts";
import { REVISION } from "./compile/revision.ts";
import { canonicalJSON, parseDefaultRuleSyntax, routerCount, validateConfig, wipeRefusal, type ConfigIssue, type Result } from "./config/index.ts";

/** SQLite in a Durable Object stores at most 2 MB per value; KV allows 25 MiB. */
export const MAX_STORED_CONFIG_BYTES = 2_000_000;

/**
 * `defaultRuleSyntax`: DEFAULT_RULE_SYNTAX as set, the Worker's (the isolates validate with the same
 * one); a value other than v2 or v3 refuses every write, naming the variable.
 */
export function admitConfig(raw: unknown, defaultRuleSyntax?: string): Result<Admitted, ConfigIssue[]> {
  const syntax = parseDefaultRuleSyntax(defaultRuleSyntax);
  if (!syntax.ok) return { ok: false, error: [{ path: "DEFAULT_RULE_SYNTAX", message: syntax.error, severity: "error" }] };
  const valid = validateConfig(raw, { defaultRuleSyntax: syntax.value });
  if (!valid.ok) return { ok: false, error: valid.errors };
  const compiled = dryRun(valid.config, { rules: valid.rules, internal: apiInternalServices, defaultRuleSyntax: syntax.value });
  if (!compiled.ok) return { ok: false, error: compiled.errors };
  const canonical = canonicalJSON(valid.config);
  const bytes = new TextEncoder().encode(canonical).byteLength;
  if (bytes > MAX_STORED_CONFIG_BYTES) {
    return { ok: false, error: [{ path: "", message: `config is ${bytes} bytes as canonical JSON; the store keeps at most ${MAX_STORED_CONFIG_BYTES}`, severity: "error" }] };
  }
  const facts = (sha256: string) => publishedFacts(sha256, canonical, compiled.routes, valid.warnings, syntax.value);
  return { ok: true, value: { canonical, routers: routerCount(valid.config), warnings: valid.warnings, facts } };
}

/** The store's admission with the Worker's DEFAULT_RULE_SYNTAX. */
export function storeAdmissionFor(defaultRuleSyntax?: string): Admission {
  return {
    revision: REVISION,
    admit: (raw) => admitConfig(raw, defaultRuleSyntax),
    routers: (canonical) => routerCount(JSON.parse(canonical) as unknown),
    wipeRefusal: (current, next, allowEmpty, currentName) => wipeRefusal(current, next, allowEmpty, "api", currentName),
  };
}

export const storeAdmission: Admission = storeAdmissionFor(undefined);

/** The config-store Durable Object as this Worker runs it (wrangler.toml class_name "ConfigStore"). */
export class ConfigStore extends ConfigStoreObject {
  constructor(ctx: DurableObjectState, env: ConfigStoreEnv & Pick<Env, "DEFAULT_RULE_SYNTAX">) {
    super(ctx, env, storeAdmissionFor(env.DEFAULT_RULE_SYNTAX));
  }
}
