// retry: send the request again when the upstream could not be reached, as Traefik's retry: only
// when nothing came back from a server (a connection error; a server's answer, whatever its status,
// ends the retries, and so does a 503 made because no server is available), up to `attempts` tries
// in all, each one through `next` again so the load balancer may pick another server. With
// `initialInterval`, tries are spaced by Traefik's exponential backoff.
//
// A body is replayed only if it can be: it is read into memory up to REPLAY_LIMIT_BYTES; a larger
// body is sent once, as it arrives, with no retry (it is never read twice).
import { durationMs } from "../go/duration.ts";
import { transportFailure } from "../services/proxy.ts";
import type { MiddlewareFactory } from "./types.ts";
import { discard } from "../http/body.ts";
import { replayable } from "./traffic/replay.ts";

/** Largest body kept in memory so that it can be sent again. */
export const REPLAY_LIMIT_BYTES = 1024 * 1024;

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

export const retry: MiddlewareFactory<"retry"> = (options) => {
  const attempts = options.attempts;
  const initialMs = options.initialInterval === undefined ? 0 : durationMs(options.initialInterval);
  return (next) => async (request, rc) => {
    if (attempts < 2) return next(request, rc);
    const body = await replayable(request, REPLAY_LIMIT_BYTES);
    if (!body.ok) return next(body.once, rc);
    const nextWait = backoff(initialMs, attempts);
    for (let attempt = 1; ; attempt++) {
      const response = await next(body.attempt(), rc);
      // Only a failed connection means the request never reached a server (see docs: a timeout
      // means it was sent, and Traefik does not retry once the request was written).
      if (attempt >= attempts || transportFailure(response) !== "connect-error") return response;
      discard(response.body);
      const wait = nextWait();
      if (wait > 0) await sleep(wait);
    }
  };
};
