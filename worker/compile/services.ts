// Services for a snapshot. A service whose effective config (its own and its transport's) is
// deep-equal to the previous snapshot's keeps its object, and with it its pool state.
import { canonicalJSON, durationMs, type DynamicConfig } from "../config/index.ts";
import { LoadBalancer } from "../services/loadbalancer.ts";
import type { TransportOptions } from "../services/proxy.ts";
import type { Handler } from "../services/types.ts";
import { localName, serviceIssue, type CompileIssue } from "./issues.ts";

export interface ServiceEntry {
  /** Canonical JSON of everything the service was built from: equal key, reusable object. */
  readonly key: string;
  readonly handler: Handler;
  readonly pool: LoadBalancer | null;
}

type Http = NonNullable<DynamicConfig["http"]>;
type ServiceConfig = NonNullable<Http["services"]>[string];

export function buildServices(
  config: DynamicConfig,
  previous: ReadonlyMap<string, ServiceEntry> | null,
  errors: CompileIssue[],
): Map<string, ServiceEntry> {
  const out = new Map<string, ServiceEntry>();
  for (const [name, service] of Object.entries(config.http?.services ?? {})) {
    const transport = transportFor(config, service);
    const key = canonicalJSON({ service, transport });
    const reused = previous?.get(name);
    if (reused && reused.key === key) {
      out.set(name, reused);
      continue;
    }
    const entry = buildService(name, service, transport, key, errors);
    if (entry) out.set(name, entry);
  }
  return out;
}

function buildService(
  name: string,
  service: ServiceConfig,
  transport: TransportOptions,
  key: string,
  errors: CompileIssue[],
): ServiceEntry | null {
  if (!service.loadBalancer) {
    const kind = Object.keys(service)[0] ?? "unknown";
    errors.push(serviceIssue(name, kind, `service type "${kind}" is not implemented yet in this build`));
    return null;
  }
  const pool = new LoadBalancer(service.loadBalancer.servers ?? [], transport);
  return { key, handler: pool.handle, pool };
}

function transportFor(config: DynamicConfig, service: ServiceConfig): TransportOptions {
  const ref = service.loadBalancer?.serversTransport;
  const transport = ref ? config.http?.serversTransports?.[localName(ref)] : undefined;
  const timeout = transport?.forwardingTimeouts?.responseHeaderTimeout;
  return { responseHeaderTimeoutMs: timeout === undefined ? 0 : durationMs(timeout) };
}
