// The router listener: validate, compile against the current snapshot (so unchanged pools carry
// over), then swap. Any failure throws before the swap: the last good snapshot keeps serving.
// A config the config store admitted with this build comes with load facts (compile/facts.ts):
// it is neither validated nor compiled again, its routes are built as requests reach them.
// A config without routers over one with routers is refused unless its ref says allowEmpty (the
// config store marks what it admitted; a version key written by hand must say so itself).
import type { Provider, Versioned } from "../../providers/types.ts";
import type { InternalServices } from "../compile/internal.ts";
import { trustFacts, type TrustedFacts } from "../compile/facts.ts";
import { compileSnapshot, snapshotFromFacts, type Snapshot } from "../compile/snapshot.ts";
import { checkBounds, parseDefaultRuleSyntax, routerCount, validateConfig, wipeRefusal, type ConfigIssue, type DynamicConfig, type ValidationResult } from "../config/index.ts";
import type { RuleSyntax } from "../rules/index.ts";
import type { Switcher } from "./switcher.ts";
import type { Listener } from "./watcher.ts";

export class ConfigRejected extends Error {
  readonly issues: readonly ConfigIssue[];
  constructor(version: number, issues: readonly ConfigIssue[]) {
    const shown = issues.slice(0, 5).map((i) => `${i.path || "(root)"}: ${i.message}`);
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : "";
    super(`config version ${version} rejected: ${shown.join("; ")}${more}`);
    this.issues = issues;
  }
}

export interface ListenerOptions {
  /**
   * Where a cold isolate (nothing served yet) looks for the last good config when the first one
   * it is given has no routers and no allowEmpty: the config store, which a plain KV write
   * bypasses. If that one has routers, the isolate serves it instead. Without it (or when it has
   * nothing, or cannot be read), a cold isolate takes what it is given: it knows nothing to keep.
   */
  readonly lastGood?: Provider;
  /** The `NAME@internal` services the entry provides (none but noop@internal without them). */
  readonly internal?: InternalServices;
  /**
   * DEFAULT_RULE_SYNTAX as set (Traefik's core.defaultRuleSyntax): "v3" (absent) or "v2". Any other
   * value rejects every config, naming the variable, as Traefik refuses to start with it.
   */
  readonly defaultRuleSyntax?: string;
}

type Valid = Extract<ValidationResult, { ok: true }>;

export function routerListener(switcher: Switcher<Snapshot>, options: ListenerOptions = {}): Listener {
  return async (incoming) => {
    const syntax = settingOrReject(incoming.ref.version, options.defaultRuleSyntax);
    const facts = trustFacts(incoming.facts, incoming.ref.sha256, syntax, incoming.value);
    if (facts) return installFromFacts(switcher, incoming, facts, options, syntax);
    const valid = validated(incoming, syntax);
    await guardWipe(switcher, incoming, routerCount(valid.config), options, syntax);
    install(switcher, incoming, valid, options.internal, syntax);
  };
}

/**
 * Throws when `incoming` has no routers, is not marked allowEmpty, and would replace routers: those
 * this isolate serves, or (cold) those of the store's last good config, which it then serves instead.
 */
async function guardWipe(switcher: Switcher<Snapshot>, incoming: Versioned<unknown>, routers: number, options: ListenerOptions, syntax: RuleSyntax): Promise<void> {
  if (routers > 0 || incoming.ref.allowEmpty === true) return;
  const current = switcher.current;
  if (current) return refuseWipe(incoming, routerCount(current.config), `version ${current.meta.version}, which this isolate serves`);
  if (!options.lastGood) return;
  const kept = await lastGood(options.lastGood, syntax);
  if (kept && installed(switcher, kept.config, kept.valid, options.internal, syntax)) {
    refuseWipe(incoming, routerCount(kept.valid.config), `version ${kept.config.ref.version} in the config store, which this isolate serves instead`);
  }
}

/**
 * The store admitted it with this build: no validation, no compile. A config without routers over
 * routers is refused as on the full path (a ref the store did not mark allowEmpty was written by hand).
 */
async function installFromFacts(switcher: Switcher<Snapshot>, incoming: Versioned<unknown>, facts: TrustedFacts, options: ListenerOptions, syntax: RuleSyntax): Promise<void> {
  const config = incoming.value as DynamicConfig;
  await guardWipe(switcher, incoming, routerCount(config), options, syntax);
  const { ref, provider } = incoming;
  const meta = { version: ref.version, sha256: ref.sha256, source: ref.key, provider: provider ?? "switchyard", warnings: facts.warnings, load: "facts" as const };
  switcher.swap(snapshotFromFacts(config, meta, switcher.current, facts.index, options.internal, syntax, facts.tree));
}

function settingOrReject(version: number, setting: string | undefined): RuleSyntax {
  const parsed = parseDefaultRuleSyntax(setting);
  if (!parsed.ok) throw new ConfigRejected(version, [{ path: "DEFAULT_RULE_SYNTAX", message: parsed.error, severity: "error" }]);
  return parsed.value;
}

/**
 * Validation, after the data's bounds (providers may leave them to the listener: runtime.ts): a
 * hand-written snapshot nested too deep or expanding too far is refused before any walk.
 */
function validated(config: Versioned<unknown>, defaultRuleSyntax: RuleSyntax): Valid {
  const bound = checkBounds(config.value);
  if (bound) throw new ConfigRejected(config.ref.version, [bound]);
  const valid = validateConfig(config.value, { defaultRuleSyntax });
  if (!valid.ok) throw new ConfigRejected(config.ref.version, valid.errors);
  return valid;
}

/** Throws when `incoming` has no routers and would replace `current` of them. */
function refuseWipe(incoming: Versioned<unknown>, current: number, currentName: string): void {
  const why = wipeRefusal(current, 0, false, "kv", currentName);
  if (why) throw new ConfigRejected(incoming.ref.version, [{ path: "http.routers", message: why, severity: "error" }]);
}

function install(switcher: Switcher<Snapshot>, config: Versioned<unknown>, valid: Valid, internal: InternalServices | undefined, syntax: RuleSyntax): void {
  const { ref, provider } = config;
  const meta = { version: ref.version, sha256: ref.sha256, source: ref.key, provider: provider ?? "switchyard", warnings: valid.warnings, load: "validated" as const };
  const compiled = compileSnapshot(valid.config, meta, switcher.current, valid.rules, internal, syntax);
  if (!compiled.ok) throw new ConfigRejected(ref.version, compiled.errors);
  switcher.swap(compiled.snapshot);
}

/** install, false instead of a throw (a last good config this build cannot compile is no fallback). */
function installed(switcher: Switcher<Snapshot>, config: Versioned<unknown>, valid: Valid, internal: InternalServices | undefined, syntax: RuleSyntax): boolean {
  try {
    install(switcher, config, valid, internal, syntax);
    return true;
  } catch {
    return false;
  }
}

/** The last good config with routers, or null when there is none or it cannot be read (never throws). */
async function lastGood(provider: Provider, defaultRuleSyntax: RuleSyntax): Promise<{ config: Versioned<unknown>; valid: Valid } | null> {
  try {
    const ref = await provider.version();
    const loaded = ref && !ref.allowEmpty ? await provider.load(ref) : null;
    if (!loaded?.ok) return null;
    const config = loaded.value;
    if (checkBounds(config.value)) return null;
    const valid = validateConfig(config.value, { defaultRuleSyntax });
    return valid.ok && routerCount(valid.config) > 0 ? { config, valid } : null;
  } catch {
    return null;
  }
}
