// Analytics Engine, when a dataset is bound (METRICS_DATASET): one data point per series per flush,
// not per request, so the cost follows the series an isolate saw in an interval, not its traffic.
// Columns are fixed across families so one SQL query reads them all (README, "Metrics").
import { FAMILIES } from "./families.ts";
import type { Batch, Series } from "./series.ts";

/** Cloudflare's limit on writeDataPoint calls per Worker invocation (the flush's invocation). */
export const MAX_POINTS_PER_FLUSH = 250;

/** The part of AnalyticsEngineDataset this uses (a test hands in a recording fake). */
export interface PointWriter {
  writeDataPoint(point: { indexes?: string[]; blobs?: string[]; doubles?: number[] }): void;
}

/** Label → blob column, the same for every family (blob1 is the family). */
const COLUMNS = ["code", "method", "protocol", "router", "service", "entrypoint", "url"] as const;

/** The counters are their histogram's _count: one point per histogram carries both. */
const SKIPPED = new Set<string>([FAMILIES.entryPointRequests.name, FAMILIES.routerRequests.name, FAMILIES.serviceRequests.name]);

/** Writes the batch's points; returns how many series did not fit under the per-invocation limit. */
export function writePoints(dataset: PointWriter, batch: Batch, labelsOf: (x: Series) => readonly string[]): number {
  let written = 0;
  let left = 0;
  for (const x of batch.series) {
    if (SKIPPED.has(x.f)) continue;
    if (written >= MAX_POINTS_PER_FLUSH) {
      left++;
      continue;
    }
    dataset.writeDataPoint(point(x, labelsOf(x)));
    written++;
  }
  return left;
}

/**
 * blob1 family, blob2.. the labels by COLUMNS ("" where the family has none); double1 the count (or
 * the gauge's value), double2 the sum of seconds, double3..6 the per-bucket counts (le 0.1, 0.3, 1.2, 5).
 */
function point(x: Series, names: readonly string[]) {
  const blobs = [x.f, ...COLUMNS.map((c) => x.l[names.indexOf(c)] ?? "")];
  const doubles = [x.v, x.s ?? 0, ...(x.b ?? [])];
  return { indexes: [x.f], blobs, doubles };
}
