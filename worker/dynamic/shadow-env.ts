// The shadow evaluator of an isolate, from the Worker's variables (SHADOW_POLL_INTERVAL_MS,
// SHADOW_FLUSH_INTERVAL_MS, DEFAULT_RULE_SYNTAX) and bindings.
import { DEFAULT_KEYS } from "../../providers/store/keys.ts";
import type { Env } from "../env.ts";
import { parseDefaultRuleSyntax } from "../config/index.ts";
import { DEFAULT_SHADOW_FLUSH_MS, DEFAULT_SHADOW_POLL_MS, ShadowEvaluator, type ShadowSink } from "./shadow.ts";

type ShadowEnv = Pick<Env, "CONFIG_KV" | "SHADOW_POLL_INTERVAL_MS" | "SHADOW_FLUSH_INTERVAL_MS" | "DEFAULT_RULE_SYNTAX">;

function ms(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(n) && n >= 0 ? n : fallback;
}

export function shadowEvaluator(env: ShadowEnv, store: () => ShadowSink): ShadowEvaluator {
  const syntax = parseDefaultRuleSyntax(env.DEFAULT_RULE_SYNTAX, "DEFAULT_RULE_SYNTAX");
  const options = {
    pollIntervalMs: ms(env.SHADOW_POLL_INTERVAL_MS, DEFAULT_SHADOW_POLL_MS),
    flushIntervalMs: ms(env.SHADOW_FLUSH_INTERVAL_MS, DEFAULT_SHADOW_FLUSH_MS),
    defaultRuleSyntax: syntax.ok ? syntax.value : "v3",
  };
  return new ShadowEvaluator(options, { kv: () => env.CONFIG_KV, store, keys: DEFAULT_KEYS, now: Date.now, random: Math.random });
}
