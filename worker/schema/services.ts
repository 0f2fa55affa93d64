// http.services.<name>: exactly one of loadBalancer, weighted, mirroring, failover, highestRandomWeight.
import * as z from "zod/mini";
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

const sameSite = z.string().check(
  z.superRefine((value, ctx) => {
    if (!["none", "lax", "strict", ""].includes(value.toLowerCase())) {
      ctx.addIssue({ code: "custom", message: `sameSite must be one of none, lax, strict (got "${value}")` });
    }
  }),
);

export const cookieSchema = z.lazy(() =>
  emptyable(
    z.strictObject({
      name: z.optional(str),
      secure: z.optional(bool),
      httpOnly: z.optional(bool),
      sameSite: z.optional(sameSite),
      maxAge: z.optional(int),
      path: z._default(checked(cookiePathProblem), "/"),
      domain: z.optional(checked(cookieDomainProblem)),
    }),
  ),
);

export const stickySchema = z.lazy(() => emptyable(z.strictObject({ cookie: z.optional(cookieSchema) })));

export const serverSchema = z.lazy(() =>
  z.strictObject({
    url: serverUrl,
    weight: z.optional(nonNegativeInt),
    preservePath: z.optional(bool),
  }),
);

export const serverHealthCheckSchema = z.lazy(() =>
  emptyable(
    z.strictObject({
      scheme: z.optional(z.enum(["http", "https"])),
      mode: z._default(z.enum(["http", "grpc"]), "http"),
      path: z.optional(str),
      method: z.optional(method),
      status: z.optional(httpStatus),
      port: z.optional(intIn(1, 65535)),
      interval: z._default(duration, "30s"),
      unhealthyInterval: z.optional(duration),
      timeout: z._default(duration, "5s"),
      hostname: z.optional(str),
      followRedirects: z._default(bool, true),
      headers: z.optional(headerMap),
    }),
  ),
);

export const passiveHealthCheckSchema = z.lazy(() =>
  emptyable(
    z.strictObject({
      failureWindow: z._default(duration, "10s"),
      maxFailedAttempts: z._default(intIn(1), 1),
    }),
  ),
);

export const loadBalancerSchema = z.lazy(() =>
  z.strictObject({
    sticky: z.optional(stickySchema),
    servers: z.optional(z.array(serverSchema)),
    strategy: z._default(z.enum(["wrr", "p2c", "hrw", "leasttime"]), "wrr"),
    healthCheck: z.optional(serverHealthCheckSchema),
    passiveHealthCheck: z.optional(passiveHealthCheckSchema),
    /**
     * Traefik's default is true; it is applied where the pool is built (compile/service-builders.ts)
     * and in the API representation, not here, so the stored config keeps only what the user wrote
     * and a written `true` on an http(s):// server can be warned (it has no effect there on Workers).
     */
    passHostHeader: z.optional(bool),
    responseForwarding: z.optional(emptyable(z.strictObject({ flushInterval: z._default(duration, "100ms") }))),
    serversTransport: z.optional(nonEmpty),
  }),
);

/** Service-level health check: an empty object that switches on status propagation. */
export const serviceHealthCheckSchema = z.lazy(() => emptyable(z.strictObject({})));

const weightedRef = z.strictObject({ name: nonEmpty, weight: z._default(nonNegativeInt, 1) });

export const weightedSchema = z.lazy(() =>
  z.strictObject({
    services: z.optional(z.array(weightedRef)),
    sticky: z.optional(stickySchema),
    healthCheck: z.optional(serviceHealthCheckSchema),
  }),
);

export const highestRandomWeightSchema = z.lazy(() =>
  z.strictObject({
    services: z.optional(z.array(weightedRef)),
    healthCheck: z.optional(serviceHealthCheckSchema),
  }),
);

export const mirroringSchema = z.lazy(() =>
  z.strictObject({
    service: nonEmpty,
    mirrorBody: z._default(bool, true),
    /** -1: no limit. */
    maxBodySize: z._default(intIn(-1), -1),
    mirrors: z.optional(z.array(z.strictObject({ name: nonEmpty, percent: intIn(0, 100) }))),
    healthCheck: z.optional(serviceHealthCheckSchema),
  }),
);

export const failoverSchema = z.lazy(() =>
  z.strictObject({
    service: nonEmpty,
    fallback: nonEmpty,
    healthCheck: z.optional(serviceHealthCheckSchema),
    /** v3.7: fail over on these response statuses too. */
    errors: z.optional(
      z.strictObject({
        maxRequestBodyBytes: z._default(intIn(-1), -1),
        status: z.optional(listOf(statusRange)),
      }),
    ),
  }),
);

export const SERVICE_TYPES = ["loadBalancer", "weighted", "mirroring", "failover", "highestRandomWeight"] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const serviceSchema = z.lazy(() =>
  z.strictObject({
    loadBalancer: z.optional(loadBalancerSchema),
    weighted: z.optional(weightedSchema),
    mirroring: z.optional(mirroringSchema),
    failover: z.optional(failoverSchema),
    highestRandomWeight: z.optional(highestRandomWeightSchema),
    /** v3.7: middlewares applied to every request this service handles. */
    middlewares: z.optional(stringList),
  }),
);

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
