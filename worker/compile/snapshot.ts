// The listener's pure half: config → an immutable Snapshot the switcher can swap in.
// Built from (config, previous) so that services whose config is unchanged keep their objects
// (pools with their rotation, health and breaker state), as Traefik's RoundTripperManager.Update does.
import type { CompiledRules, DynamicConfig } from "../config/index.ts";
import { buildLazyMuxer, buildMuxer, type MuxIndex, type RuleSyntax } from "../rules/index.ts";
import { childDispatch } from "./children.ts";
import type { Handler } from "../services/types.ts";
import { localName, routerIssue, type CompileIssue } from "./issues.ts";
import { internalService, NO_INTERNAL_SERVICES, type InternalServices, type SnapshotSlot } from "./internal.ts";
import { wrap } from "./middlewares.ts";
import { compileRoutes, routeBuilder, type HandlerFactory } from "./routes.ts";
import { buildServices, lazyServices, type ServiceEntry } from "./services.ts";
import { MAX_FAILURES, type Snapshot, type SnapshotMeta } from "./types.ts";

// The snapshot's shape lives in types.ts so that internal.ts can name it without importing this file.
export type { Snapshot, SnapshotMeta } from "./types.ts";

export type CompileResult = { ok: true; snapshot: Snapshot } | { ok: false; errors: CompileIssue[] };

/**
 * `rules`: the rules validateConfig compiled for this config (ValidationResult.rules), so that a
 * config load compiles each rule once; any rule missing there is compiled here.
 * `internal`: the `NAME@internal` services the entry provides (worker/api/internal.ts for the
 * Worker); without them a router to `api@internal` is a compile error, as in Traefik without `api`.
 * `defaultRuleSyntax`: the syntax of routers without ruleSyntax, as validation used it.
 */
export function compileSnapshot(
  config: DynamicConfig,
  meta: SnapshotMeta,
  previous: Snapshot | null,
  rules?: CompiledRules,
  internal: InternalServices = NO_INTERNAL_SERVICES,
  defaultRuleSyntax: RuleSyntax = "v3",
): CompileResult {
  const errors: CompileIssue[] = [];
  const services = buildServices(config, previous?.services ?? null, errors);
  const slot: { current: Snapshot | null } = { current: null };
  const routes = compileRoutes(config, routerHandler(config, services, { internal, slot }), errors, rules, defaultRuleSyntax);
  if (errors.length > 0) return { ok: false, errors };
  const snapshot: Snapshot = Object.freeze({ meta, config, muxer: buildMuxer(routes), services, compiledAt: Date.now() });
  slot.current = snapshot;
  return { ok: true, snapshot };
}

/**
 * A snapshot of a config the config store admitted with this build (facts.ts trustFacts): nothing
 * is validated or compiled here. The muxer is built from the published index, and each route (its
 * rule, middlewares and services) when a request first reaches it. The store's dry run built them
 * all without error, so a route or service that fails now (facts that do not fit their config:
 * KV edited by hand) is logged and matches nothing, and the rest keeps serving.
 */
export function snapshotFromFacts(
  config: DynamicConfig,
  meta: SnapshotMeta,
  previous: Snapshot | null,
  index: MuxIndex,
  internal: InternalServices = NO_INTERNAL_SERVICES,
  defaultRuleSyntax: RuleSyntax = "v3",
  tree: ReadonlyMap<string, readonly string[]> = new Map(),
): Snapshot {
  const failures: CompileIssue[] = [];
  const report = (issues: readonly CompileIssue[]) => {
    for (const i of issues) console.error(`config version ${meta.version}: ${i.path}: ${i.message}`);
    failures.push(...issues.slice(0, MAX_FAILURES - failures.length));
  };
  const services = lazyServices(config, previous?.services ?? null, report);
  const slot: { current: Snapshot | null } = { current: null };
  const errors: CompileIssue[] = [];
  const build = routeBuilder(config, routerHandler(config, services, { internal, slot }), errors, undefined, defaultRuleSyntax, tree);
  const muxer = buildLazyMuxer(index, (name) => {
    const route = build(name);
    if (errors.length > 0) report(errors.splice(0));
    return route;
  });
  const snapshot: Snapshot = Object.freeze({ meta, config, muxer, services, compiledAt: Date.now(), failures });
  slot.current = snapshot;
  return snapshot;
}

/** What an internal service is built from: the registry and the snapshot it will serve. */
interface Internals {
  readonly internal: InternalServices;
  readonly slot: SnapshotSlot;
}

function routerHandler(config: DynamicConfig, services: ReadonlyMap<string, ServiceEntry>, internals: Internals): HandlerFactory<Handler> {
  return (name, router, errors, children) => {
    // A parent's handler matches its children where a leaf's calls its service (validation saw
    // that a router has exactly one of the two).
    const service = children ? childDispatch(children) : routerService(name, router.service ?? "", services, internals, errors);
    if (!service) return null;
    // Most routers have no middlewares: their handler is the service's, with nothing to build.
    if (router.middlewares === undefined || router.middlewares.length === 0) return service;
    const lookup = (ref: string) => services.get(localName(ref))?.handler ?? null;
    return wrap(service, router.middlewares, { config, router: name, at: ["http", "routers", name, "middlewares"], service: lookup }, errors);
  };
}

function routerService(
  router: string,
  ref: string,
  services: ReadonlyMap<string, ServiceEntry>,
  internals: Internals,
  errors: CompileIssue[],
): Handler | null {
  if (ref.endsWith("@internal")) {
    const internal = internalService(ref, internals.internal, internals.slot);
    if (typeof internal === "string") errors.push(routerIssue(router, "service", internal));
    return typeof internal === "string" ? null : internal;
  }
  const service = services.get(localName(ref));
  if (!service) errors.push(routerIssue(router, "service", `service "${ref}" cannot serve requests in this build`));
  return service?.handler ?? null;
}
