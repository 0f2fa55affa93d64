// What every semantic check receives.
import type { DefinedNames } from "../entities.ts";
import type { IssueList } from "../issues.ts";
import type { DynamicConfig } from "../schema/index.ts";
import type { CompiledRule } from "../../rules/index.ts";

export interface CheckContext {
  /** The entities that passed their schema (the others were already reported). */
  readonly config: DynamicConfig;
  /** Every name defined, including entities that failed their schema. */
  readonly defined: DefinedNames;
  readonly issues: IssueList;
  /** Every rule that compiled, by its text: compiling the snapshot reuses them instead of compiling twice. */
  readonly rules: Map<string, CompiledRule>;
}

export type Check = (ctx: CheckContext) => void;

/** `[name, value]` pairs of one http section of the checked config. */
export function entries<K extends keyof NonNullable<DynamicConfig["http"]>>(
  ctx: CheckContext,
  section: K,
): [string, NonNullable<NonNullable<DynamicConfig["http"]>[K]>[string]][] {
  const map = ctx.config.http?.[section];
  return map ? Object.entries(map) : [];
}
