// What publishing a candidate would change (issue 18), for `switchyard plan` and POST <base>/plan:
// the field-level diff against the live config and, for the requests given, which would be routed
// elsewhere (from router → to router, null for 404). Pure: both configs are loaded and compiled
// here, in Node or in an isolate, the same way.
import { canonicalJSON, diffConfigFields, loadConfig, type ConfigIssue, type DynamicConfig, type FieldConfigDiff } from "../config/index.ts";
import { viewFromDescription, type RequestDescription, type RuleSyntax } from "../rules/index.ts";
import { routingMove, routingTable } from "./routing-diff.ts";

export interface PlannedMove {
  /** The request's position in the list given (0-based). */
  readonly index: number;
  readonly method: string;
  readonly url: string;
  readonly from: string | null;
  readonly to: string | null;
}

export interface Plan {
  /** The live version compared against (null: nothing published). */
  readonly live: number | null;
  /** Whether anything would change: a field, or a request's router. */
  readonly changes: boolean;
  readonly diff: FieldConfigDiff;
  readonly requests: number;
  readonly moved: PlannedMove[];
}

export type PlanResult = { ok: true; plan: Plan } | { ok: false; side: "live" | "candidate"; errors: ConfigIssue[] };

export interface PlanInput {
  /** The live config as published (canonical JSON data), null when none is. */
  readonly live: { readonly version: number; readonly config: unknown } | null;
  readonly candidate: unknown;
  readonly requests: readonly RequestDescription[];
  readonly defaultRuleSyntax?: RuleSyntax;
}

export function plan(input: PlanInput): PlanResult {
  const syntax = input.defaultRuleSyntax ?? "v3";
  const before = loadConfig(JSON.stringify(input.live?.config ?? {}), "json", { defaultRuleSyntax: syntax });
  if (!before.ok) return { ok: false, side: "live", errors: before.errors };
  const after = loadConfig(JSON.stringify(input.candidate ?? {}), "json", { defaultRuleSyntax: syntax });
  if (!after.ok) return { ok: false, side: "candidate", errors: after.errors };
  const diff = diffConfigFields(side(input.live?.version ?? 0, before.config), side(0, after.config));
  const liveTable = routingTable(before.config, before.rules, syntax);
  const candidateTable = routingTable(after.config, after.rules, syntax);
  const moved = input.requests.flatMap((r, index) => {
    const move = routingMove(liveTable, candidateTable, viewFromDescription({ ...r, method: r.method ?? "GET" }));
    return move ? [{ index, method: r.method ?? "GET", url: r.url, ...move }] : [];
  });
  const changed = (["routers", "services", "middlewares", "serversTransports"] as const).some((s) => Object.keys(diff[s].fields).length > 0);
  return { ok: true, plan: { live: input.live?.version ?? null, changes: changed || moved.length > 0, diff, requests: input.requests.length, moved } };
}

function side(version: number, config: DynamicConfig) {
  return { version, canonical: canonicalJSON(config) };
}
