// The metrics of one isolate, made from the Worker's settings: the store it flushes to (the METRICS
// Durable Object, in METRICS_SHARDS objects; without the binding, this isolate's memory), the flush
// interval, the Analytics Engine dataset if bound, and the server-health gauges.
import type { Snapshot } from "../compile/snapshot.ts";
import type { Env } from "../env.ts";
import { sampleServerUp } from "./health.ts";
import { DEFAULT_FLUSH_INTERVAL_MS, IsolateMetrics, memorySink, positiveSetting, storeSink } from "./isolate.ts";
import type { MetricsBinding } from "./store.ts";

export { IsolateMetrics, memorySink, storeSink, type MetricsSink } from "./isolate.ts";
export { RequestMetrics } from "./request.ts";
export { countingReloads } from "./reloads.ts";
export { CONTENT_TYPE } from "./exposition.ts";
export { MetricsStore, type MetricsBinding } from "./store.ts";

export type MetricsEnv = Pick<Env, "METRICS_FLUSH_INTERVAL_MS" | "METRICS_SHARDS" | "METRICS_DATASET"> & MetricsBinding;

export function isolateMetrics(env: MetricsEnv, isolate: string, current: () => Snapshot | null): IsolateMetrics {
  const sink = env.METRICS ? storeSink(env.METRICS, positiveSetting(env.METRICS_SHARDS, 1), isolate) : memorySink();
  return new IsolateMetrics(sink, {
    intervalMs: positiveSetting(env.METRICS_FLUSH_INTERVAL_MS, DEFAULT_FLUSH_INTERVAL_MS),
    dataset: env.METRICS_DATASET,
    sample: sampleServerUp(current),
  });
}
