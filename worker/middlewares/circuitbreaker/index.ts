// circuitBreaker: stop sending requests to a failing service. Expression, durations and fallback
// as Traefik's; the state lives in this isolate (each isolate has its own breaker) and survives a
// config swap while the middleware's options are unchanged.
import { positiveMs } from "../../go/duration.ts";
import { parseExpression } from "../traffic/expression.ts";
import { keep } from "../traffic/state.ts";
import { plain } from "../respond.ts";
import type { MiddlewareFactory } from "../types.ts";
import { Breaker, type BreakerTiming } from "./breaker.ts";
import { breakerFunctions } from "./functions.ts";

/** Traefik applies a duration only when it is positive; otherwise oxy's default stays. */
export const circuitBreaker: MiddlewareFactory<"circuitBreaker"> = (options, ctx) => {
  const parsed = parseExpression(options.expression, breakerFunctions);
  if (!parsed.ok) return `invalid expression at position ${parsed.position}: ${parsed.message}`;
  const timing: BreakerTiming = {
    checkPeriodMs: positiveMs(options.checkPeriod, 100),
    fallbackMs: positiveMs(options.fallbackDuration, 10_000),
    recoveryMs: positiveMs(options.recoveryDuration, 10_000),
  };
  const breaker = keep({ kind: "circuitBreaker", router: ctx.router, name: ctx.name, options }, (reclaim) => new Breaker(parsed.predicate, timing, reclaim));
  const status = options.responseCode;
  return (next) => async (request, rc) => {
    if (!breaker.admit(Date.now())) return plain(status);
    const start = Date.now();
    const response = await next(request, rc);
    const end = Date.now();
    breaker.record(end, response.status, end - start);
    return response;
  };
};
