// Reuse keys for services: the canonical JSON of what a service is built from (its own config, its
// transport's, and the keys of the services it is made of). Equal key, reusable object: a pool keeps
// its state across a config swap; a weighted/mirroring/failover service is rebuilt when any service
// beneath it changed, because it holds its children's objects. A service's own middlewares are part
// of what it is built from: their options, and the key of a service an errors middleware calls.
import { canonicalJSON, localName, ownValue, type DynamicConfig, type ServiceConfig } from "../config/index.ts";
import { fnv1a } from "../services/hash.ts";
import { expand } from "./middlewares.ts";
import { transportConfig } from "./service-transport.ts";

/** The services a service is made of, by local name, in config order. */
export function childNames(service: ServiceConfig): string[] {
  const refs = [
    ...(service.weighted?.services ?? []).map((s) => s.name),
    ...(service.highestRandomWeight?.services ?? []).map((s) => s.name),
    ...(service.mirroring ? [service.mirroring.service, ...(service.mirroring.mirrors ?? []).map((m) => m.name)] : []),
    ...(service.failover ? [service.failover.service, service.failover.fallback] : []),
  ];
  return refs.map(localName);
}

export class ServiceKeys {
  private readonly config: DynamicConfig;
  private readonly keys = new Map<string, string>();
  private readonly visiting = new Set<string>();

  constructor(config: DynamicConfig) {
    this.config = config;
  }

  of(name: string): string {
    const known = this.keys.get(name);
    if (known !== undefined) return known;
    const service = ownValue(this.config.http?.services, name);
    // Unknown names and cycles cannot be built anyway (validation reports them).
    if (!service || this.visiting.has(name)) return "";
    this.visiting.add(name);
    const children = childNames(service).map((child) => [child, fnv1a(this.of(child)).toString(16)]);
    const middlewares = this.middlewares(service.middlewares ?? []);
    this.visiting.delete(name);
    const key = canonicalJSON({ service, transport: transportConfig(this.config, service.loadBalancer?.serversTransport), children, middlewares });
    this.keys.set(name, key);
    return key;
  }

  /** The options of a service's middlewares (chains expanded), with the keys of the services they call. */
  private middlewares(names: readonly string[]): unknown[] {
    return expand(names, this.config).map((m) => {
      const spec = ownValue(this.config.http?.middlewares, m);
      const calls = spec?.errors ? fnv1a(this.of(localName(spec.errors.service))).toString(16) : null;
      return [m, spec ?? null, calls];
    });
  }
}
