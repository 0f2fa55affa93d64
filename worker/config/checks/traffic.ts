// The traffic middlewares' options that the schema alone cannot judge: the expressions of
// circuitBreaker and buffering (parsed as Traefik parses them, refused with the position of the
// problem), and buffering sizes that a Worker holds differently from Traefik.
import { BUFFER_CEILING_BYTES } from "../../middlewares/buffering/limits.ts";
import { retryFunctions } from "../../middlewares/buffering/retry-expression.ts";
import { breakerFunctions } from "../../middlewares/circuitbreaker/functions.ts";
import { parseExpression, type Functions } from "../../middlewares/traffic/expression.ts";
import { durationMs } from "../../go/duration.ts";
import type { Path } from "../issues.ts";
import type { MiddlewareOptions } from "../../schema/middlewares.ts";
import type { CheckContext } from "./context.ts";
import { entries } from "./context.ts";

function checkExpression<C>(ctx: CheckContext, path: Path, text: string, functions: Functions<C>): void {
  const parsed = parseExpression(text, functions);
  if (!parsed.ok) ctx.issues.error(path, `invalid expression at position ${parsed.position}: ${parsed.message} (in ${JSON.stringify(text)})`);
}

const MIB = 1024 * 1024;

function checkBuffering(ctx: CheckContext, path: Path, options: MiddlewareOptions<"buffering">): void {
  if (options.retryExpression) checkExpression(ctx, [...path, "retryExpression"], options.retryExpression, retryFunctions);
  for (const key of ["maxRequestBodyBytes", "maxResponseBodyBytes"] as const) {
    const value = options[key];
    if (value !== undefined && value > BUFFER_CEILING_BYTES) {
      ctx.issues.warn([...path, key], `${value} is more than a Worker holds in memory for one body: bodies over ${BUFFER_CEILING_BYTES / MIB} MiB are refused as if this were ${BUFFER_CEILING_BYTES}`);
    }
  }
  for (const key of ["memRequestBodyBytes", "memResponseBodyBytes"] as const) {
    if (options[key] !== undefined) {
      ctx.issues.warn([...path, key], `${key} has no effect on Workers: there is no disk to spill to, so bodies are held in memory up to maxRequestBodyBytes/maxResponseBodyBytes (at most ${BUFFER_CEILING_BYTES / MIB} MiB)`);
    }
  }
}

function checkRateLimit(ctx: CheckContext, path: Path, options: MiddlewareOptions<"rateLimit">): void {
  if (durationMs(options.period) < 0) ctx.issues.error([...path, "period"], `negative value not valid for period: ${String(options.period)}`);
}

function checkRetry(ctx: CheckContext, path: Path, options: MiddlewareOptions<"retry">): void {
  if (!options.status?.length && options.disableRetryOnNetworkError) {
    ctx.issues.error([...path, "disableRetryOnNetworkError"], "retry middleware requires at least HTTP status codes or retry on TCP: set status, or leave disableRetryOnNetworkError off");
  }
}

export function checkTraffic(ctx: CheckContext): void {
  for (const [name, middleware] of entries(ctx, "middlewares")) {
    const base = ["http", "middlewares", name];
    if (middleware.circuitBreaker) checkExpression(ctx, [...base, "circuitBreaker", "expression"], middleware.circuitBreaker.expression, breakerFunctions);
    if (middleware.buffering) checkBuffering(ctx, [...base, "buffering"], middleware.buffering);
    if (middleware.rateLimit) checkRateLimit(ctx, [...base, "rateLimit"], middleware.rateLimit);
    if (middleware.retry) checkRetry(ctx, [...base, "retry"], middleware.retry);
  }
}
