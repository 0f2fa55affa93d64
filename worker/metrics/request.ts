// A served request → its metric labels (Traefik's): the router and service names qualified with the
// provider (as the API shows them, name@provider), the status code, the method, and the protocol
// Traefik tells apart (websocket, sse, grpc-web, grpc, http). Names are resolved once per snapshot.
import type { Snapshot } from "../compile/snapshot.ts";
import type { RequestObservation } from "../services/types.ts";
import type { Recorder } from "./recorder.ts";

interface Labels {
  readonly snapshot: Snapshot;
  /** router name → [router label, its service's label, both joined: the recorder's key] */
  readonly routers: Map<string, readonly [string, string, string]>;
  /** service name → label */
  readonly services: Map<string, string>;
}

/** Status codes as strings, made once (a request's code label is then a lookup, not a conversion). */
const CODES: string[] = Array.from({ length: 600 }, (_, i) => String(i));

export class RequestMetrics {
  readonly recorder: Recorder;
  private labels: Labels | null = null;

  constructor(recorder: Recorder) {
    this.recorder = recorder;
  }

  /**
   * One request served from `snapshot`, by `router` (null: none matched), `startedAt` a
   * performance.now() taken before routing. Workers advance the clock only across I/O, so the
   * duration is the upstream wait plus whatever I/O the middlewares did.
   */
  record(snapshot: Snapshot, router: string | null, request: Request, response: Response, startedAt: number, observed: RequestObservation | undefined): void {
    const seconds = (performance.now() - startedAt) / 1000;
    const status = response.status;
    const code = status >= 0 && status < 600 ? CODES[status]! : String(status);
    const labels = this.labelsFor(snapshot);
    const pair = router === null ? null : this.routerLabels(labels, router);
    const serviceName = observed?.serviceName;
    const service = serviceName !== undefined ? this.serviceLabel(labels, serviceName) : (pair?.[1] ?? null);
    const origin = observed?.originDurationMs;
    this.recorder.request({
      code,
      method: methodOf(request.method),
      protocol: protocolOf(request.method, request.headers, status),
      router: pair?.[0] ?? null,
      routerService: pair?.[1] ?? "",
      routerKey: pair?.[2] ?? "",
      service,
      seconds,
      serviceSeconds: origin !== undefined ? origin / 1000 : seconds,
      retries: observed?.retryAttempts ?? 0,
    });
  }

  private labelsFor(snapshot: Snapshot): Labels {
    if (this.labels?.snapshot !== snapshot) this.labels = { snapshot, routers: new Map(), services: new Map() };
    return this.labels;
  }

  private routerLabels(labels: Labels, router: string): readonly [string, string, string] {
    let pair = labels.routers.get(router);
    if (!pair) {
      const provider = labels.snapshot.meta.provider;
      const service = routerService(labels.snapshot, router);
      const routerLabel = qualified(router, provider);
      const serviceLabel = service === "" ? "" : qualified(service, provider);
      pair = [routerLabel, serviceLabel, `${routerLabel}\u0000${serviceLabel}`];
      labels.routers.set(router, pair);
    }
    return pair;
  }

  private serviceLabel(labels: Labels, name: string): string {
    let label = labels.services.get(name);
    if (label === undefined) labels.services.set(name, (label = qualified(name, labels.snapshot.meta.provider)));
    return label;
  }
}

/** The router's service as configured; a child router (multi-layer routing) may have none. */
function routerService(snapshot: Snapshot, router: string): string {
  const routers = snapshot.config.http?.routers;
  const own = routers && Object.hasOwn(routers, router) ? routers[router] : undefined;
  return typeof own?.service === "string" ? own.service : "";
}

/** Traefik's qualified name: name@provider, unless the name already names its provider (api@internal). */
export function qualified(name: string, provider: string): string {
  return name.includes("@") ? name : `${name}@${provider}`;
}

/**
 * Traefik's getRequestProtocol, in its order, with at most one header read (each Headers.get is a
 * call into the runtime, the largest part of a request's metrics cost): a WebSocket handshake is
 * known by its 101 answer, SSE is asked for by GET (EventSource), gRPC and gRPC-Web are POSTs.
 * Unlike Traefik, a refused WebSocket handshake counts as http, and an SSE Accept on another
 * method or a gRPC Content-Type on another method is not looked at (docs/metrics.md).
 */
export function protocolOf(method: string, headers: Headers, status: number): string {
  if (status === 101) return "websocket";
  if (method === "GET") return hasToken(headers.get("accept"), "text/event-stream") ? "sse" : "http";
  if (method !== "POST") return "http";
  const type = headers.get("content-type");
  if (type !== null && type.startsWith("application/grpc")) return type.startsWith("application/grpc-web") ? "grpc-web" : "grpc";
  return "http";
}

/** Traefik's containsHeader: one comma-separated element, trimmed and lower-cased, equals `token`. */
function hasToken(value: string | null, token: string): boolean {
  return value !== null && value.split(",").some((item) => item.trim().toLowerCase() === token);
}

/** The methods Traefik labels by name (getMethod); any other is EXTENSION_METHOD, bounding the label. */
const METHODS = new Map(["HEAD", "GET", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "PRI"].map((m) => [m, m]));

/** The label, as one long-lived string per method (the request's own is new each time). */
export function methodOf(method: string): string {
  return METHODS.get(method) ?? "EXTENSION_METHOD";
}
