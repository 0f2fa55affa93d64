// One series' figures, as an isolate reports a delta and as the store keeps the sum: the same shape
// both ways, so merging a delta into the global figures is one function (mergeSeries).
import { BUCKETS, familyNamed, type Family } from "./families.ts";

export interface Series {
  /** The family's name (families.ts). */
  readonly f: string;
  /** Label values, in the family's label order. */
  readonly l: readonly string[];
  /** Counter: the count. Histogram: the observation count. Gauge: the value. */
  v: number;
  /** Histogram only: the sum of the observations (seconds). */
  s?: number;
  /** Histogram only: per-bucket counts, not cumulative (BUCKETS.length of them; above the last is v minus their sum). */
  b?: number[];
  /** Gauge only: when the value was observed (ms since the epoch), for `last` gauges. */
  at?: number;
}

/** What one isolate sends per flush: the deltas since its last successful flush. */
export interface Batch {
  readonly series: readonly Series[];
}

/** Series one store keeps (a bound on label cardinality; beyond it observations are dropped and counted). */
export const STORE_MAX_SERIES = 50_000;

/** What a store's read answers: the summed series and what it dropped at its cap. */
export interface StoredFigures {
  readonly series: Series[];
  readonly dropped: number;
}

/** A series' identity: its family and label values (NUL cannot occur in a header or a config name). */
export function seriesId(f: string, labels: readonly string[]): string {
  return labels.length === 0 ? f : `${f}\u0000${labels.join("\u0000")}`;
}

/** Whether a reported series is well-formed for a family this build knows (a store never trusts the wire). */
export function validSeries(x: Series): Family | null {
  const family = familyNamed(x.f);
  if (!family || !Array.isArray(x.l) || x.l.length !== family.labels.length || !x.l.every((v) => typeof v === "string")) return null;
  if (!Number.isFinite(x.v)) return null;
  if (family.kind === "histogram") {
    if (!Number.isFinite(x.s) || !Array.isArray(x.b) || x.b.length !== BUCKETS.length || !x.b.every(Number.isFinite)) return null;
  }
  return family;
}

/** Adds `delta` into `into` (same series) by the family's merge rule. */
export function mergeSeries(into: Series, delta: Series, family: Family): void {
  switch (family.merge) {
    case "sum":
      into.v += delta.v;
      if (into.b && delta.b) {
        into.s = (into.s ?? 0) + (delta.s ?? 0);
        for (let i = 0; i < into.b.length; i++) into.b[i]! += delta.b[i] ?? 0;
      }
      return;
    case "max":
      into.v = Math.max(into.v, delta.v);
      return;
    case "last":
      if ((delta.at ?? 0) >= (into.at ?? 0)) {
        into.v = delta.v;
        into.at = delta.at;
      }
  }
}

/** A copy that merging into will not share arrays with `x`. */
export function copySeries(x: Series): Series {
  const out: Series = { f: x.f, l: [...x.l], v: x.v };
  if (x.s !== undefined) out.s = x.s;
  if (x.b) out.b = [...x.b];
  if (x.at !== undefined) out.at = x.at;
  return out;
}

/**
 * Global figures: series by id, at most `cap` of them. A series past the cap is dropped and
 * counted (switchyard_metrics_dropped_series_total), so memory stays bounded whatever the labels.
 */
export class SeriesTable {
  readonly byId = new Map<string, Series>();
  dropped = 0;
  private readonly cap: number;

  constructor(cap: number) {
    this.cap = cap;
  }

  /** Merges one reported series; returns the stored one it changed, or null (malformed, or dropped). */
  add(delta: Series): Series | null {
    const family = validSeries(delta);
    if (!family) return null;
    const id = seriesId(delta.f, delta.l);
    const known = this.byId.get(id);
    if (known) {
      mergeSeries(known, delta, family);
      return known;
    }
    if (this.byId.size >= this.cap) {
      this.dropped += family.kind === "gauge" ? 1 : delta.v;
      return null;
    }
    const fresh = copySeries(delta);
    this.byId.set(id, fresh);
    return fresh;
  }

  series(): Series[] {
    return [...this.byId.values()];
  }
}
