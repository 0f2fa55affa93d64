// Services for a snapshot, as Traefik's RoundTripperManager.Update treats transports: a service whose
// reuse key (its config, its transport's, and its children's keys) equals the previous snapshot's
// keeps its object, and with it its pool state (rotation, health, passive counters, in-flight
// counts, sticky table); a changed one is rebuilt; a removed one is dropped with the old snapshot.
import { localName, ownValue, type DynamicConfig } from "../config/index.ts";
import { error } from "../config/issues.ts";
import type { LoadBalancer } from "../services/loadbalancer.ts";
import type { Handler, Service } from "../services/types.ts";
import type { CompileIssue } from "./issues.ts";
import { buildService } from "./service-builders.ts";
import { ServiceKeys } from "./service-keys.ts";

export interface ServiceEntry {
  /** Canonical JSON of everything the service was built from: equal key, reusable object. */
  readonly key: string;
  readonly handler: Handler;
  readonly service: Service;
  /** The server pool of a loadBalancer service (null for the other types). */
  readonly pool: LoadBalancer | null;
}

export function buildServices(
  config: DynamicConfig,
  previous: ReadonlyMap<string, ServiceEntry> | null,
  errors: CompileIssue[],
): Map<string, ServiceEntry> {
  const specs = config.http?.services ?? {};
  const keys = new ServiceKeys(config);
  const out = new Map<string, ServiceEntry>();
  const failed = new Set<string>();
  const building = new Set<string>();

  const get = (name: string): ServiceEntry | null => {
    const done = out.get(name);
    if (done) return done;
    const spec = ownValue(specs, name);
    if (!spec || failed.has(name)) return null;
    if (building.has(name)) {
      // Validation refuses cycles; this only keeps a missed one from recursing forever.
      errors.push(error(["http", "services", name], `service "${name}" reaches itself`));
      return null;
    }
    const key = keys.of(name);
    const reused = previous?.get(name);
    if (reused && reused.key === key) {
      out.set(name, reused);
      return reused;
    }
    building.add(name);
    const built = buildService(name, spec, { config, child: (ref) => get(localName(ref)), errors });
    building.delete(name);
    if (!built) {
      failed.add(name);
      return null;
    }
    const entry: ServiceEntry = { key, handler: built.service.handle, service: built.service, pool: built.pool };
    out.set(name, entry);
    return entry;
  };

  for (const name of Object.keys(specs)) get(name);
  return out;
}
