// One token bucket, as golang.org/x/time/rate's Limiter that Traefik's rateLimit uses: it refills
// at `rate` tokens per second up to `burst` and starts full. A request reserves one token, even
// into debt: if the token is due within maxDelay the request waits for it and goes through
// (Traefik's traffic shaping), otherwise the reservation is cancelled, which leaves the bucket as
// if the request had never come, and the request gets 429 saying when the token would be due.
// Pure code: the Durable Object runs it, the tests drive it with their own clock.

export interface BucketRule {
  /** Tokens per second (average / period). */
  readonly rate: number;
  readonly burst: number;
  /** Longest wait accepted for a token, in nanoseconds (Traefik's maxDelay). */
  readonly maxDelayNs: number;
}

export interface BucketState {
  /** Tokens at `last`; negative when tokens are reserved ahead. */
  readonly tokens: number;
  /** Milliseconds (epoch) of the last change. */
  readonly last: number;
}

export interface Verdict {
  readonly allowed: boolean;
  /** Wait for the token, in nanoseconds (0 when one was there). Denied: when it would be due. */
  readonly delayNs: number;
  /** The bucket after this request (allowed) or as it stands (denied), at `at` (ms): for local pre-checks. */
  readonly tokens: number;
  readonly at: number;
}

/** Tokens at `now`: refilled since `last`, never above burst. A new bucket is full. */
export function tokensAt(state: BucketState | null, now: number, rule: BucketRule): number {
  if (!state) return rule.burst;
  const elapsedMs = Math.max(0, now - state.last);
  return Math.min(rule.burst, state.tokens + (elapsedMs / 1000) * rule.rate);
}

/** Nanoseconds until `missing` tokens have refilled (Go truncates to whole nanoseconds). */
export function durationNs(missing: number, rate: number): number {
  return missing <= 0 ? 0 : Math.trunc((missing / rate) * 1e9);
}

/** Take one token for a request at `now`: the verdict, and the new state (unchanged when denied). */
export function reserve(state: BucketState | null, now: number, rule: BucketRule): { verdict: Verdict; state: BucketState | null } {
  const available = tokensAt(state, now, rule);
  const after = available - 1;
  const delayNs = durationNs(-after, rule.rate);
  if (delayNs > rule.maxDelayNs) return { verdict: { allowed: false, delayNs, tokens: available, at: now }, state };
  return { verdict: { allowed: true, delayNs, tokens: after, at: now }, state: { tokens: after, last: now } };
}

/** When the bucket will be full again (ms): from then on it equals a new bucket and can be forgotten. */
export function fullAt(state: BucketState, rule: BucketRule): number {
  return state.last + ((rule.burst - state.tokens) / rule.rate) * 1000;
}
