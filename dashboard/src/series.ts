// The metrics history (GET <base>/metrics/history, CONTRACTS.md) as chart series: per router or
// service, requests per second (requests / step), error ratio (errors / requests; null without
// requests) and p50/p99 latency in milliseconds.
export interface HistoryEntry {
  readonly requests: readonly number[];
  readonly errors: readonly number[];
  readonly p50: readonly (number | null)[];
  readonly p99: readonly (number | null)[];
}
export interface MetricsHistory {
  readonly start: number;
  readonly step: number;
  readonly points: number;
  readonly routers?: Readonly<Record<string, HistoryEntry>>;
  readonly services?: Readonly<Record<string, HistoryEntry>>;
}
export interface Series {
  /** Unix seconds: each interval's start. */
  readonly t: number[];
  readonly rps: (number | null)[];
  readonly errorRatio: (number | null)[];
  readonly p50ms: (number | null)[];
  readonly p99ms: (number | null)[];
  readonly totalRequests: number;
  readonly totalErrors: number;
}

export function seriesOf(history: MetricsHistory, entry: HistoryEntry): Series {
  const t: number[] = [];
  const rps: (number | null)[] = [];
  const errorRatio: (number | null)[] = [];
  const p50ms: (number | null)[] = [];
  const p99ms: (number | null)[] = [];
  let totalRequests = 0;
  let totalErrors = 0;
  for (let i = 0; i < history.points; i++) {
    const requests = entry.requests[i] ?? 0;
    const errors = entry.errors[i] ?? 0;
    totalRequests += requests;
    totalErrors += errors;
    t.push(history.start + i * history.step);
    rps.push(requests / history.step);
    errorRatio.push(requests > 0 ? errors / requests : null);
    p50ms.push(ms(entry.p50[i]));
    p99ms.push(ms(entry.p99[i]));
  }
  return { t, rps, errorRatio, p50ms, p99ms, totalRequests, totalErrors };
}

/** The entries of one kind, busiest first. */
export function entriesOf(history: MetricsHistory, kind: "routers" | "services"): [string, HistoryEntry][] {
  const sum = (e: HistoryEntry) => e.requests.reduce((a, b) => a + b, 0);
  return Object.entries(history[kind] ?? {}).sort((x, y) => sum(y[1]) - sum(x[1]) || (x[0] < y[0] ? -1 : 1));
}

function ms(seconds: number | null | undefined): number | null {
  return typeof seconds === "number" && Number.isFinite(seconds) ? seconds * 1000 : null;
}
