// What every semantic check receives.
import type { DefinedNames } from "../entities.ts";
import type { IssueList } from "../issues.ts";
import type { DynamicConfig } from "../../schema/index.ts";
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

type Section = NonNullable<DynamicConfig["http"]>;

// Every check reads the sections it cares about: each section's pairs are listed once per config.
const pairs = new WeakMap<object, [string, unknown][]>();

/** `[name, value]` pairs of one http section of the checked config. */
export function entries<K extends keyof Section>(ctx: CheckContext, section: K): [string, NonNullable<Section[K]>[string]][] {
  const map = ctx.config.http?.[section];
  if (!map) return [];
  let listed = pairs.get(map);
  if (listed === undefined) pairs.set(map, (listed = Object.entries(map)));
  return listed as [string, NonNullable<Section[K]>[string]][];
}
