// What a compiled handler sees besides the request. Built once per request by the entry point.
import type { HealthCheckerBinding } from "./health/checker.ts";

/**
 * The bindings a compiled handler reaches, narrowed to what this layer names: the health checkers
 * and their poll interval. Service-binding upstreams are found by name (binding.ts bindingFetcher),
 * and a middleware finds its own Durable Object the same way (middlewares/ratelimit/limiter.ts).
 */
export interface RequestEnv extends Partial<HealthCheckerBinding> {
  readonly POLL_INTERVAL_MS?: string;
}

export interface RequestContext {
  /** The request URL, parsed once. Middlewares that rewrite the path replace the request, not this. */
  readonly url: URL;
  /** The client's IP (CF-Connecting-IP), or null when the runtime does not say. */
  readonly clientIP: string | null;
  /** Keep background work (health reports, mirrors, config polls) alive past the response. */
  readonly waitUntil: (promise: Promise<unknown>) => void;
  /** Bindings, for what lives outside the isolate: service-binding upstreams, the rate limiter and
   *  health-checker Durable Objects. Compiled handlers reach I/O only through this. */
  readonly env: RequestEnv;
  /**
   * Forwarded headers (lower-case) a middleware removed (headers.customRequestHeaders with an
   * empty value). Traefik sets them at its entry point, before any middleware, and the proxy adds
   * X-Forwarded-For only when `X-Forwarded-For: ""` did not remove it: so the proxy adds none back.
   */
  readonly forwardedRemoved?: ReadonlySet<string>;
  /**
   * What this request's handlers learned on the way, for the access log and the metrics (filled as
   * the request goes; the entry reads it once the response is made). Absent in callers that do not
   * observe (tests, the explain endpoint): writers use `rc.observed?.x = …`.
   */
  readonly observed?: RequestObservation;
  /**
   * Headers the transport sets on every upstream request of this request (W3C traceparent and
   * tracestate, X-Request-Id), made once at the entry (worker/observe); a null value removes the
   * client's (a tracestate without a valid traceparent). Absent: none are added.
   */
  readonly propagate?: ReadonlyArray<readonly [name: string, value: string | null]>;
}

/** Filled by the handlers of one request; field names follow Traefik's access log where one exists. */
export interface RequestObservation {
  /** The router that matched (RouterName), as written in the config; set by serve. */
  routerName?: string;
  /** The leaf service that answered (ServiceName), as written in the config. */
  serviceName?: string;
  /** The server URL the load balancer picked (ServiceURL), or `binding://NAME`. */
  serviceURL?: string;
  /** host[:port] of that server (ServiceAddr); the binding's name for a service binding. */
  serviceAddr?: string;
  /** The upstream's status (OriginStatus), when a request reached one. */
  originStatus?: number;
  /** Milliseconds from the upstream fetch to its response headers (OriginDuration). */
  originDurationMs?: number;
  /** The upstream's response headers (origin_<Name> fields, OriginContentSize). */
  originHeaders?: Headers;
  /** Retries the retry middleware made (RetryAttempts): attempts beyond the first. */
  retryAttempts: number;
  /** Who an auth middleware let through (ClientUsername), e.g. jwt's usernameClaim. */
  clientUsername?: string;
}

/** Everything downstream of a router: middlewares wrap it, services implement it. */
export type Handler = (request: Request, rc: RequestContext) => Promise<Response>;

/** Whether a service can take requests, as its parents (weighted, failover, …) see it. */
export interface HealthReporter {
  /** May start a background refresh (through rc.waitUntil); answers from what this isolate knows now. */
  up(rc: RequestContext): boolean;
}

/** A built service: its handler, and its health when it reports one (Traefik: healthCheck enabled). */
export interface Service {
  readonly handle: Handler;
  readonly health: HealthReporter | null;
}
