// retry: send the request again, as Traefik's retry (v3.7): when the upstream could not be reached
// (a connection error; not with disableRetryOnNetworkError), and when the answer's status is in
// `status` (only for idempotent methods unless retryNonIdempotentMethod). Up to `attempts` tries in
// all, each through `next` again so the load balancer may pick another server, spaced by Traefik's
// exponential backoff with `initialInterval`; past `timeout` (from the first try) the answer in
// hand is delivered. The last attempt's answer is always delivered as it is.
//
// A body is replayed only if it can be: for status retries it is read into memory up to
// maxRequestBodyBytes (Traefik's default 2 MiB), else up to REPLAY_LIMIT_BYTES for network
// retries; a larger body is sent once, as it arrives, with no retry (it is never read twice).
import { durationMs } from "../go/duration.ts";
import { transportFailure } from "../services/proxy.ts";
import { inRanges, parseStatusRanges, type StatusRange } from "../services/status-ranges.ts";
import type { MiddlewareFactory } from "./types.ts";
import { discard } from "../http/body.ts";
import { BUFFER_CEILING_BYTES } from "./buffering/limits.ts";
import { replayable } from "./traffic/replay.ts";

/** Largest body kept in memory so that it can be sent again after a network error. */
export const REPLAY_LIMIT_BYTES = 1024 * 1024;

/** Traefik's default maxRequestBodyBytes (RetryDefaultMaxRequestBodyBytes). */
export const STATUS_REPLAY_DEFAULT_BYTES = 2 * 1024 * 1024;

/** Methods Traefik does not retry on a status unless retryNonIdempotentMethod. */
const NON_IDEMPOTENT = new Set(["POST", "PATCH", "LOCK"]);

/**
 * Traefik's backoff (cenkalti/backoff ExponentialBackOff): the interval starts at initialInterval
 * and is multiplied by 2^(1/(attempts-1)) after each retry (so the last one is about twice the
 * first); each wait is drawn uniformly within ±50% of the current interval.
 */
export function backoff(initialMs: number, attempts: number, random: () => number = Math.random): () => number {
  if (attempts < 2 || initialMs <= 0) return () => 0;
  const multiplier = 2 ** (1 / (attempts - 1));
  let current = initialMs;
  return () => {
    const delta = 0.5 * current;
    const wait = current - delta + random() * (2 * delta);
    current = Math.min(current * multiplier, 60_000);
    return wait;
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Policy {
  readonly attempts: number;
  readonly initialMs: number;
  readonly timeoutMs: number;
  readonly onNetworkError: boolean;
  readonly statuses: readonly StatusRange[];
  /** Bytes of body kept for status retries (negative in the config: the Workers ceiling). */
  readonly statusBodyLimit: number;
  readonly nonIdempotent: boolean;
}

/** Whether this answer is tried again (the attempt was not the last one). */
function retryable(response: Response, statuses: readonly StatusRange[] | null, p: Policy, started: number): boolean {
  if (p.timeoutMs > 0 && Date.now() - started >= p.timeoutMs) return false;
  if (p.onNetworkError && transportFailure(response) === "connect-error") return true;
  // A WebSocket upgrade is final: its connection cannot be replayed.
  return statuses !== null && response.status !== 101 && inRanges(response.status, statuses);
}

export const retry: MiddlewareFactory<"retry"> = (options) => {
  if (!options.status?.length && options.disableRetryOnNetworkError) return "retry middleware requires at least HTTP status codes or retry on TCP";
  const max = options.maxRequestBodyBytes ?? STATUS_REPLAY_DEFAULT_BYTES;
  const p: Policy = {
    attempts: options.attempts,
    initialMs: options.initialInterval === undefined ? 0 : durationMs(options.initialInterval),
    timeoutMs: options.timeout === undefined ? 0 : durationMs(options.timeout),
    onNetworkError: options.disableRetryOnNetworkError !== true,
    statuses: parseStatusRanges(options.status ?? []),
    statusBodyLimit: max < 0 ? BUFFER_CEILING_BYTES : Math.min(max, BUFFER_CEILING_BYTES),
    nonIdempotent: options.retryNonIdempotentMethod === true,
  };
  return (next) => async (request, rc) => {
    if (p.attempts < 2) return next(request, rc);
    const started = Date.now();
    const statuses = p.statuses.length > 0 && (p.nonIdempotent || !NON_IDEMPOTENT.has(request.method)) ? p.statuses : null;
    const body = await replayable(request, statuses ? p.statusBodyLimit : REPLAY_LIMIT_BYTES);
    // Too large to keep: sent once (Traefik too stops retrying on a status then).
    if (!body.ok) return next(body.once, rc);
    const nextWait = backoff(p.initialMs, p.attempts);
    for (let attempt = 1; ; attempt++) {
      const response = await next(body.attempt(), rc);
      if (attempt >= p.attempts || !retryable(response, statuses, p, started)) return response;
      discard(response.body);
      if (rc.observed) rc.observed.retryAttempts++;
      const wait = nextWait();
      if (wait > 0) await sleep(wait);
    }
  };
};
