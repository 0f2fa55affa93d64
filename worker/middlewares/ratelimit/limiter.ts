// The rateLimit middleware's global state: one Durable Object per limiter key (router, middleware
// and source), holding one token bucket. Every isolate asks the same object, which handles one
// request at a time, so the limit holds across isolates and machines. The bucket is kept in the
// object's SQLite storage, so it survives the object being evicted; once it has refilled completely
// it equals a new bucket, and an alarm deletes it then (the storage does not grow with every client
// ever seen).
import { DurableObject } from "cloudflare:workers";
import { fullAt, reserve, type BucketRule, type BucketState, type Verdict } from "./bucket.ts";

const KEY = "bucket";

/** The binding the rateLimit middleware and the admin auth throttle use (wrangler.toml RATE_LIMITER). */
export interface RateLimiterBinding {
  readonly RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
}

export class RateLimiter extends DurableObject {
  /** undefined: not read from storage yet; null: a new (full) bucket. */
  private bucket: BucketState | null | undefined;
  private rule: BucketRule | null = null;
  private alarmSet = false;

  /** Take one token for a request arriving now (RPC from the middleware). */
  take(rule: BucketRule): Verdict {
    // The synchronous view of the same key-value store that put() writes (SQLite-backed objects).
    if (this.bucket === undefined) this.bucket = this.ctx.storage.kv.get<BucketState>(KEY) ?? null;
    this.rule = rule;
    const { verdict, state } = reserve(this.bucket, Date.now(), rule);
    if (verdict.allowed && state) {
      this.bucket = state;
      // Not waiting for the write to be durable before answering: it would cost the hot path a
      // durable commit per request (≈1–3 ms here, against ≈0.1 ms for the call); what a crash can
      // lose is the last few milliseconds of takes, i.e. a few extra requests once.
      void this.ctx.storage.put(KEY, state, { allowUnconfirmed: true });
      this.scheduleCleanup(state, rule);
    }
    return verdict;
  }

  /** What take would answer now, without taking (RPC; the admin API's auth throttle asks on success). */
  peek(rule: BucketRule): Verdict {
    if (this.bucket === undefined) this.bucket = this.ctx.storage.kv.get<BucketState>(KEY) ?? null;
    return reserve(this.bucket, Date.now(), rule).verdict;
  }

  /** Runs when the bucket should be full again: forget it, or look again later if it was used since. */
  override async alarm(): Promise<void> {
    this.alarmSet = false;
    const state = this.bucket === undefined ? (this.ctx.storage.kv.get<BucketState>(KEY) ?? null) : this.bucket;
    if (!state) return;
    // After a restart the rule is unknown until the next request: a bucket untouched for a day is full for any sane rule.
    const due = this.rule ? fullAt(state, this.rule) : state.last + 86_400_000;
    if (Date.now() >= due) {
      this.bucket = null;
      await this.ctx.storage.deleteAll();
      return;
    }
    this.scheduleAt(due);
  }

  private scheduleCleanup(state: BucketState, rule: BucketRule): void {
    // One alarm at a time: when it fires it re-reads the bucket and moves itself if needed, so a
    // busy bucket costs one alarm write per refill period, not one per request.
    if (!this.alarmSet) this.scheduleAt(fullAt(state, rule));
  }

  private scheduleAt(when: number): void {
    this.alarmSet = true;
    void this.ctx.storage.setAlarm(Math.ceil(when) + 1, { allowUnconfirmed: true });
  }
}
