// Per-version request figures for a canary: what each isolate counts per served version between two
// fleet reports (worker/fleet/version-stats.ts), and what the config store adds up per canary step
// to compare the candidate with the stable version. A latency histogram (fixed bounds, so sums of
// any number of isolates stay exact) gives the p99; 5xx are counted overall and per router.
import type { Result } from "../../worker/go/result.ts";

/** Upper bounds of the latency buckets in ms; the last bucket (beyond 10 s) has no bound. */
export const LATENCY_BOUNDS_MS: readonly number[] = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000];
const BUCKETS = LATENCY_BOUNDS_MS.length + 1;
/** Routers whose 5xx are kept per version (beyond: counted in `errors` only). */
export const MAX_ROUTERS = 50;
const MAX_ROUTER_NAME = 200;
const MAX_VERSIONS_PER_REPORT = 8;

export interface VersionStats {
  requests: number;
  /** 5xx responses. */
  errors: number;
  /** Counts per latency bucket (LATENCY_BOUNDS_MS, then the unbounded one). */
  buckets: number[];
  /** 5xx per router name. */
  routers: Record<string, number>;
}

/** What a fleet report carries: per served version, the figures since the previous report. */
export type VersionStatsReport = Record<string, VersionStats>;

export function emptyStats(): VersionStats {
  return { requests: 0, errors: 0, buckets: new Array<number>(BUCKETS).fill(0), routers: {} };
}

export function bucketOf(ms: number): number {
  const i = LATENCY_BOUNDS_MS.findIndex((bound) => ms <= bound);
  return i === -1 ? BUCKETS - 1 : i;
}

/** Adds `more` into `into` (router names beyond MAX_ROUTERS are dropped). */
export function addStats(into: VersionStats, more: VersionStats): void {
  into.requests += more.requests;
  into.errors += more.errors;
  for (let i = 0; i < BUCKETS; i++) into.buckets[i] = (into.buckets[i] ?? 0) + (more.buckets[i] ?? 0);
  for (const [router, n] of Object.entries(more.routers)) {
    if (Object.hasOwn(into.routers, router) || Object.keys(into.routers).length < MAX_ROUTERS) into.routers[router] = (into.routers[router] ?? 0) + n;
  }
}

/** 5xx / requests (0 without requests). */
export function errorRatio(s: VersionStats): number {
  return s.requests === 0 ? 0 : s.errors / s.requests;
}

/**
 * The 99th percentile as the upper bound of the bucket it falls in (ms), Infinity when it is beyond
 * the last bound, null without requests. Bucket bounds make it coarse by design: a factor of 2 to 2.5.
 */
export function p99Ms(s: VersionStats): number | null {
  if (s.requests === 0) return null;
  const wanted = Math.ceil(s.requests * 0.99);
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    seen += s.buckets[i] ?? 0;
    if (seen >= wanted) return LATENCY_BOUNDS_MS[i] ?? Infinity;
  }
  return Infinity;
}

/** A report's `versionStats` as the store accepts it: any Worker with the binding may call, so bounded. */
export function checkStatsReport(raw: unknown): Result<VersionStatsReport, string> {
  if (raw === undefined || raw === null) return { ok: true, value: {} };
  if (!isObject(raw)) return { ok: false, error: "versionStats must be an object" };
  const entries = Object.entries(raw);
  if (entries.length > MAX_VERSIONS_PER_REPORT) return { ok: false, error: `versionStats names more than ${MAX_VERSIONS_PER_REPORT} versions` };
  const out: VersionStatsReport = {};
  for (const [version, stats] of entries) {
    if (!/^\d{1,16}$/.test(version)) return { ok: false, error: `versionStats: ${JSON.stringify(version.slice(0, 20))} is not a version` };
    const checked = checkStats(stats);
    if (!checked) return { ok: false, error: `versionStats.${version} must be {requests, errors, buckets[${BUCKETS}], routers}` };
    out[version] = checked;
  }
  return { ok: true, value: out };
}

function checkStats(raw: unknown): VersionStats | null {
  if (!isObject(raw) || !isCount(raw.requests) || !isCount(raw.errors) || raw.errors > raw.requests) return null;
  if (!Array.isArray(raw.buckets) || raw.buckets.length !== BUCKETS || !raw.buckets.every(isCount)) return null;
  if (!isObject(raw.routers)) return null;
  const routers: Record<string, number> = {};
  for (const [name, n] of Object.entries(raw.routers).slice(0, MAX_ROUTERS)) {
    if (!isCount(n)) return null;
    routers[name.slice(0, MAX_ROUTER_NAME)] = n;
  }
  return { requests: raw.requests, errors: raw.errors, buckets: [...(raw.buckets as number[])], routers };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
