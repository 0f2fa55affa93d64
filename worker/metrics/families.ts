// The metric families Switchyard exposes, with Traefik's names, help texts, labels and default
// buckets (Traefik v3 pkg/observability/metrics/prometheus.go), so dashboards built for Traefik's
// Prometheus metrics read them unchanged. What Traefik has and this file does not: docs/metrics.md.

/** Traefik's default latency buckets, in seconds (types.Prometheus.SetDefaults). */
export const BUCKETS: readonly number[] = [0.1, 0.3, 1.2, 5];

export type Kind = "counter" | "gauge" | "histogram";

/**
 * How the global figure is made from the isolates' reports: counters and histograms add up;
 * a `max` gauge keeps the largest value (a timestamp: the latest), a `last` gauge the value
 * reported last (by the time the isolate observed it).
 */
export type Merge = "sum" | "max" | "last";

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly kind: Kind;
  readonly labels: readonly string[];
  readonly merge: Merge;
}

const ROUTER_LABELS = ["code", "method", "protocol", "router", "service"] as const;
const SERVICE_LABELS = ["code", "method", "protocol", "service"] as const;
const ENTRYPOINT_LABELS = ["code", "method", "protocol", "entrypoint"] as const;

function family(name: string, kind: Kind, labels: readonly string[], help: string, merge: Merge = "sum"): Family {
  return { name, kind, labels, help, merge };
}

/** In exposition order. */
export const FAMILIES = {
  configReloads: family("traefik_config_reloads_total", "counter", [], "Config reloads"),
  configLastReloadSuccess: family("traefik_config_last_reload_success", "gauge", [], "Last config reload success", "max"),
  entryPointRequests: family(
    "traefik_entrypoint_requests_total",
    "counter",
    ENTRYPOINT_LABELS,
    "How many HTTP requests processed on an entrypoint, partitioned by status code, protocol, and method.",
  ),
  entryPointDuration: family(
    "traefik_entrypoint_request_duration_seconds",
    "histogram",
    ENTRYPOINT_LABELS,
    "How long it took to process the request on an entrypoint, partitioned by status code, protocol, and method.",
  ),
  routerRequests: family(
    "traefik_router_requests_total",
    "counter",
    ROUTER_LABELS,
    "How many HTTP requests are processed on a router, partitioned by service, status code, protocol, and method.",
  ),
  routerDuration: family(
    "traefik_router_request_duration_seconds",
    "histogram",
    ROUTER_LABELS,
    "How long it took to process the request on a router, partitioned by service, status code, protocol, and method.",
  ),
  serviceRequests: family(
    "traefik_service_requests_total",
    "counter",
    SERVICE_LABELS,
    "How many HTTP requests processed on a service, partitioned by status code, protocol, and method.",
  ),
  serviceDuration: family(
    "traefik_service_request_duration_seconds",
    "histogram",
    SERVICE_LABELS,
    "How long it took to process the request on a service, partitioned by status code, protocol, and method.",
  ),
  serviceRetries: family("traefik_service_retries_total", "counter", ["service"], "How many request retries happened on a service."),
  serviceServerUp: family(
    "traefik_service_server_up",
    "gauge",
    ["service", "url"],
    "service server is up, described by gauge value of 0 or 1.",
    "last",
  ),
  droppedSeries: family(
    "switchyard_metrics_dropped_series_total",
    "counter",
    [],
    "Observations an isolate or the metrics store did not keep because its series cap was reached (label cardinality bound).",
  ),
} as const satisfies Record<string, Family>;

export type FamilyId = keyof typeof FAMILIES;

const byName = new Map<string, Family>(Object.values(FAMILIES).map((f) => [f.name, f]));

/** The family of a reported series, or undefined for a name this build does not know (skipped). */
export function familyNamed(name: string): Family | undefined {
  return byName.get(name);
}

/** The one entry point a Worker has, named as the one Traefik makes when none is configured (:80). */
export const ENTRYPOINT = "http";
