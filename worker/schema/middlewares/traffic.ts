// Traffic control: IP filtering, rate and concurrency limits, buffering, circuit breaking, retries.
import * as z from "zod/mini";
import { bool, duration, emptyable, headerName, httpStatus, intIn, ipOrCidr, listOf, nonNegativeInt, statusRange, str, stringList } from "../common.ts";
import { clientTlsSchema } from "./auth.ts";

export const ipStrategySchema = z.lazy(() =>
  emptyable(
    z.strictObject({
      depth: z.optional(nonNegativeInt),
      excludedIPs: z.optional(listOf(ipOrCidr)),
      ipv6Subnet: z.optional(intIn(0, 128)),
    }),
  ),
);

export const sourceCriterionSchema = z.lazy(() =>
  emptyable(
    z.strictObject({
      ipStrategy: z.optional(ipStrategySchema),
      requestHeaderName: z.optional(headerName),
      requestHost: z.optional(bool),
    }),
  ),
);

export const ipAllowListSchema = z.lazy(() =>
  z.strictObject({
    sourceRange: listOf(ipOrCidr),
    ipStrategy: z.optional(ipStrategySchema),
    rejectStatusCode: z.optional(httpStatus),
  }),
);

/** Deprecated alias of ipAllowList (no rejectStatusCode), still read by Traefik v3. */
export const ipWhiteListSchema = z.lazy(() =>
  z.strictObject({
    sourceRange: listOf(ipOrCidr),
    ipStrategy: z.optional(ipStrategySchema),
  }),
);

export const inFlightReqSchema = z.lazy(() =>
  z.strictObject({
    amount: intIn(1),
    sourceCriterion: z.optional(sourceCriterionSchema),
  }),
);

export const redisSchema = z.lazy(() =>
  z.strictObject({
    endpoints: z.optional(stringList),
    tls: z.optional(z.omit(clientTlsSchema._zod.innerType, { caOptional: true })),
    username: z.optional(str),
    password: z.optional(str),
    db: z.optional(nonNegativeInt),
    poolSize: z.optional(nonNegativeInt),
    minIdleConns: z.optional(nonNegativeInt),
    maxActiveConns: z.optional(nonNegativeInt),
    readTimeout: z.optional(duration),
    writeTimeout: z.optional(duration),
    dialTimeout: z.optional(duration),
  }),
);

export const rateLimitSchema = z.lazy(() =>
  z.strictObject({
    /** Requests per period; 0 means no limit. */
    average: z.optional(nonNegativeInt),
    period: z._default(duration, "1s"),
    burst: z._default(intIn(1), 1),
    sourceCriterion: z.optional(sourceCriterionSchema),
    /** Not used on Workers (validate warns). */
    redis: z.optional(redisSchema),
  }),
);

export const bufferingSchema = z.lazy(() =>
  z.strictObject({
    maxRequestBodyBytes: z.optional(nonNegativeInt),
    memRequestBodyBytes: z.optional(nonNegativeInt),
    maxResponseBodyBytes: z.optional(nonNegativeInt),
    memResponseBodyBytes: z.optional(nonNegativeInt),
    retryExpression: z.optional(str),
  }),
);

export const circuitBreakerSchema = z.lazy(() =>
  z.strictObject({
    expression: z.string().check(z.minLength(1)),
    checkPeriod: z._default(duration, "100ms"),
    fallbackDuration: z._default(duration, "10s"),
    recoveryDuration: z._default(duration, "10s"),
    responseCode: z._default(httpStatus, 503),
  }),
);

export const retrySchema = z.lazy(() =>
  z.strictObject({
    attempts: intIn(1),
    initialInterval: z.optional(duration),
    /** v3.7: how long retries may go on (from the first attempt); none: no limit. */
    timeout: z.optional(duration),
    /** v3.7: statuses whose answers are retried ("503", "500-599"). */
    status: z.optional(listOf(statusRange)),
    /** v3.7: the largest body kept to replay for status retries; any negative value: no limit (Traefik's
     *  NewReusableRequest, maxBodySize < 0; on Workers the in-memory ceiling). Traefik's default 2 MiB. */
    maxRequestBodyBytes: z.optional(intIn()),
    disableRetryOnNetworkError: z.optional(bool),
    retryNonIdempotentMethod: z.optional(bool),
  }),
);
