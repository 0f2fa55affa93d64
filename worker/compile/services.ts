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
  const { get } = serviceBuilder(config, previous, errors);
  const out = new Map<string, ServiceEntry>();
  for (const name of Object.keys(config.http?.services ?? {})) {
    const entry = get(name);
    if (entry) out.set(name, entry);
  }
  return out;
}

/**
 * The services of a snapshot loaded from facts (snapshot.ts): each built when first asked for (a
 * router's first request, the API), as buildServices would build it. `onError` hears about a
 * service that could not be built (the config store's dry run built them all with this build, so
 * it means a snapshot edited by hand).
 */
export function lazyServices(config: DynamicConfig, previous: ReadonlyMap<string, ServiceEntry> | null, onError: (issues: CompileIssue[]) => void): ReadonlyMap<string, ServiceEntry> {
  const errors: CompileIssue[] = [];
  const { get: build, peek } = serviceBuilder(config, previous, errors);
  const get = (name: string): ServiceEntry | null => {
    const entry = build(name);
    if (errors.length > 0) onError(errors.splice(0));
    return entry;
  };
  return new LazyServices(Object.keys(config.http?.services ?? {}), get, peek);
}

/** A ReadonlyMap whose values are built on first access; iterating builds them all. */
class LazyServices implements ReadonlyMap<string, ServiceEntry> {
  private readonly names: readonly string[];
  private readonly build: (name: string) => ServiceEntry | null;
  /** A service already built, or undefined: what a later snapshot may reuse, without building it here. */
  readonly built: (name: string) => ServiceEntry | undefined;

  constructor(names: readonly string[], build: (name: string) => ServiceEntry | null, built: (name: string) => ServiceEntry | undefined) {
    this.names = names;
    this.build = build;
    this.built = built;
  }

  get(name: string): ServiceEntry | undefined {
    return this.build(name) ?? undefined;
  }
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }
  get size(): number {
    return this.all().size;
  }
  forEach(fn: (value: ServiceEntry, key: string, map: ReadonlyMap<string, ServiceEntry>) => void): void {
    this.all().forEach((v, k) => fn(v, k, this));
  }
  entries(): MapIterator<[string, ServiceEntry]> {
    return this.all().entries();
  }
  keys(): MapIterator<string> {
    return this.all().keys();
  }
  values(): MapIterator<ServiceEntry> {
    return this.all().values();
  }
  [Symbol.iterator](): MapIterator<[string, ServiceEntry]> {
    return this.all()[Symbol.iterator]();
  }

  private all(): Map<string, ServiceEntry> {
    const out = new Map<string, ServiceEntry>();
    for (const name of this.names) {
      const entry = this.build(name);
      if (entry) out.set(name, entry);
    }
    return out;
  }
}

interface ServiceBuilder {
  get(name: string): ServiceEntry | null;
  peek(name: string): ServiceEntry | undefined;
}

/** Builds services by name, each at most once, reusing unchanged ones of `previous`. */
function serviceBuilder(config: DynamicConfig, previous: ReadonlyMap<string, ServiceEntry> | null, errors: CompileIssue[]): ServiceBuilder {
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
    // A lazily built previous snapshot offers what it built; it does not build for us.
    const reused = previous instanceof LazyServices ? previous.built(name) : previous?.get(name);
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
  return { get, peek: (name) => out.get(name) };
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
