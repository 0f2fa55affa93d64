// Traffic control: IP filtering, rate and concurrency limits, buffering, circuit breaking, retries.
import * as z from "zod";
import { bool, duration, emptyable, headerName, httpStatus, intIn, ipOrCidr, listOf, nonNegativeInt, statusRange, str, stringList } from "../common.ts";
import { clientTlsSchema } from "./auth.ts";

export const ipStrategySchema = emptyable(
  z.strictObject({
    depth: nonNegativeInt.optional(),
    excludedIPs: listOf(ipOrCidr).optional(),
    ipv6Subnet: intIn(0, 128).optional(),
  }),
);

export const sourceCriterionSchema = emptyable(
  z.strictObject({
    ipStrategy: ipStrategySchema.optional(),
    requestHeaderName: headerName.optional(),
    requestHost: bool.optional(),
  }),
);

export const ipAllowListSchema = z.strictObject({
  sourceRange: listOf(ipOrCidr),
  ipStrategy: ipStrategySchema.optional(),
  rejectStatusCode: httpStatus.optional(),
});

/** Deprecated alias of ipAllowList (no rejectStatusCode), still read by Traefik v3. */
export const ipWhiteListSchema = z.strictObject({
  sourceRange: listOf(ipOrCidr),
  ipStrategy: ipStrategySchema.optional(),
});

export const inFlightReqSchema = z.strictObject({
  amount: intIn(1),
  sourceCriterion: sourceCriterionSchema.optional(),
});

export const redisSchema = z.strictObject({
  endpoints: stringList.optional(),
  tls: clientTlsSchema.omit({ caOptional: true }).optional(),
  username: str.optional(),
  password: str.optional(),
  db: nonNegativeInt.optional(),
  poolSize: nonNegativeInt.optional(),
  minIdleConns: nonNegativeInt.optional(),
  maxActiveConns: nonNegativeInt.optional(),
  readTimeout: duration.optional(),
  writeTimeout: duration.optional(),
  dialTimeout: duration.optional(),
});

export const rateLimitSchema = z.strictObject({
  /** Requests per period; 0 means no limit. */
  average: nonNegativeInt.optional(),
  period: duration.default("1s"),
  burst: intIn(1).default(1),
  sourceCriterion: sourceCriterionSchema.optional(),
  /** Not used on Workers (validate warns). */
  redis: redisSchema.optional(),
});

export const bufferingSchema = z.strictObject({
  maxRequestBodyBytes: nonNegativeInt.optional(),
  memRequestBodyBytes: nonNegativeInt.optional(),
  maxResponseBodyBytes: nonNegativeInt.optional(),
  memResponseBodyBytes: nonNegativeInt.optional(),
  retryExpression: str.optional(),
});

export const circuitBreakerSchema = z.strictObject({
  expression: z.string().min(1),
  checkPeriod: duration.default("100ms"),
  fallbackDuration: duration.default("10s"),
  recoveryDuration: duration.default("10s"),
  responseCode: httpStatus.default(503),
});

export const retrySchema = z.strictObject({
  attempts: intIn(1),
  initialInterval: duration.optional(),
  /** v3.7: how long retries may go on (from the first attempt); none: no limit. */
  timeout: duration.optional(),
  /** v3.7: statuses whose answers are retried ("503", "500-599"). */
  status: listOf(statusRange).optional(),
  /** v3.7: the largest body kept to replay for status retries; any negative value: no limit (Traefik's
   *  NewReusableRequest, maxBodySize < 0; on Workers the in-memory ceiling). Traefik's default 2 MiB. */
  maxRequestBodyBytes: intIn().optional(),
  disableRetryOnNetworkError: bool.optional(),
  retryNonIdempotentMethod: bool.optional(),
});
