// The traffic middlewares' options that the schema alone cannot judge: the expressions of
// circuitBreaker and buffering (parsed as Traefik parses them, refused with the position of the
// problem), buffering sizes that a Worker holds differently from Traefik, one source criterion.
import { durationMs } from "../../go/duration.ts";
import type { Path } from "../../schema/issues.ts";
import type { MiddlewareOptions } from "../../schema/middlewares.ts";
import { BUFFER_CEILING_BYTES } from "../buffering/limits.ts";
import { retryFunctions } from "../buffering/retry-expression.ts";
import { breakerFunctions } from "../circuitbreaker/functions.ts";
import { parseExpression, type Functions } from "../traffic/expression.ts";
import type { IssueSink, OptionCheck } from "./types.ts";

function checkExpression<C>(issues: IssueSink, path: Path, text: string, functions: Functions<C>): void {
  const parsed = parseExpression(text, functions);
  if (!parsed.ok) issues.error(path, `invalid expression at position ${parsed.position}: ${parsed.message} (in ${JSON.stringify(text)})`);
}

type SourceCriterion = NonNullable<MiddlewareOptions<"rateLimit">["sourceCriterion"]>;

function checkSourceCriterion(issues: IssueSink, path: Path, criterion: SourceCriterion | undefined): void {
  if (!criterion) return;
  const set = (["ipStrategy", "requestHeaderName", "requestHost"] as const).filter((k) =>
    k === "requestHost" ? criterion.requestHost === true : criterion[k] !== undefined,
  );
  if (set.length > 1) issues.error([...path, "sourceCriterion"], `sourceCriterion takes one strategy, found ${set.join(" and ")}`);
}

const MIB = 1024 * 1024;

export const checkBuffering: OptionCheck<"buffering"> = (issues, path, options) => {
  if (options.retryExpression) checkExpression(issues, [...path, "retryExpression"], options.retryExpression, retryFunctions);
  for (const key of ["maxRequestBodyBytes", "maxResponseBodyBytes"] as const) {
    const value = options[key];
    if (value !== undefined && value > BUFFER_CEILING_BYTES) {
      issues.warn([...path, key], `${value} is more than a Worker holds in memory for one body: bodies over ${BUFFER_CEILING_BYTES / MIB} MiB are refused as if this were ${BUFFER_CEILING_BYTES}`);
    }
  }
  for (const key of ["memRequestBodyBytes", "memResponseBodyBytes"] as const) {
    if (options[key] !== undefined) {
      issues.warn([...path, key], `${key} has no effect on Workers: there is no disk to spill to, so bodies are held in memory up to maxRequestBodyBytes/maxResponseBodyBytes (at most ${BUFFER_CEILING_BYTES / MIB} MiB)`);
    }
  }
};

export const checkCircuitBreaker: OptionCheck<"circuitBreaker"> = (issues, path, options) => {
  checkExpression(issues, [...path, "expression"], options.expression, breakerFunctions);
};

export const checkRateLimit: OptionCheck<"rateLimit"> = (issues, path, options) => {
  checkSourceCriterion(issues, path, options.sourceCriterion);
  if (durationMs(options.period) < 0) issues.error([...path, "period"], `negative value not valid for period: ${String(options.period)}`);
};

export const checkInFlightReq: OptionCheck<"inFlightReq"> = (issues, path, options) => {
  checkSourceCriterion(issues, path, options.sourceCriterion);
};

export const checkRetry: OptionCheck<"retry"> = (issues, path, options) => {
  if (!options.status?.length && options.disableRetryOnNetworkError) {
    issues.error([...path, "disableRetryOnNetworkError"], "retry middleware requires at least HTTP status codes or retry on TCP: set status, or leave disableRetryOnNetworkError off");
  }
};
