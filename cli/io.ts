import { readFile } from "node:fs/promises";
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { RuleSyntax } from "../worker/rules/index.ts";

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** Settings every command shares (global flags and their environment variables). */
export interface CliSettings {
  /** --default-rule-syntax or $DEFAULT_RULE_SYNTAX: the Worker's DEFAULT_RULE_SYNTAX, so both validate alike. */
  readonly defaultRuleSyntax: RuleSyntax;
}

export const DEFAULT_SETTINGS: CliSettings = { defaultRuleSyntax: "v3" };

export type Command = (args: string[], io: Io, settings: CliSettings) => Promise<number>;

/** Wrong arguments: exit 2 with the usage text. */
export class UsageError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: T, positionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: positionals > 0, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (parsed.positionals.length > positionals) {
    throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}"`);
  }
  return parsed;
}

export function required(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== "string" || value === "") throw new UsageError(`${flag} is required`);
  return value;
}

export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === "ENOENT" ? `${path}: no such file` : `${path}: cannot read (${code ?? String(err)})`);
  }
}

/** Config format from the file name; "auto" sniffs the content. */
export function formatOf(path: string): "yaml" | "toml" | "json" | "auto" {
  if (/\.ya?ml$/i.test(path)) return "yaml";
  if (/\.toml$/i.test(path)) return "toml";
  if (/\.json$/i.test(path)) return "json";
  return "auto";
}
