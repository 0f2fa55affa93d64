// Failed admin-token attempts, throttled per client address across isolates: a token bucket per
// address in the RATE_LIMITER Durable Object (the rateLimit middleware's), holding
// ADMIN_AUTH_MAX_FAILURES failures that refill over ADMIN_AUTH_WINDOW_MS. Each wrong token takes
// one; once they are gone every request from that address gets 429 with Retry-After, the right
// token included: were it let through, 429 would mean "wrong" and 200 "right", and guessing would
// go on at full speed. Other addresses have their own buckets, so an attacker cannot lock out an
// operator elsewhere. A success costs one read of the address's bucket (never a write).
import ipaddr from "ipaddr.js";
import type { Env } from "../env.ts";
import type { BucketRule, Verdict } from "../middlewares/ratelimit/bucket.ts";
import type { RateLimiterBinding } from "../middlewares/ratelimit/limiter.ts";
import { PreCheck } from "../middlewares/ratelimit/precheck.ts";

export const DEFAULT_MAX_FAILURES = 10;
export const DEFAULT_WINDOW_MS = 5 * 60_000;

export type ThrottleEnv = RateLimiterBinding & Pick<Env, "ADMIN_AUTH_MAX_FAILURES" | "ADMIN_AUTH_WINDOW_MS">;

/** What the bucket says: go on, or wait this long (ms). */
export type Throttled = { blocked: false } | { blocked: true; retryAfterMs: number };

function positive(text: string | undefined, fallback: number): number {
  const n = Number(text);
  return text !== undefined && Number.isFinite(n) && n > 0 ? n : fallback;
}

export function throttleRule(env: ThrottleEnv): BucketRule {
  const burst = Math.floor(positive(env.ADMIN_AUTH_MAX_FAILURES, DEFAULT_MAX_FAILURES));
  const windowMs = positive(env.ADMIN_AUTH_WINDOW_MS, DEFAULT_WINDOW_MS);
  return { burst, rate: burst / (windowMs / 1000), maxDelayNs: 0 };
}

/**
 * The address a bucket is kept for: CF-Connecting-IP, an IPv6 address by its /64 (one subscriber
 * holds a whole /64, so per-address buckets there would be free to multiply), "unknown" without one.
 */
export function clientKey(request: Request): string {
  const ip = request.headers.get("cf-connecting-ip")?.trim() ?? "";
  if (!ipaddr.isValid(ip)) return "unknown";
  const address = ipaddr.process(ip);
  if (address.kind() === "ipv4") return address.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/64`).toString()}/64`;
}

// One local pre-check per rule: an address this isolate saw throttled is refused without a call.
const prechecks = new Map<string, PreCheck>();

function precheckFor(rule: BucketRule): PreCheck {
  const id = `${rule.burst}/${rule.rate}`;
  let p = prechecks.get(id);
  if (!p) prechecks.set(id, (p = new PreCheck(rule)));
  return p;
}

/** Asks the address's bucket: `fail` takes one failure from it, otherwise it is only read. */
export async function consult(env: ThrottleEnv, key: string, fail: boolean): Promise<Throttled | null> {
  const rule = throttleRule(env);
  const precheck = precheckFor(rule);
  const sentAt = Date.now();
  const refused = precheck.refuse(key, sentAt);
  if (refused !== null) return { blocked: true, retryAfterMs: refused / 1e6 };
  let verdict: Verdict;
  try {
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`admin-auth:${key}`));
    verdict = fail ? await stub.take(rule) : await stub.peek(rule);
  } catch (err) {
    console.error("admin auth throttle: the RATE_LIMITER Durable Object failed:", err);
    return null;
  }
  precheck.learn(key, sentAt, verdict);
  return verdict.allowed ? { blocked: false } : { blocked: true, retryAfterMs: verdict.delayNs / 1e6 };
}
