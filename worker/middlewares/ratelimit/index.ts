// rateLimit: Traefik's token bucket per source (average per period, burst), enforced globally: the
// bucket lives in a Durable Object (RATE_LIMITER) per (router, middleware, source), which every
// isolate asks, so the limit holds however many isolates serve the traffic. A request whose token
// is due within maxDelay waits for it, as in Traefik; a later one gets 429 with Retry-After
// (seconds, rounded up) and X-Retry-In (Go duration). average 0 means no limit (no call at all).
import { durationMs, formatGoDuration } from "../../go/duration.ts";
import type { MiddlewareFactory } from "../types.ts";
import { sourceExtractor } from "../traffic/source.ts";
import { goError, plain } from "../respond.ts";
import type { RequestContext } from "../../services/types.ts";
import type { BucketRule, Verdict } from "./bucket.ts";
import { rateLimiterIn } from "./binding.ts";
import { PreCheck } from "./precheck.ts";

const SECOND_NS = 1_000_000_000;

/** Rate and maxDelay exactly as Traefik derives them (maxDelay = 1/(2·rate), 500 ms below 1 req/s). */
export function bucketRule(average: number, periodMs: number, burst: number): BucketRule {
  const periodNs = Math.round(periodMs * 1e6);
  const rate = (average * SECOND_NS) / periodNs;
  const maxDelayNs = rate < 1 ? 500_000_000 : Math.trunc(SECOND_NS / (Math.trunc(rate) * 2));
  return { rate, burst: Math.max(1, burst), maxDelayNs };
}

/** Traefik's 429: Retry-After in whole seconds (rounded up) and X-Retry-In as a Go duration. */
export function tooManyRequests(delayNs: number): Response {
  return plain(429, undefined, { "retry-after": String(Math.ceil(delayNs / SECOND_NS)), "x-retry-in": formatGoDuration(delayNs) });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The object's verdict for one request, or null when the object could not be asked. */
async function take(rc: RequestContext, key: string, rule: BucketRule, name: string): Promise<Verdict | null> {
  try {
    const namespace = rateLimiterIn(rc.env);
    if (!namespace) throw new Error("the Worker has no RATE_LIMITER binding");
    return await namespace.get(namespace.idFromName(key)).take(rule);
  } catch (err) {
    // As Traefik when its limiter store fails: 500, never an unlimited pass.
    console.error(`rateLimit ${name}: the RATE_LIMITER Durable Object failed:`, err);
    return null;
  }
}

export const rateLimit: MiddlewareFactory<"rateLimit"> = (options, ctx) => {
  const average = options.average ?? 0;
  if (average === 0) return (next) => next;
  const periodMs = durationMs(options.period);
  if (periodMs < 0) return `negative value not valid for period: ${String(options.period)}`;
  const rule = bucketRule(average, periodMs === 0 ? 1000 : periodMs, options.burst);
  const sourceOf = sourceExtractor(options.sourceCriterion, "ip");
  if (typeof sourceOf === "string") return sourceOf;
  // One object per (router, middleware, source); names are escaped so "a/b" + "c" ≠ "a" + "b/c".
  const prefix = `${encodeURIComponent(ctx.router)}/${encodeURIComponent(ctx.name)}:`;
  const precheck = new PreCheck(rule);
  return (next) => async (request, rc) => {
    const source = sourceOf(request, rc);
    const sentAt = Date.now();
    const refused = precheck.refuse(source, sentAt);
    if (refused !== null) return tooManyRequests(refused);
    const verdict = await take(rc, prefix + source, rule, ctx.name);
    if (!verdict) return goError(500, "Could not insert/update bucket");
    precheck.learn(source, sentAt, verdict);
    if (!verdict.allowed) return tooManyRequests(verdict.delayNs);
    if (verdict.delayNs > 0) await sleep(verdict.delayNs / 1e6);
    return next(request, rc);
  };
};
