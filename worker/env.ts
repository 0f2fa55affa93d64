// The Worker's plain bindings and variables (wrangler.toml [vars], secrets, .dev.vars). Each Durable
// Object namespace is typed where its class is, by a narrow binding interface (providers/config-store.ts
// ConfigStoreBinding, middlewares/ratelimit/limiter.ts RateLimiterBinding, services/health/checker.ts
// HealthCheckerBinding), which the entry adds (worker/index.ts WorkerEnv): this file imports nothing,
// and reads the variables that several layers pace themselves by (POLL_INTERVAL_MS,
// FLEET_REPORT_INTERVAL_MS).

export interface Env {
  CONFIG_KV: KVNamespace;
  POLL_INTERVAL_MS?: string;
  /** Where the watcher reads config: "kv" (default), "durable-object" or "file". */
  CONFIG_SOURCE?: string;
  /** How many versions the config store keeps for history and rollback. */
  HISTORY_LIMIT?: string;
  ADMIN_BASE_PATH?: string;
  /** The admin token: every scope (read, write, rollback, metrics), and the only one that may manage stored tokens. */
  ADMIN_TOKEN?: string;
  /** A read-only admin token (name "read-only"): scopes read and metrics, e.g. for the dashboard's read-only mode. */
  ADMIN_READ_TOKEN?: string;
  /** Failed admin-token attempts one client address may make before 429 (default 10)... */
  ADMIN_AUTH_MAX_FAILURES?: string;
  /** ...which refill over this many milliseconds (default 300000: 10 per 5 minutes). */
  ADMIN_AUTH_WINDOW_MS?: string;
  /** "true": responses carry X-Switchyard-Version and X-Switchyard-Router (debugging propagation). */
  VERSION_HEADER?: string;
  /** CIDRs (comma-separated) whose X-Forwarded-* headers are kept, as Traefik's forwardedHeaders.trustedIPs. */
  FORWARDED_TRUSTED_IPS?: string;
  /** "true": trust every client's X-Forwarded-* headers, as Traefik's forwardedHeaders.insecure. */
  FORWARDED_INSECURE?: string;
  /** Traefik's core.defaultRuleSyntax: "v3" (default) or "v2", for routers without ruleSyntax. */
  DEFAULT_RULE_SYNTAX?: string;
  /** "false": no access log (on by default). worker/observe/options.ts reads these, docs/observability.md explains them. */
  ACCESS_LOG?: string;
  /** JSON of Traefik's accessLog section: filters, fields (headers keep/drop/redact), sampleRate, addInternals. */
  ACCESS_LOG_OPTIONS?: string;
  /** "false": no traceparent/tracestate nor X-Request-Id added (on by default). */
  TRACING?: string;
  /** Traefik's tracing.sampleRate, 0..1 (default 1), for traces this router starts. */
  TRACING_SAMPLE_RATE?: string;
  /** The service.name of exported spans (default "switchyard"). */
  TRACING_SERVICE_NAME?: string;
  /** OTLP/HTTP (JSON) collector URL, e.g. http://127.0.0.1:4318/v1/traces: one span per sampled request. */
  TRACING_OTLP_ENDPOINT?: string;
  /** JSON object of headers sent with each export (keep it a secret when it holds a token). */
  TRACING_OTLP_HEADERS?: string;
  /** A batch of spans leaves at most this many ms after its first span (default 5000). */
  TRACING_OTLP_FLUSH_MS?: string;
  /**
   * How often (ms) each isolate reports its state to the config store at least (it also reports
   * at once when it changes), for <base>/status/fleet. Default 30000; "0" turns reporting off.
   */
  FLEET_REPORT_INTERVAL_MS?: string;
  /** A bearer token with the metrics scope alone (name "metrics"): GET <admin base>/metrics and /metrics/history. */
  METRICS_TOKEN?: string;
  /** How often (ms) an isolate reads the shadow candidate's pointer from KV (default 30000, KV's cache time; docs/safe-changes.md). */
  SHADOW_POLL_INTERVAL_MS?: string;
  /** How often (ms), at most, an isolate sends its shadow evaluation counts to the config store (default 10000). */
  SHADOW_FLUSH_INTERVAL_MS?: string;
  /** How often, at most, an isolate flushes its metric deltas to the metrics store (default 10000 ms). */
  METRICS_FLUSH_INTERVAL_MS?: string;
  /** How many metrics store objects share the flushes (default 1; see docs/metrics.md for when to raise it). */
  METRICS_SHARDS?: string;
  /** An Analytics Engine dataset: when bound, every flush also writes one data point per series. */
  METRICS_DATASET?: AnalyticsEngineDataset;
  /** The dashboard's files (wrangler.toml [assets]); only <base>/dashboard/ reads them (worker/admin/dashboard.ts). */
  ASSETS?: Fetcher;
}

/** Cloudflare default; set POLL_INTERVAL_MS lower for tests, higher to save KV reads. */
const DEFAULT_POLL_INTERVAL_MS = 5_000;

/** POLL_INTERVAL_MS in ms (a number >= 0), else the default: the watcher's and the health probes' pace. */
export function pollIntervalMs(env: Pick<Env, "POLL_INTERVAL_MS">): number {
  const ms = Number(env.POLL_INTERVAL_MS);
  return env.POLL_INTERVAL_MS !== undefined && Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_POLL_INTERVAL_MS;
}

/** Every 30 s an isolate with traffic says it is alive: one small Durable Object call. */
const DEFAULT_FLEET_REPORT_INTERVAL_MS = 30_000;

/** FLEET_REPORT_INTERVAL_MS in ms (a number >= 0; 0 means off), else the default. */
export function fleetReportIntervalMs(env: Pick<Env, "FLEET_REPORT_INTERVAL_MS">): number {
  const ms = Number(env.FLEET_REPORT_INTERVAL_MS);
  return env.FLEET_REPORT_INTERVAL_MS !== undefined && env.FLEET_REPORT_INTERVAL_MS !== "" && Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_FLEET_REPORT_INTERVAL_MS;
}
