// A local pre-check that spares the Durable Object calls that could only be refused. After an
// answer from the object, this isolate knows the bucket's tokens at that moment; the object's
// tokens can since have grown by at most the refill over the time elapsed since the call was sent
// (other isolates only ever take tokens, and refusals change nothing). If even that upper bound
// leaves the request waiting longer than maxDelay, the object would refuse it too: answer 429
// here. Anything else asks the object. So the allow/deny decision is the object's exactly; only the
// Retry-After of a locally refused request can be shorter than the object's (it does not know what
// other isolates took since), never longer.
import { durationNs, type BucketRule, type Verdict } from "./bucket.ts";

interface Seen {
  /** Tokens the object reported, and when (local clock) the call that reported them was sent. */
  readonly tokens: number;
  readonly sentAt: number;
}

/** Sources remembered per middleware instance; the oldest are forgotten first. */
const MAX_SOURCES = 10_000;

export class PreCheck {
  private readonly seen = new Map<string, Seen>();
  private readonly rule: BucketRule;

  constructor(rule: BucketRule) {
    this.rule = rule;
  }

  /** The delay (ns) when the object would certainly refuse this request now, else null (ask it). */
  refuse(source: string, now: number): number | null {
    const seen = this.seen.get(source);
    if (!seen) return null;
    const elapsedMs = Math.max(0, now - seen.sentAt);
    const atMost = Math.min(this.rule.burst, seen.tokens + (elapsedMs / 1000) * this.rule.rate);
    const delayNs = durationNs(1 - atMost, this.rule.rate);
    if (delayNs > this.rule.maxDelayNs) return delayNs;
    // It may be allowed now: the object decides, and this entry is stale from here on.
    this.seen.delete(source);
    return null;
  }

  /** Remember what the object answered for a call sent at `sentAt`. */
  learn(source: string, sentAt: number, verdict: Verdict): void {
    this.seen.delete(source);
    if (this.seen.size >= MAX_SOURCES) {
      const oldest = this.seen.keys().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    this.seen.set(source, { tokens: verdict.tokens, sentAt });
  }
}
