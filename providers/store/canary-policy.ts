// A canary's policy and the one decision the config store's alarm takes from it (pure): hold,
// roll back, go to the next step, or promote to every client. docs/safe-changes.md states the
// rules in words; this file is their definition.
import type { Result } from "../../worker/go/result.ts";
import { errorRatio, p99Ms, type VersionStats } from "./canary-stats.ts";

export interface CanaryPolicy {
  /** How long each step lasts at least before the next (ms). */
  readonly promoteAfterMs: number;
  /** The candidate's 5xx ratio may exceed stable's by at most this much (absolute, 0..1). */
  readonly maxErrorRatio: number;
  /** The candidate's p99 may be at most this many times stable's. */
  readonly maxP99Ratio: number;
  /** Requests the candidate must have served in a step before any decision about it. */
  readonly minRequests: number;
  /** The shares (percent) after the first, ending at 100. */
  readonly steps: readonly number[];
}

export const DEFAULT_POLICY: Omit<CanaryPolicy, "steps"> = {
  promoteAfterMs: 10 * 60_000,
  maxErrorRatio: 0.02,
  maxP99Ratio: 1.5,
  minRequests: 500,
};
export const DEFAULT_STEPS: readonly number[] = [25, 50, 100];
/** Latencies below this never count as worse (p99 buckets are coarse at the low end, and noise is large there). */
export const P99_FLOOR_MS = 50;
export const MAX_STEPS = 10;
/** The longest a step may be told to last (a day). */
export const MAX_PROMOTE_AFTER_MS = 86_400_000;

/** What a push asks for; every field optional but the first share. */
export interface CanaryRequest {
  readonly share: number;
  readonly header?: string;
  readonly promoteAfterMs?: number;
  readonly maxErrorRatio?: number;
  readonly maxP99Ratio?: number;
  readonly minRequests?: number;
  readonly steps?: readonly number[];
}

/** The share a canary starts at: a percent above 0 and below 100, at most two decimals. */
export function isShare(n: unknown): n is number {
  return typeof n === "number" && n > 0 && n < 100 && Math.round(n * 100) === n * 100;
}

/** The request's policy with the defaults filled in, or why it is not one (path: the field). */
export function policyOf(req: CanaryRequest): Result<CanaryPolicy, { path: string; message: string }> {
  if (!isShare(req.share)) return bad("canary", `must be a percent above 0 and below 100 with at most two decimals, got ${String(req.share)}`);
  const p = { ...DEFAULT_POLICY, ...defined(req) };
  if (!Number.isSafeInteger(p.promoteAfterMs) || p.promoteAfterMs < 0 || p.promoteAfterMs > MAX_PROMOTE_AFTER_MS) return bad("promoteAfter", `must be a duration from 0 to 24h`);
  if (!(p.maxErrorRatio >= 0 && p.maxErrorRatio <= 1)) return bad("maxErrorRatio", "must be a number from 0 to 1");
  if (!(p.maxP99Ratio >= 1 && p.maxP99Ratio <= 1000)) return bad("maxP99Ratio", "must be a number from 1 to 1000");
  if (!Number.isSafeInteger(p.minRequests) || p.minRequests < 1) return bad("minRequests", "must be a whole number >= 1");
  const steps = [...(req.steps ?? DEFAULT_STEPS.filter((s) => s > req.share))];
  if (steps[steps.length - 1] !== 100) steps.push(100);
  const ascending = steps.every((s, i) => (i === steps.length - 1 ? s === 100 : isShare(s)) && s > (i === 0 ? req.share : steps[i - 1]!));
  if (!ascending || steps.length > MAX_STEPS) return bad("steps", `must rise above the first share to 100, at most ${MAX_STEPS} steps, got ${steps.join(",")}`);
  return { ok: true, value: { promoteAfterMs: p.promoteAfterMs, maxErrorRatio: p.maxErrorRatio, maxP99Ratio: p.maxP99Ratio, minRequests: p.minRequests, steps } };
}

function defined(req: CanaryRequest): Partial<CanaryPolicy> {
  const out: Record<string, unknown> = {};
  for (const k of ["promoteAfterMs", "maxErrorRatio", "maxP99Ratio", "minRequests"] as const) if (req[k] !== undefined) out[k] = req[k];
  return out as Partial<CanaryPolicy>;
}

function bad(path: string, message: string): { ok: false; error: { path: string; message: string } } {
  return { ok: false, error: { path, message } };
}

export interface StepState {
  readonly share: number;
  /** Index in policy.steps of the next share (steps.length: none left). */
  readonly next: number;
  readonly stepStartedAt: number;
}

export type Decision =
  | { readonly action: "hold"; readonly reason: string }
  | { readonly action: "rollback"; readonly reason: string }
  | { readonly action: "step"; readonly share: number; readonly reason: string }
  | { readonly action: "promote"; readonly reason: string };

/**
 * The rules, in order: nothing is decided before the candidate has served minRequests in this
 * step; then it is rolled back when its 5xx ratio exceeds stable's by more than maxErrorRatio, or
 * when its p99 is above P99_FLOOR_MS and more than maxP99Ratio times stable's (stable needs
 * minRequests too for that comparison); otherwise, once the step has lasted promoteAfter, the
 * next share, and after the last one (100) the candidate becomes stable.
 */
export function decide(policy: CanaryPolicy, state: StepState, stats: { stable: VersionStats; candidate: VersionStats }, now: number): Decision {
  const { stable, candidate } = stats;
  if (candidate.requests < policy.minRequests) return { action: "hold", reason: `${candidate.requests} of ${policy.minRequests} candidate requests in this step` };
  const ratios = { candidate: errorRatio(candidate), stable: errorRatio(stable) };
  if (ratios.candidate - ratios.stable > policy.maxErrorRatio) {
    return { action: "rollback", reason: `5xx ratio ${fmt(ratios.candidate)} (${candidate.errors}/${candidate.requests}) vs stable ${fmt(ratios.stable)} (${stable.errors}/${stable.requests}): more than ${policy.maxErrorRatio} above${worstRouter(candidate)}` };
  }
  const p99 = { candidate: p99Ms(candidate), stable: p99Ms(stable) };
  if (stable.requests >= policy.minRequests && p99.candidate !== null && p99.stable !== null && p99.candidate > P99_FLOOR_MS && p99.candidate > policy.maxP99Ratio * Math.max(p99.stable, P99_FLOOR_MS)) {
    return { action: "rollback", reason: `p99 ${p99.candidate} ms vs stable ${p99.stable} ms: more than ${policy.maxP99Ratio} times` };
  }
  const held = now - state.stepStartedAt;
  if (held < policy.promoteAfterMs) return { action: "hold", reason: `healthy; step at ${state.share}% for ${Math.round(held / 1000)} s of ${Math.round(policy.promoteAfterMs / 1000)} s` };
  const why = `healthy for ${Math.round(held / 1000)} s at ${state.share}%: 5xx ratio ${fmt(ratios.candidate)} vs ${fmt(ratios.stable)}, p99 ${p99.candidate} ms vs ${p99.stable ?? "-"} ms, ${candidate.requests} requests`;
  const share = policy.steps[state.next];
  if (share === undefined || share === 100) return { action: "promote", reason: why };
  return { action: "step", share, reason: why };
}

function fmt(ratio: number): string {
  return ratio.toFixed(4);
}

function worstRouter(s: VersionStats): string {
  const worst = Object.entries(s.routers).sort((a, b) => b[1] - a[1])[0];
  return worst ? `; most 5xx from router ${worst[0]} (${worst[1]})` : "";
}
