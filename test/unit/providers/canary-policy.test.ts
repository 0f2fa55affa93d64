// The canary policy (providers/store/canary-policy.ts): defaults, what a push may ask, and each rule
// of the decision in its order; the figures it reads (canary-stats.ts): buckets, p99, sums, checks.
import { describe, expect, it } from "vitest";
import { decide, DEFAULT_POLICY, policyOf, P99_FLOOR_MS, type CanaryPolicy } from "../../../providers/store/canary-policy.ts";
import { addStats, bucketOf, checkStatsReport, emptyStats, LATENCY_BOUNDS_MS, p99Ms, type VersionStats } from "../../../providers/store/canary-stats.ts";

function stats(requests: number, errors: number, ms = 3, routers: Record<string, number> = {}): VersionStats {
  const s = emptyStats();
  s.requests = requests;
  s.errors = errors;
  s.buckets[bucketOf(ms)] = requests;
  s.routers = routers;
  return s;
}

const policy = (over: Partial<CanaryPolicy> = {}): CanaryPolicy => ({ ...DEFAULT_POLICY, steps: [25, 50, 100], minRequests: 100, promoteAfterMs: 60_000, ...over });
const step = { share: 5, next: 0, stepStartedAt: 0 };

describe("policyOf", () => {
  it("fills in the documented defaults and ends the steps at 100", () => {
    expect(policyOf({ share: 5 })).toEqual({ ok: true, value: { promoteAfterMs: 600_000, maxErrorRatio: 0.02, maxP99Ratio: 1.5, minRequests: 500, steps: [25, 50, 100] } });
    expect(policyOf({ share: 30 })).toMatchObject({ ok: true, value: { steps: [50, 100] } });
    expect(policyOf({ share: 10, steps: [50] })).toMatchObject({ ok: true, value: { steps: [50, 100] } });
    expect(policyOf({ share: 0.25, promoteAfterMs: 2_000, minRequests: 1 })).toMatchObject({ ok: true, value: { promoteAfterMs: 2_000, minRequests: 1 } });
  });

  it("refuses what is not a policy, at the field", () => {
    const path = (r: ReturnType<typeof policyOf>) => (r.ok ? null : r.error.path);
    expect(path(policyOf({ share: 0 }))).toBe("canary");
    expect(path(policyOf({ share: 100 }))).toBe("canary");
    expect(path(policyOf({ share: 5.001 }))).toBe("canary");
    expect(path(policyOf({ share: NaN }))).toBe("canary");
    expect(path(policyOf({ share: 5, steps: [50, 25] }))).toBe("steps");
    expect(path(policyOf({ share: 50, steps: [25] }))).toBe("steps");
    expect(path(policyOf({ share: 5, maxErrorRatio: 2 }))).toBe("maxErrorRatio");
    expect(path(policyOf({ share: 5, maxP99Ratio: 0.5 }))).toBe("maxP99Ratio");
    expect(path(policyOf({ share: 5, minRequests: 0 }))).toBe("minRequests");
    expect(path(policyOf({ share: 5, promoteAfterMs: -1 }))).toBe("promoteAfter");
  });
});

describe("decide", () => {
  it("holds until the candidate has served minRequests in the step, however bad it is", () => {
    expect(decide(policy(), step, { stable: stats(1000, 0), candidate: stats(99, 99) }, 1e9)).toMatchObject({ action: "hold", reason: "99 of 100 candidate requests in this step" });
  });

  it("rolls back when the candidate's 5xx ratio is more than maxErrorRatio above stable's, naming the worst router", () => {
    const d = decide(policy(), step, { stable: stats(1000, 10), candidate: stats(100, 4, 3, { api: 3, web: 1 }) }, 0);
    expect(d).toEqual({ action: "rollback", reason: "5xx ratio 0.0400 (4/100) vs stable 0.0100 (10/1000): more than 0.02 above; most 5xx from router api (3)" });
    // Exactly maxErrorRatio above is not worse; a stable as bad as the candidate is not either.
    expect(decide(policy(), step, { stable: stats(1000, 10), candidate: stats(100, 3) }, 0).action).toBe("hold");
    expect(decide(policy(), step, { stable: stats(1000, 500), candidate: stats(100, 50) }, 0).action).toBe("hold");
  });

  it("rolls back on a p99 above maxP99Ratio times stable's, never below the floor", () => {
    expect(decide(policy(), step, { stable: stats(1000, 0, 40), candidate: stats(100, 0, 200) }, 0)).toEqual({ action: "rollback", reason: "p99 250 ms vs stable 50 ms: more than 1.5 times" });
    // 3 ms vs 20 ms: both under the floor (P99_FLOOR_MS), noise.
    expect(decide(policy(), step, { stable: stats(1000, 0, 3), candidate: stats(100, 0, 20) }, 0).action).toBe("hold");
    expect(P99_FLOOR_MS).toBe(50);
    // Stable without minRequests of its own: no latency comparison.
    expect(decide(policy(), step, { stable: stats(10, 0, 3), candidate: stats(100, 0, 5000) }, 0).action).toBe("hold");
  });

  it("steps up after promoteAfter, and promotes after the last step", () => {
    const healthy = { stable: stats(1000, 1), candidate: stats(100, 0) };
    expect(decide(policy(), step, healthy, 59_999).action).toBe("hold");
    expect(decide(policy(), step, healthy, 60_000)).toMatchObject({ action: "step", share: 25 });
    expect(decide(policy(), { share: 25, next: 1, stepStartedAt: 0 }, healthy, 60_000)).toMatchObject({ action: "step", share: 50 });
    expect(decide(policy(), { share: 50, next: 2, stepStartedAt: 0 }, healthy, 60_000)).toMatchObject({ action: "promote" });
  });
});

describe("per-version figures", () => {
  it("buckets by upper bound, p99 as the bound of the 99th percentile's bucket", () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(5)).toBe(0);
    expect(bucketOf(5.1)).toBe(1);
    expect(bucketOf(10_001)).toBe(LATENCY_BOUNDS_MS.length);
    const s = emptyStats();
    expect(p99Ms(s)).toBeNull();
    s.requests = 100;
    s.buckets[0] = 99;
    s.buckets[bucketOf(300)] = 1;
    expect(p99Ms(s)).toBe(5);
    s.requests = 101;
    s.buckets[LATENCY_BOUNDS_MS.length] = 1;
    expect(p99Ms(s)).toBe(500);
    s.buckets[0] = 0;
    expect(p99Ms(s)).toBe(Infinity);
  });

  it("adds figures up, routers included", () => {
    const a = stats(10, 2, 3, { api: 2 });
    addStats(a, stats(5, 1, 30, { api: 1, web: 0 }));
    expect(a).toMatchObject({ requests: 15, errors: 3, routers: { api: 3, web: 0 } });
    expect(a.buckets[bucketOf(3)]).toBe(10);
    expect(a.buckets[bucketOf(30)]).toBe(5);
  });

  it("checks what a report carries before the store adds it", () => {
    expect(checkStatsReport(undefined)).toEqual({ ok: true, value: {} });
    expect(checkStatsReport({ "3": stats(2, 1) })).toEqual({ ok: true, value: { "3": stats(2, 1) } });
    for (const bad of [[], { x: stats(1, 0) }, { "3": { ...stats(1, 0), errors: 2 } }, { "3": { ...stats(1, 0), buckets: [1] } }, { "3": { ...stats(1, 0), routers: { a: -1 } } }]) {
      expect(checkStatsReport(bad).ok, JSON.stringify(bad)).toBe(false);
    }
  });
});
