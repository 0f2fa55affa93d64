// One isolate's metrics: the recorder, and the flush that hands its deltas to the store at most
// every METRICS_FLUSH_INTERVAL_MS, in the background (the caller gives the promise to waitUntil),
// one flush at a time. A failed flush puts its deltas back for the next one. /metrics flushes this
// isolate first, then reads the global figures.
import { writePoints, type PointWriter } from "./analytics.ts";
import { exposition } from "./exposition.ts";
import { familyNamed } from "./families.ts";
import { admitted, history, HISTORY_SECONDS, historyRows, slotOf, type History, type HistoryRow, type HistoryWindow } from "./history.ts";
import { Recorder } from "./recorder.ts";
import { RequestMetrics } from "./request.ts";
import { SeriesTable, STORE_MAX_SERIES, type Batch, type StoredFigures } from "./series.ts";
import type { MetricsStore, StoredHistory } from "./store.ts";

export const DEFAULT_FLUSH_INTERVAL_MS = 10_000;

/** Where the deltas go and the global figures come from. */
export interface MetricsSink {
  push(batch: Batch): Promise<void>;
  read(): Promise<StoredFigures>;
  /** The history rows with `from <= t < to` (unix s), every shard's. */
  history(from: number, to: number): Promise<StoredHistory>;
}

export interface IsolateMetricsOptions {
  readonly intervalMs: number;
  readonly dataset?: PointWriter;
  /** Called before each flush: gauges sampled from what the isolate knows (server health). */
  readonly sample?: (recorder: Recorder, nowMs: number) => void;
  readonly now?: () => number;
  readonly maxSeries?: number;
}

export class IsolateMetrics {
  readonly recorder: Recorder;
  readonly requests: RequestMetrics;
  private readonly sink: MetricsSink;
  private readonly options: IsolateMetricsOptions;
  private readonly now: () => number;
  private inflight: Promise<void> | null = null;
  private nextFlushAt: number;
  /** Flushes that failed (their deltas went back into the recorder). */
  failures = 0;

  constructor(sink: MetricsSink, options: IsolateMetricsOptions) {
    this.sink = sink;
    this.options = options;
    this.now = options.now ?? Date.now;
    this.recorder = new Recorder(options.maxSeries);
    this.requests = new RequestMetrics(this.recorder);
    this.nextFlushAt = this.now() + options.intervalMs;
  }

  /** Hot path: a clock compare. The flush it started (hand it to waitUntil), or null when none is due. */
  maybeFlush(): Promise<void> | null {
    if (this.inflight || this.now() < this.nextFlushAt) return null;
    return this.flush();
  }

  /** Flushes now (single flight: joins the one under way); never rejects. */
  flush(): Promise<void> {
    if (this.inflight) return this.inflight;
    const now = this.now();
    this.nextFlushAt = now + this.options.intervalMs;
    this.options.sample?.(this.recorder, now);
    if (this.recorder.empty) return Promise.resolve();
    const batch = this.recorder.take();
    if (this.options.dataset) writeAnalytics(this.options.dataset, batch);
    this.inflight = this.sink
      .push(batch)
      .catch((err: unknown) => {
        this.failures++;
        this.recorder.restore(batch);
        console.error("metrics flush failed (kept for the next one):", err instanceof Error ? err.message : err);
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  /** The Prometheus text of the global figures, after flushing this isolate's own. */
  async scrape(): Promise<string> {
    await this.flush();
    const figures = await this.sink.read();
    return exposition(figures.series, figures.dropped);
  }

  /** The per-router and per-service history over `w` (history.ts), after flushing this isolate's own. */
  async history(w: HistoryWindow): Promise<History> {
    await this.flush();
    const stored = await this.sink.history(w.start, w.start + w.points * w.step);
    return history(stored.rows, w, stored.dropped);
  }
}

/** Analytics Engine is a copy: a refusal there (a limit reached) is logged and never costs the store its batch. */
function writeAnalytics(dataset: PointWriter, batch: Batch): void {
  try {
    const left = writePoints(dataset, batch, (x) => familyNamed(x.f)?.labels ?? []);
    if (left > 0) console.warn(`metrics: ${left} series not written to Analytics Engine this flush (250 data points per invocation)`);
  } catch (err) {
    console.error("metrics: Analytics Engine refused a data point:", err instanceof Error ? err.message : err);
  }
}

/** Without a METRICS binding: this isolate's own figures, kept in memory (a single-isolate view). */
export function memorySink(now: () => number = Date.now): MetricsSink {
  const table = new SeriesTable(STORE_MAX_SERIES);
  const slots = new Map<number, { names: Set<string>; rows: Map<string, HistoryRow>; dropped: number }>();
  return {
    push: async (batch) => {
      for (const x of batch.series) table.add(x);
      const t = slotOf(now());
      const slot = slots.get(t) ?? { names: new Set<string>(), rows: new Map<string, HistoryRow>(), dropped: 0 };
      slots.set(t, slot);
      const fresh = admitted(historyRows(batch, t), slot.names);
      slot.dropped += fresh.dropped;
      for (const row of fresh.rows) {
        const known = slot.rows.get(`${row.k}\u0000${row.name}`);
        if (known) row.n.forEach((v, i) => (known.n[i]! += v));
        else slot.rows.set(`${row.k}\u0000${row.name}`, row);
      }
      for (const old of slots.keys()) if (old < t - HISTORY_SECONDS) slots.delete(old);
    },
    read: async () => ({ series: table.series(), dropped: table.dropped }),
    history: async (from, to) => {
      const inWindow = [...slots].filter(([t]) => t >= from && t < to).map(([, slot]) => slot);
      return { rows: inWindow.flatMap((slot) => [...slot.rows.values()]), dropped: inWindow.reduce((n, slot) => n + slot.dropped, 0) };
    },
  };
}

/**
 * The metrics store, in `shards` objects: an isolate always flushes to the same one (by a hash of
 * its id), a read asks every shard and sums. A stub is made per call: it belongs to the request
 * that made it (workerd refuses I/O through it from another), the ids are kept.
 */
export function storeSink(namespace: DurableObjectNamespace<MetricsStore>, shards: number, isolate: string): MetricsSink {
  const ids = Array.from({ length: shards }, (_, i) => namespace.idFromName(`metrics-${i}`));
  const mine = ids[fnv1a(isolate) % shards]!;
  return {
    push: async (batch) => {
      await namespace.get(mine).push(batch);
    },
    read: async () => {
      const all = await Promise.all(ids.map((id) => namespace.get(id).read()));
      if (all.length === 1) return all[0]!;
      const table = new SeriesTable(STORE_MAX_SERIES * shards);
      for (const figures of all) for (const x of figures.series) table.add(x);
      return { series: table.series(), dropped: all.reduce((n, f) => n + f.dropped, 0) };
    },
    // Rows of the same slot and name from several shards are summed by history() itself.
    history: async (from, to) => {
      const all = await Promise.all(ids.map((id) => namespace.get(id).history(from, to)));
      return { rows: all.flatMap((h) => h.rows), dropped: all.reduce((n, h) => n + h.dropped, 0) };
    },
  };
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A positive integer setting, else the default. */
export function positiveSetting(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n > 0 ? n : fallback;
}
