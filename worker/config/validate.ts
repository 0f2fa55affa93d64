// Raw data → a DynamicConfig, or every error found. Schema errors are per entity; semantic checks
// then run on the entities that passed.
import { checkCycles } from "./checks/cycles.ts";
import { checkMiddlewareOptions } from "./checks/middleware-options.ts";
import type { Check } from "./checks/context.ts";
import { checkPlatform } from "./checks/platform.ts";
import { checkReferences } from "./checks/references.ts";
import { checkRules } from "./checks/rules.ts";
import { checkServiceOptions } from "./checks/service-options.ts";
import { parseEntities } from "./entities.ts";
import { IssueList, type ConfigIssue } from "./issues.ts";
import type { DynamicConfig } from "../schema/index.ts";
import { readShell } from "./shell.ts";
import type { CompiledRule } from "../rules/index.ts";

/** The routers' rules as validation compiled them, by rule text (see compileSnapshot). */
export type CompiledRules = ReadonlyMap<string, CompiledRule>;

export type ValidationResult =
  | { ok: true; config: DynamicConfig; warnings: ConfigIssue[]; rules: CompiledRules }
  | { ok: false; errors: ConfigIssue[]; warnings: ConfigIssue[] };

const CHECKS: readonly Check[] = [checkReferences, checkCycles, checkRules, checkMiddlewareOptions, checkPlatform, checkServiceOptions];

export function validateConfig(raw: unknown): ValidationResult {
  const issues = new IssueList();
  const { config, defined } = parseEntities(readShell(raw, issues), issues);
  const rules = new Map<string, CompiledRule>();
  for (const check of CHECKS) check({ config, defined, issues, rules });
  const errors = issues.errors;
  const warnings = issues.warnings;
  return errors.length > 0 ? { ok: false, errors, warnings } : { ok: true, config, warnings, rules };
}
