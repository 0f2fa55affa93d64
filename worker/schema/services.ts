// http.services.<name>: exactly one of loadBalancer, weighted, mirroring, failover, highestRandomWeight.
import * as z from "zod";
import { cookieDomainProblem, cookiePathProblem } from "../http/cookie-syntax.ts";
import {
  bool,
  checked,
  duration,
  emptyable,
  headerMap,
  httpStatus,
  int,
  intIn,
  listOf,
  method,
  nonEmpty,
  nonNegativeInt,
  serverUrl,
  statusRange,
  str,
  stringList,
} from "./common.ts";

const sameSite = z.string().superRefine((value, ctx) => {
  if (!["none", "lax", "strict", ""].includes(value.toLowerCase())) {
    ctx.addIssue({ code: "custom", message: `sameSite must be one of none, lax, strict (got "${value}")` });
  }
});

export const cookieSchema = emptyable(
  z.strictObject({
    name: str.optional(),
    secure: bool.optional(),
    httpOnly: bool.optional(),
    sameSite: sameSite.optional(),
    maxAge: int.optional(),
    path: checked(cookiePathProblem).default("/"),
    domain: checked(cookieDomainProblem).optional(),
  }),
);

export const stickySchema = emptyable(z.strictObject({ cookie: cookieSchema.optional() }));

export const serverSchema = z.strictObject({
  url: serverUrl,
  weight: nonNegativeInt.optional(),
  preservePath: bool.optional(),
});

export const serverHealthCheckSchema = emptyable(
  z.strictObject({
    scheme: z.enum(["http", "https"]).optional(),
    mode: z.enum(["http", "grpc"]).default("http"),
    path: str.optional(),
    method: method.optional(),
    status: httpStatus.optional(),
    port: intIn(1, 65535).optional(),
    interval: duration.default("30s"),
    unhealthyInterval: duration.optional(),
    timeout: duration.default("5s"),
    hostname: str.optional(),
    followRedirects: bool.default(true),
    headers: headerMap.optional(),
  }),
);

export const passiveHealthCheckSchema = emptyable(
  z.strictObject({
    failureWindow: duration.default("10s"),
    maxFailedAttempts: intIn(1).default(1),
  }),
);

export const loadBalancerSchema = z.strictObject({
  sticky: stickySchema.optional(),
  servers: z.array(serverSchema).optional(),
  strategy: z.enum(["wrr", "p2c", "hrw", "leasttime"]).default("wrr"),
  healthCheck: serverHealthCheckSchema.optional(),
  passiveHealthCheck: passiveHealthCheckSchema.optional(),
  /**
   * Traefik's default is true; it is applied where the pool is built (compile/service-builders.ts)
   * and in the API representation, not here, so the stored config keeps only what the user wrote
   * and a written `true` on an http(s):// server can be warned (it has no effect there on Workers).
   */
  passHostHeader: bool.optional(),
  responseForwarding: emptyable(z.strictObject({ flushInterval: duration.default("100ms") })).optional(),
  serversTransport: nonEmpty.optional(),
});

/** Service-level health check: an empty object that switches on status propagation. */
export const serviceHealthCheckSchema = emptyable(z.strictObject({}));

const weightedRef = z.strictObject({ name: nonEmpty, weight: nonNegativeInt.default(1) });

export const weightedSchema = z.strictObject({
  services: z.array(weightedRef).optional(),
  sticky: stickySchema.optional(),
  healthCheck: serviceHealthCheckSchema.optional(),
});

export const highestRandomWeightSchema = z.strictObject({
  services: z.array(weightedRef).optional(),
  healthCheck: serviceHealthCheckSchema.optional(),
});

export const mirroringSchema = z.strictObject({
  service: nonEmpty,
  mirrorBody: bool.default(true),
  /** -1: no limit. */
  maxBodySize: intIn(-1).default(-1),
  mirrors: z.array(z.strictObject({ name: nonEmpty, percent: intIn(0, 100) })).optional(),
  healthCheck: serviceHealthCheckSchema.optional(),
});

export const failoverSchema = z.strictObject({
  service: nonEmpty,
  fallback: nonEmpty,
  healthCheck: serviceHealthCheckSchema.optional(),
  /** v3.7: fail over on these response statuses too. */
  errors: z
    .strictObject({
      maxRequestBodyBytes: intIn(-1).default(-1),
      status: listOf(statusRange).optional(),
    })
    .optional(),
});

export const SERVICE_TYPES = ["loadBalancer", "weighted", "mirroring", "failover", "highestRandomWeight"] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const serviceSchema = z.strictObject({
  loadBalancer: loadBalancerSchema.optional(),
  weighted: weightedSchema.optional(),
  mirroring: mirroringSchema.optional(),
  failover: failoverSchema.optional(),
  highestRandomWeight: highestRandomWeightSchema.optional(),
  /** v3.7: middlewares applied to every request this service handles. */
  middlewares: stringList.optional(),
});

export type ServiceConfig = z.output<typeof serviceSchema>;
/** One service type's options, as the service modules' own checks see them. */
export type ServiceOptions<K extends ServiceType> = NonNullable<ServiceConfig[K]>;
export type LoadBalancerConfig = z.output<typeof loadBalancerSchema>;

/** passHostHeader as Traefik reads it: true unless written false (the schema fills no default). */
export const passHostHeaderOf = (lb: LoadBalancerConfig): boolean => lb.passHostHeader ?? true;
export type ServerConfig = z.output<typeof serverSchema>;
export type Sticky = z.output<typeof stickySchema>;
export type Cookie = z.output<typeof cookieSchema>;
export type ServerHealthCheck = z.output<typeof serverHealthCheckSchema>;
export type PassiveHealthCheck = z.output<typeof passiveHealthCheckSchema>;
export type Weighted = z.output<typeof weightedSchema>;
export type HighestRandomWeight = z.output<typeof highestRandomWeightSchema>;
export type Mirroring = z.output<typeof mirroringSchema>;
export type Failover = z.output<typeof failoverSchema>;
