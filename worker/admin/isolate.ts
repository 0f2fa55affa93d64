// What the admin API reads of this isolate, handed in by the entry (worker/runtime.ts fills it):
// admin does not import the runtime, which is built above it.
import type { Snapshot } from "../compile/snapshot.ts";
import type { WatcherStatus } from "../dynamic/watcher.ts";
import type { History, HistoryWindow } from "../metrics/history.ts";

/** <base>/status: this isolate, its config source, and what it serves. */
export interface IsolateStatus extends WatcherStatus {
  readonly isolate: string;
  readonly source: string;
  readonly pollIntervalMs: number;
  /** `load`: "facts" when built from the config store's load facts, "validated" when validated here. */
  readonly serving: { readonly version: number; readonly sha256: string; readonly provider: string; readonly load?: "facts" | "validated" } | null;
}

export interface AdminIsolate {
  /** ADMIN_BASE_PATH, normalised once (admin/index.ts adminBase). */
  readonly base: string;
  /**
   * The snapshot this isolate serves; a cold isolate waits a little for its first config (as a
   * routed request would, but bounded: the admin API must answer even when KV does not), then
   * null (the API answers 503).
   */
  loaded(): Promise<Snapshot | null>;
  status(): IsolateStatus;
  /** <base>/metrics: the global figures in Prometheus text (this isolate's own flushed first). */
  metrics(): Promise<string>;
  /** <base>/metrics/history: the per-router and per-service history over the window (every shard, this isolate's own flushed first). */
  metricsHistory(window: HistoryWindow): Promise<History>;
}
