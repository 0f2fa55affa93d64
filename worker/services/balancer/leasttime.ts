// Least time, as Traefik's leasttime: score = average time to first byte × (1 + in flight) / weight
// over the last 100 answers; the lowest score wins, ties go to weighted round robin among the tied.
import type { SmoothWRR } from "./wrr.ts";

const SAMPLES = 100;

/** The last SAMPLES times to first byte (ms) of one server, in a ring. */
export class ResponseTimes {
  private readonly ring = new Float64Array(SAMPLES);
  private next = 0;
  private count = 0;
  private sum = 0;

  add(ms: number): void {
    if (this.count === SAMPLES) this.sum -= this.ring[this.next]!;
    else this.count++;
    this.ring[this.next] = ms;
    this.sum += ms;
    this.next = (this.next + 1) % SAMPLES;
  }

  /** 0 before the first sample (a new server is tried first, as in Traefik). */
  get average(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }
}

export interface Timed {
  readonly weight: number;
  readonly inflight: number;
  readonly times: ResponseTimes;
}

export function leastTimePick<T extends Timed>(candidates: readonly T[], wrr: SmoothWRR<T>): T | null {
  let best = Infinity;
  let tied: T[] = [];
  for (const c of candidates) {
    const score = (c.times.average * (1 + c.inflight)) / c.weight;
    if (score < best) {
      best = score;
      tied = [c];
    } else if (score === best) tied.push(c);
  }
  if (tied.length <= 1) return tied[0] ?? null;
  return wrr.next((m) => tied.includes(m));
}
