// Services for a snapshot, as Traefik's RoundTripperManager.Update treats transports: a service whose
// reuse key (its config, its transport's, and its children's keys) equals the previous snapshot's
// keeps its object, and with it its pool state (rotation, health, passive counters, in-flight
// counts, sticky table); a changed one is rebuilt; a removed one is dropped with the old snapshot.
import { localName, ownValue, type DynamicConfig } from "../config/index.ts";
import { error } from "../config/issues.ts";
import type { LoadBalancer } from "../services/loadbalancer.ts";
import { observedAs } from "../services/observed.ts";
import type { Handler, Service } from "../services/types.ts";
import type { CompileIssue } from "./issues.ts";
import { serviceOwner, wrap } from "./middlewares.ts";
import { buildService, type Built } from "./service-builders.ts";
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
    const core = buildService(name, spec, { config, child: (ref) => get(localName(ref)), errors });
    const built = core && withMiddlewares(name, core, spec.middlewares ?? [], { config, get, errors });
    building.delete(name);
    if (!built) {
      failed.add(name);
      return null;
    }
    const service = { handle: observedAs(name, built.service.handle), health: built.service.health };
    const entry: ServiceEntry = { key, handler: service.handle, service, pool: built.pool };
    out.set(name, entry);
    return entry;
  };

  for (const name of Object.keys(specs)) get(name);
  return out;
}

interface WrapContext {
  readonly config: DynamicConfig;
  get(name: string): ServiceEntry | null;
  readonly errors: CompileIssue[];
}

/**
 * The service behind its own middlewares (Traefik v3.7: service.go wraps the built handler, so they
 * run after the router's, and a parent weighted/failover/mirroring reaches a child through the
 * child's middlewares). The health a parent asks about stays the core service's.
 */
function withMiddlewares(name: string, core: Built, names: readonly string[], ctx: WrapContext): Built | null {
  if (names.length === 0) return core;
  const lookup = (ref: string) => ctx.get(localName(ref))?.handler ?? null;
  const chain = { config: ctx.config, router: serviceOwner(name), at: ["http", "services", name, "middlewares"], service: lookup };
  const handle = wrap(core.service.handle, names, chain, ctx.errors);
  return handle ? { service: { handle, health: core.service.health }, pool: core.pool } : null;
}
