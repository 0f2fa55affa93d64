// The recent history of the per-router and per-service figures, for the dashboard's charts
// (GET <base>/metrics/history): each flush adds its requests, 5xx responses and latency-histogram
// buckets into the 10-second slot it arrived in, per router and per service; an hour of slots is
// kept. A read sums the slots (of every shard) into the points asked for and estimates p50/p99
// from the summed buckets as Prometheus' histogram_quantile does. Pure: the store keeps the rows.
import { BUCKETS, FAMILIES } from "./families.ts";
import type { Batch } from "./series.ts";

/** The slot width (s): the finest step a history read may ask for. */
export const SLOT_SECONDS = 10;
/** How far back the history goes (s). */
export const HISTORY_SECONDS = 3600;
/** Routers and services (together) one slot keeps; later ones in that slot are dropped and counted. */
export const SLOT_MAX_NAMES = 500;

export const ROUTER = 0;
export const SERVICE = 1;
export type Kind = typeof ROUTER | typeof SERVICE;

/** One router's or service's figures in one slot. */
export interface HistoryRow {
  /** The slot's start (unix s). */
  t: number;
  k: Kind;
  name: string;
  /** [requests, 5xx, then the per-bucket counts of BUCKETS (not cumulative; above the last is requests minus their sum)]. */
  n: number[];
}

/** The slot a time (ms since the epoch) falls in, as its start in unix seconds. */
export function slotOf(nowMs: number): number {
  return Math.floor(nowMs / 1000 / SLOT_SECONDS) * SLOT_SECONDS;
}

/**
 * A batch's router and service figures, summed per name, as rows of slot `t`. The duration
 * histograms carry the request count (their `*_requests_total` twins hold the same number, so
 * only the histograms are read); a 5xx is a `code` label starting with 5.
 */
export function historyRows(batch: Batch, t: number): HistoryRow[] {
  const byKey = new Map<string, HistoryRow>();
  const list = Array.isArray(batch?.series) ? batch.series : [];
  for (const x of list) {
    const kind = x.f === FAMILIES.routerDuration.name ? ROUTER : x.f === FAMILIES.serviceDuration.name ? SERVICE : null;
    if (kind === null || !Array.isArray(x.l) || !Array.isArray(x.b) || x.b.length !== BUCKETS.length) continue;
    const name = x.l[3];
    if (typeof name !== "string" || !Number.isFinite(x.v) || x.v < 0 || !x.b.every((n: number) => Number.isFinite(n) && n >= 0)) continue;
    const key = `${kind}\u0000${name}`;
    let row = byKey.get(key);
    if (!row) byKey.set(key, (row = { t, k: kind, name, n: new Array<number>(2 + BUCKETS.length).fill(0) }));
    const n = row.n;
    n[0]! += x.v;
    if (String(x.l[0]).startsWith("5")) n[1]! += x.v;
    for (let i = 0; i < BUCKETS.length; i++) n[2 + i]! += x.b[i]!;
  }
  return [...byKey.values()];
}

/**
 * The rows a slot takes, given the names (`kind\0name`) it already holds (updated here): a name
 * new to the slot once it holds SLOT_MAX_NAMES is left out, its requests counted in `dropped`.
 */
export function admitted(rows: readonly HistoryRow[], names: Set<string>): { rows: HistoryRow[]; dropped: number } {
  const kept: HistoryRow[] = [];
  let dropped = 0;
  for (const row of rows) {
    const key = `${row.k}\u0000${row.name}`;
    if (!names.has(key)) {
      if (names.size >= SLOT_MAX_NAMES) {
        dropped += row.n[0]!;
        continue;
      }
      names.add(key);
    }
    kept.push(row);
  }
  return { rows: kept, dropped };
}

/** One series of the answer. */
export interface HistorySeries {
  requests: number[];
  errors: number[];
  p50: (number | null)[];
  p99: (number | null)[];
}

/** The answer of GET <base>/metrics/history (docs/metrics.md, "History"). */
export interface History {
  start: number;
  step: number;
  points: number;
  routers: Record<string, HistorySeries>;
  services: Record<string, HistorySeries>;
  /** Requests (router and service figures together) left out of a slot at its SLOT_MAX_NAMES cap, in the window. */
  dropped?: number;
}

export interface HistoryWindow {
  readonly start: number;
  readonly step: number;
  readonly points: number;
}

/**
 * `window` and `step` (query text, seconds) checked, and the points they make, ending with the
 * interval that holds `nowMs` (so the last point is still filling). Errors are the 400's message.
 */
export function historyWindow(windowText: string | null, stepText: string | null, nowMs: number): HistoryWindow | string {
  const window = windowText === null ? HISTORY_SECONDS : Number(windowText);
  const step = stepText === null ? 60 : Number(stepText);
  if (!Number.isInteger(window) || window < SLOT_SECONDS || window > HISTORY_SECONDS) {
    return `window must be an integer number of seconds from ${SLOT_SECONDS} to ${HISTORY_SECONDS}, got ${JSON.stringify(windowText)}`;
  }
  if (!Number.isInteger(step) || step < SLOT_SECONDS || step > window || step % SLOT_SECONDS !== 0) {
    return `step must be a multiple of ${SLOT_SECONDS} seconds from ${SLOT_SECONDS} to the window (${window}), got ${JSON.stringify(stepText)}`;
  }
  const points = Math.ceil(window / step);
  const end = Math.floor(nowMs / 1000 / step) * step + step;
  return { start: end - points * step, step, points };
}

/** Sums rows (from any number of shards, in any order) into the window's points. */
export function history(rows: Iterable<HistoryRow>, w: HistoryWindow, dropped = 0): History {
  const sums = [new Map<string, number[][]>(), new Map<string, number[][]>()];
  for (const row of rows) {
    const i = Math.floor((row.t - w.start) / w.step);
    if (i < 0 || i >= w.points) continue;
    const byName = sums[row.k]!;
    let cells = byName.get(row.name);
    if (!cells) byName.set(row.name, (cells = Array.from({ length: w.points }, () => new Array<number>(2 + BUCKETS.length).fill(0))));
    const cell = cells[i]!;
    for (let j = 0; j < cell.length; j++) cell[j]! += row.n[j] ?? 0;
  }
  const out: History = { start: w.start, step: w.step, points: w.points, routers: series(sums[ROUTER]!), services: series(sums[SERVICE]!) };
  if (dropped > 0) out.dropped = dropped;
  return out;
}

function series(byName: Map<string, number[][]>): Record<string, HistorySeries> {
  const out: Record<string, HistorySeries> = {};
  for (const name of [...byName.keys()].sort()) {
    const cells = byName.get(name)!;
    out[name] = {
      requests: cells.map((c) => c[0]!),
      errors: cells.map((c) => c[1]!),
      p50: cells.map((c) => quantile(0.5, c[0]!, c.slice(2))),
      p99: cells.map((c) => quantile(0.99, c[0]!, c.slice(2))),
    };
  }
  return out;
}

/**
 * The q-quantile (seconds) of `count` observations in BUCKETS (per-bucket counts, not cumulative),
 * as Prometheus' histogram_quantile: find the bucket the rank q·count falls in and interpolate
 * linearly inside it (the first bucket starts at 0); a rank in the +Inf bucket answers the largest
 * finite bound (5 s). null without observations.
 */
export function quantile(q: number, count: number, buckets: readonly number[]): number | null {
  if (!(count > 0)) return null;
  const rank = q * count;
  let below = 0;
  for (let i = 0; i < BUCKETS.length; i++) {
    const inside = buckets[i] ?? 0;
    if (below + inside >= rank && inside > 0) {
      const lower = i === 0 ? 0 : BUCKETS[i - 1]!;
      return lower + (BUCKETS[i]! - lower) * ((rank - below) / inside);
    }
    below += inside;
  }
  return BUCKETS[BUCKETS.length - 1]!;
}
