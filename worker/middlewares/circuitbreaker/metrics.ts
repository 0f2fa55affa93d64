// What a circuit breaker's expression reads, as Traefik's (oxy's memmetrics): counters over a
// rolling window of 10 one-second buckets, and latencies over 6 ten-second buckets, aligned on the
// clock. A 502 or 504 counts as a network error whoever produced it (oxy counts status codes).

/** Counts over the last `buckets` whole periods of `resolutionMs` (the current one included). */
export class RollingCounter {
  private readonly buckets: number;
  private readonly resolutionMs: number;
  private readonly values: number[];
  private readonly periods: number[];

  constructor(buckets: number, resolutionMs: number) {
    this.buckets = buckets;
    this.resolutionMs = resolutionMs;
    this.values = new Array<number>(buckets).fill(0);
    this.periods = new Array<number>(buckets).fill(-Infinity);
  }

  inc(now: number, by = 1): void {
    const period = Math.floor(now / this.resolutionMs);
    const slot = period % this.buckets;
    if (this.periods[slot] !== period) {
      this.periods[slot] = period;
      this.values[slot] = 0;
    }
    this.values[slot] = (this.values[slot] ?? 0) + by;
  }

  count(now: number): number {
    const oldest = Math.floor(now / this.resolutionMs) - this.buckets;
    let sum = 0;
    for (let i = 0; i < this.buckets; i++) if ((this.periods[i] ?? -Infinity) > oldest) sum += this.values[i] ?? 0;
    return sum;
  }
}

/**
 * Latencies (microseconds) in buckets of at most 1% relative width, as Traefik's HDR histogram with
 * two significant figures: a quantile reads as the highest value of its bucket.
 */
export class LatencyHistogram {
  private readonly buckets: number;
  private readonly resolutionMs: number;
  private readonly slots: Map<number, number>[];
  private readonly periods: number[];

  constructor(buckets = 6, resolutionMs = 10_000) {
    this.buckets = buckets;
    this.resolutionMs = resolutionMs;
    this.slots = Array.from({ length: buckets }, () => new Map<number, number>());
    this.periods = new Array<number>(buckets).fill(-Infinity);
  }

  record(now: number, micros: number): void {
    // HDR's range in oxy: 1 µs to 1 hour; values outside are not recorded.
    if (micros > 3_600_000_000) return;
    const period = Math.floor(now / this.resolutionMs);
    const slot = period % this.buckets;
    const counts = this.slots[slot];
    if (!counts) return;
    if (this.periods[slot] !== period) {
      this.periods[slot] = period;
      counts.clear();
    }
    const key = bucketOf(Math.max(1, Math.round(micros)));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  /** The latency at quantile q (0–100) in microseconds; 0 when nothing was recorded. */
  atQuantile(now: number, q: number): number {
    const merged = this.merged(now);
    let total = 0;
    for (const count of merged.values()) total += count;
    if (total === 0) return 0;
    const wanted = Math.max(1, Math.floor((Math.min(q, 100) / 100) * total + 0.5));
    let seen = 0;
    for (const key of [...merged.keys()].sort((a, b) => a - b)) {
      seen += merged.get(key) ?? 0;
      if (seen >= wanted) return highestEquivalent(key);
    }
    return 0;
  }

  private merged(now: number): Map<number, number> {
    const oldest = Math.floor(now / this.resolutionMs) - this.buckets;
    const merged = new Map<number, number>();
    this.slots.forEach((counts, i) => {
      if ((this.periods[i] ?? -Infinity) <= oldest) return;
      for (const [key, count] of counts) merged.set(key, (merged.get(key) ?? 0) + count);
    });
    return merged;
  }
}

function scaleOf(value: number): number {
  return value < 100 ? 1 : 10 ** (Math.floor(Math.log10(value)) - 2);
}

function bucketOf(value: number): number {
  const scale = scaleOf(value);
  return Math.floor(value / scale) * scale;
}

function highestEquivalent(key: number): number {
  return key + scaleOf(key) - 1;
}

const COUNTER_BUCKETS = 10;
const COUNTER_RESOLUTION_MS = 1000;

/** Round-trip metrics of the requests a breaker let through. */
export class Metrics {
  private total = new RollingCounter(COUNTER_BUCKETS, COUNTER_RESOLUTION_MS);
  private networkErrors = new RollingCounter(COUNTER_BUCKETS, COUNTER_RESOLUTION_MS);
  private statuses = new Map<number, RollingCounter>();
  private latency = new LatencyHistogram();
  /** When the last response was recorded (0: never, or since the last reset). */
  lastRecorded = 0;

  record(now: number, status: number, latencyMs: number): void {
    this.total.inc(now);
    if (status === 502 || status === 504) this.networkErrors.inc(now);
    let counter = this.statuses.get(status);
    if (!counter) this.statuses.set(status, (counter = new RollingCounter(COUNTER_BUCKETS, COUNTER_RESOLUTION_MS)));
    counter.inc(now);
    this.latency.record(now, latencyMs * 1000);
    this.lastRecorded = now;
  }

  networkErrorRatio(now: number): number {
    const total = this.total.count(now);
    return total === 0 ? 0 : this.networkErrors.count(now) / total;
  }

  /** count(statuses in [fromA, toA)) / count(statuses in [fromB, toB)); 0 when the divisor is 0. */
  responseCodeRatio(now: number, fromA: number, toA: number, fromB: number, toB: number): number {
    let a = 0;
    let b = 0;
    for (const [status, counter] of this.statuses) {
      const count = counter.count(now);
      if (status >= fromA && status < toA) a += count;
      if (status >= fromB && status < toB) b += count;
    }
    return b === 0 ? 0 : a / b;
  }

  /** Whole milliseconds at the quantile (q in percent, e.g. 50.0), truncated as Traefik does. */
  latencyAtQuantileMs(now: number, q: number): number {
    return Math.floor(this.latency.atQuantile(now, q) / 1000);
  }

  reset(): void {
    this.total = new RollingCounter(COUNTER_BUCKETS, COUNTER_RESOLUTION_MS);
    this.networkErrors = new RollingCounter(COUNTER_BUCKETS, COUNTER_RESOLUTION_MS);
    this.statuses = new Map();
    this.latency = new LatencyHistogram();
    this.lastRecorded = 0;
  }
}

/** The longest window any metric looks back over (the latency histogram's 60 s). */
export const METRICS_WINDOW_MS = 60_000;
