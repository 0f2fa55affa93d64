// Per-isolate state, created on the first request (bindings are not known before) and kept at
// module scope for the isolate's life: the switcher, the watcher and the provider behind it.
import demoConfig from "../examples/demo.yaml";
import { CONFIG_STORE_NAME } from "../providers/config-store-api.ts";
import type { ConfigStoreBinding } from "../providers/config-store.ts";
import { DurableObjectProvider } from "../providers/do.ts";
import { FallbackProvider } from "../providers/fallback.ts";
import { FileProvider } from "../providers/file.ts";
import { KvProvider } from "../providers/kv.ts";
import type { Provider } from "../providers/types.ts";
import { apiInternalServices } from "./api/internal.ts";
import type { Snapshot } from "./compile/snapshot.ts";
import { routerListener, type ListenerOptions } from "./dynamic/listener.ts";
import { Switcher } from "./dynamic/switcher.ts";
import { Watcher } from "./dynamic/watcher.ts";
import { shadowEvaluator } from "./dynamic/shadow-env.ts";
import type { ShadowEvaluator } from "./dynamic/shadow.ts";
import { adminBase } from "./admin/index.ts";
import type { AdminIsolate, IsolateStatus } from "./admin/isolate.ts";
import { configDecoder } from "./config/index.ts";
import { fleetReportIntervalMs, pollIntervalMs, type Env } from "./env.ts";
import { FleetReporter } from "./fleet/reporter.ts";
import { Observer } from "./observe/index.ts";
import { observeSettings } from "./observe/options.ts";
import type { ServeOptions } from "./serve.ts";
import { forwardedPolicy, type ForwardedPolicy } from "./services/forwarded.ts";
import { countingReloads, isolateMetrics, type IsolateMetrics, type MetricsBinding } from "./metrics/index.ts";

/** What the runtime reads: the Worker's variables and the config store's namespace. */
export type RuntimeEnv = Env & ConfigStoreBinding & MetricsBinding;

export interface Runtime {
  readonly switcher: Switcher<Snapshot>;
  readonly watcher: Watcher;
  readonly forwarded: ForwardedPolicy;
  readonly serveOptions: ServeOptions;
  /** The access log and tracing (ACCESS_LOG*, TRACING* variables), read once per isolate. */
  readonly observer: Observer;
  /** This isolate's metrics: recorded per request (serve.ts), flushed in the background. */
  readonly metrics: IsolateMetrics;
  /** What the admin API reads of this isolate: its base path, current snapshot and status. */
  readonly admin: AdminIsolate;
  /** Reports this isolate to the config store for <base>/status/fleet (worker/fleet/). */
  readonly fleet: FleetReporter;
  /** Matches a sample of requests against a candidate config in the background (docs/safe-changes.md). */
  readonly shadow: ShadowEvaluator;
  /**
   * The snapshot served now; a cold isolate first waits for the load under way (starting one if
   * due), at most `limitMs`: a routed request waits for it, an admin read ADMIN_LOAD_WAIT_MS.
   */
  loaded(limitMs?: number): Promise<Snapshot | null>;
  status(): IsolateStatus;
}

/** How long an admin read of a cold isolate's config waits for its first load before a 503. */
const ADMIN_LOAD_WAIT_MS = 1_000;

let runtime: Runtime | null = null;

export function runtimeFor(env: RuntimeEnv): Runtime {
  runtime ??= createRuntime(env);
  return runtime;
}

export function createRuntime(env: RuntimeEnv): Runtime {
  const isolate = crypto.randomUUID();
  const switcher = new Switcher<Snapshot>();
  const provider = configSource(env);
  const intervalMs = pollIntervalMs(env);
  // The Worker always has the API (Traefik's `api` section is always on): api@internal is handed in.
  const metrics = isolateMetrics(env, isolate, () => switcher.current);
  const routes = routerListener(switcher, { ...listenerOptions(env), internal: apiInternalServices, defaultRuleSyntax: env.DEFAULT_RULE_SYNTAX });
  const listener = countingReloads(routes, metrics.recorder);
  const watcher = new Watcher(provider, listener, { intervalMs });
  const status = (): IsolateStatus => {
    const meta = switcher.current?.meta;
    const serving = meta ? { version: meta.version, sha256: meta.sha256, provider: meta.provider, load: meta.load } : null;
    return { isolate, source: provider.name, pollIntervalMs: intervalMs, serving, ...watcher.state };
  };
  const forwarded = forwardedPolicy(env.FORWARDED_TRUSTED_IPS, env.FORWARDED_INSECURE);
  const serveOptions = { versionHeader: env.VERSION_HEADER === "true", metrics: metrics.requests };
  const loaded = async (limitMs = Infinity): Promise<Snapshot | null> => {
    if (switcher.current) return switcher.current;
    const load = watcher.maybePoll() ?? watcher.pending();
    if (load) await (limitMs === Infinity ? load : Promise.race([load.catch(() => {}), new Promise((resolve) => setTimeout(resolve, limitMs))]));
    return switcher.current;
  };
  const admin: AdminIsolate = { base: adminBase(env), loaded: () => loaded(ADMIN_LOAD_WAIT_MS), status, metrics: () => metrics.scrape(), metricsHistory: (w) => metrics.history(w) };
  const fleetStore = () => env.CONFIG_STORE.get(env.CONFIG_STORE.idFromName(CONFIG_STORE_NAME));
  const fleetState = () => ({ status: status(), servingSince: switcher.current?.compiledAt ?? null });
  const fleet = new FleetReporter(fleetState, fleetReportIntervalMs(env), { store: fleetStore, now: Date.now });
  const shadow = shadowEvaluator(env, fleetStore);
  return { switcher, watcher, forwarded, serveOptions, metrics, observer: observerFor(env), admin, fleet, shadow, loaded, status };
}

/** The observer, its setting problems logged once, at isolate start, each at its path. */
function observerFor(env: Env): Observer {
  const settings = observeSettings(env);
  for (const issue of settings.issues) console.error(`${issue.warning ? "warning" : "error"}: ${issue.path}: ${issue.message}`);
  return new Observer(settings);
}

/** Snapshots the store publishes are JSON; one written to KV by hand may be YAML or TOML. */
// Bounds (depth, expanded size) are the listener's to check: a snapshot loaded from its load facts
// is the store's own text (sha256 verified), and scanning it would cost as much as parsing it.
const decode = configDecoder("auto", { bounds: false });

/** CONFIG_SOURCE: "kv" (default), "durable-object" (strongly consistent, one DO call per poll) or "file". */
function configSource(env: Pick<RuntimeEnv, "CONFIG_SOURCE" | "CONFIG_KV" | "CONFIG_STORE">): Provider {
  const bundled = new FileProvider(demoConfig, "examples/demo.yaml", configDecoder("yaml"));
  switch (env.CONFIG_SOURCE ?? "kv") {
    case "file":
      return bundled;
    case "durable-object":
      return new FallbackProvider(DurableObjectProvider.forNamespace(env.CONFIG_STORE, decode, CONFIG_STORE_NAME), bundled);
    default:
      return new FallbackProvider(new KvProvider(env.CONFIG_KV, { decode }), bundled);
  }
}

/**
 * KV source: a plain KV write bypasses the config store, so the store still holds the last good
 * config for a cold isolate handed one without routers (see routerListener).
 */
function listenerOptions(env: Pick<RuntimeEnv, "CONFIG_SOURCE" | "CONFIG_STORE">): ListenerOptions {
  const source = env.CONFIG_SOURCE ?? "kv";
  return source === "file" || source === "durable-object" ? {} : { lastGood: DurableObjectProvider.forNamespace(env.CONFIG_STORE, decode, CONFIG_STORE_NAME) };
}

