// Local validation before anything is sent: the same checks the config store runs.
import { apiInternalServices } from "../worker/api/internal.ts";
import { checkConfig } from "../worker/compile/check.ts";
import { publishedFacts } from "../worker/compile/facts.ts";
import { REVISION } from "../worker/compile/revision.ts";
import { canonicalJSON, diffConfigFields, loadConfig, routerCount, wipeRefusal, type AllowEmptyHint, type DynamicConfig, type FieldConfigDiff } from "../worker/config/index.ts";
import { DIFF_SECTIONS } from "../providers/store/diff.ts";
import { sha256Hex } from "../providers/store/hash.ts";
import { DEFAULT_SETTINGS, formatOf, readText, type CliSettings, type Io } from "./io.ts";
import { formatIssue } from "./commands/validate.ts";

export interface CheckedConfig {
  readonly file: string;
  readonly config: DynamicConfig;
  readonly canonical: string;
  readonly sha256: string;
  /** Its load facts (docs/cold-start.md), as the config store would publish them with this build. */
  readonly facts: string;
  /** The build that made them (worker/compile/revision.ts). */
  readonly revision: string;
}

/** The validated config, or null after printing every error with its path. */
export async function checkConfigFile(file: string, io: Io, settings: CliSettings = DEFAULT_SETTINGS): Promise<CheckedConfig | null> {
  const { defaultRuleSyntax } = settings;
  const loaded = loadConfig(await readText(file), formatOf(file), { defaultRuleSyntax });
  const checked = loaded.ok ? checkConfig(loaded.config, { rules: loaded.rules, internal: apiInternalServices, defaultRuleSyntax }) : loaded;
  if (!checked.ok) {
    io.err(`${file}: invalid (${checked.errors.length} error${checked.errors.length === 1 ? "" : "s"})`);
    for (const e of checked.errors) io.err(formatIssue(e));
    return null;
  }
  for (const w of loaded.warnings) io.err(formatIssue(w));
  const canonical = canonicalJSON(checked.config);
  const sha256 = await sha256Hex(canonical);
  const facts = publishedFacts(sha256, canonical, checked.routes, loaded.warnings, defaultRuleSyntax ?? "v3");
  return { file, config: checked.config, canonical, sha256, facts, revision: REVISION };
}

/** What a push will change, entry by entry and field by field; whether anything changes. */
export function printDiff(current: unknown, next: DynamicConfig, io: Io): boolean {
  if (current === null) {
    io.out("no config is published yet: this push creates the first version");
    return true;
  }
  const lines = describeDiff(diffConfigFields({ version: 0, canonical: canonicalJSON(current) }, { version: 0, canonical: canonicalJSON(next) }));
  io.out(lines.length === 0 ? NO_CHANGES : `changes:\n${lines.join("\n")}`);
  return lines.length > 0;
}

export const NO_CHANGES = "no changes to routers, services, middlewares or transports";

/** One line per entry added (+), removed (-) or changed (~), and under a changed one each field change. */
export function describeDiff(diff: FieldConfigDiff): string[] {
  const lines: string[] = [];
  for (const section of DIFF_SECTIONS) {
    const d = diff[section];
    for (const name of d.added) lines.push(`  + ${section}.${name}`);
    for (const name of d.removed) lines.push(`  - ${section}.${name}`);
    for (const name of d.changed) {
      lines.push(`  ~ ${section}.${name}`);
      for (const c of d.fields[name] ?? []) lines.push(`      ${describeChange(c)}`);
      if (d.truncated?.includes(name)) lines.push("      (more changes left out)");
    }
  }
  return lines;
}

function describeChange(c: { path: string; op: string; from?: unknown; to?: unknown }): string {
  const show = (v: unknown) => {
    const text = JSON.stringify(v);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  };
  if (c.op === "added") return `+ ${c.path}: ${show(c.to)}`;
  if (c.op === "removed") return `- ${c.path}: ${show(c.from)}`;
  return `~ ${c.path}: ${show(c.from)} -> ${show(c.to)}`;
}

/**
 * False (after saying why on stderr) when `next` has no routers and would replace `current`'s
 * without --allow-empty: checked before anything is sent, as the store and the Worker check again.
 */
export function mayReplace(current: { name: string; config: unknown } | null, next: DynamicConfig, allowEmpty: boolean, io: Io, hint: AllowEmptyHint = "cli"): boolean {
  const why = wipeRefusal(current ? routerCount(current.config) : null, routerCount(next), allowEmpty, hint, current?.name);
  if (why !== null) io.err(why);
  return why === null;
}
