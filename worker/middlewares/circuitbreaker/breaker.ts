// The circuit breaker's state machine, as Traefik's (oxy's cbreaker):
//   Standby: every request goes through; the expression is checked at most once per checkPeriod,
//     after a response, and when it holds the breaker trips (and its metrics are reset).
//   Tripped: every request gets the fallback for fallbackDuration.
//   Recovering: for recoveryDuration a growing share of requests goes through, the target share of
//     allowed requests rising linearly from 0 to 0.5; the expression is still checked and trips again
//     when it holds. After recoveryDuration the breaker is back in Standby.
import type { Kept, Reclaim } from "../traffic/state.ts";
import type { Predicate } from "../traffic/expression.ts";
import type { BreakerView } from "./functions.ts";
import { Metrics, METRICS_WINDOW_MS } from "./metrics.ts";

export type BreakerState = "standby" | "tripped" | "recovering";

export interface BreakerTiming {
  readonly checkPeriodMs: number;
  readonly fallbackMs: number;
  readonly recoveryMs: number;
}

interface Ramp {
  readonly start: number;
  allowed: number;
  denied: number;
}

export class Breaker implements Kept {
  private current: BreakerState = "standby";
  private until = 0;
  /** Go's zero time: the first response is always checked. */
  private lastCheck = -Infinity;
  private ramp: Ramp = { start: 0, allowed: 0, denied: 0 };
  private lastSeen = 0;
  readonly metrics = new Metrics();
  private readonly condition: Predicate<BreakerView>;
  private readonly timing: BreakerTiming;
  private readonly reclaim: Reclaim;

  constructor(condition: Predicate<BreakerView>, timing: BreakerTiming, reclaim: Reclaim) {
    this.condition = condition;
    this.timing = timing;
    this.reclaim = reclaim;
  }

  get state(): BreakerState {
    return this.current;
  }

  /** Whether this request may go through (false: answer with the fallback). */
  admit(now: number): boolean {
    // Idle this long, the keeper may have dropped it while this snapshot still uses it: register again.
    if (now - this.lastSeen > METRICS_WINDOW_MS) this.reclaim();
    this.lastSeen = now;
    if (this.current === "standby") return true;
    if (this.current === "tripped") {
      if (now < this.until) return false;
      this.current = "recovering";
      this.until = now + this.timing.recoveryMs;
      this.ramp = { start: now, allowed: 0, denied: 0 };
    }
    if (now > this.until) {
      this.current = "standby";
      this.until = now;
      return true;
    }
    return this.allowDuringRecovery(now);
  }

  /** A response that went through: count it, and trip if the expression now holds. */
  record(now: number, status: number, latencyMs: number): void {
    this.metrics.record(now, status, latencyMs);
    if (!(now > this.lastCheck)) return;
    this.lastCheck = now + this.timing.checkPeriodMs;
    if (this.current === "tripped") return;
    if (!this.condition({ metrics: this.metrics, now })) return;
    this.current = "tripped";
    this.until = now + this.timing.fallbackMs;
    this.metrics.reset();
  }

  /** Would allowing one more request keep the allowed share under the target for this moment? */
  private allowDuringRecovery(now: number): boolean {
    const target = (0.5 * (now - this.ramp.start)) / this.timing.recoveryMs;
    const share = (this.ramp.allowed + 1) / (this.ramp.allowed + 1 + this.ramp.denied);
    if (share < target) {
      this.ramp.allowed++;
      return true;
    }
    this.ramp.denied++;
    return false;
  }

  /** Idle in Standby long enough that every metric window is empty: a fresh breaker is the same. */
  disposable(now: number): boolean {
    return this.current === "standby" && now - Math.max(this.lastSeen, this.metrics.lastRecorded) > METRICS_WINDOW_MS;
  }
}
