// One builder per service type: config → a Service object, or issues at the offending field's path.
// Composite services get their children from the context (built first, or reused), and refuse a
// child that cannot report health where Traefik would (healthCheck must be enabled at every level).
import { durationMs, passHostHeaderOf, type Cookie, type DynamicConfig, type Path, type ServiceConfig } from "../config/index.ts";
import { error, type ConfigIssue } from "../config/issues.ts";
import type { StickyConfig } from "../services/balancer/sticky.ts";
import type { Child } from "../services/children.ts";
import { Failover } from "../services/failover.ts";
import { ActiveHealth } from "../services/health/active.ts";
import { BUILT_IN_PASSIVE, type PassiveRule } from "../services/health/passive.ts";
import { probeSpec } from "../services/health/spec.ts";
import { HighestRandomWeight } from "../services/highest-random-weight.ts";
import { LoadBalancer } from "../services/loadbalancer.ts";
import { Mirroring } from "../services/mirroring.ts";
import { parseStatusRanges } from "../services/status-ranges.ts";
import type { Service } from "../services/types.ts";
import { Weighted } from "../services/weighted.ts";
import { transportConfig, transportOptions } from "./service-transport.ts";

export interface Built {
  readonly service: Service;
  /** The server pool, for a loadBalancer (the API shows its servers' status). */
  readonly pool: LoadBalancer | null;
}

export interface BuildContext {
  readonly config: DynamicConfig;
  /** A service this one is made of, built first (or reused); null when it cannot be built. */
  child(ref: string): Built | null;
  readonly errors: ConfigIssue[];
}

type LoadBalancerConfig = NonNullable<ServiceConfig["loadBalancer"]>;

export function buildService(name: string, spec: ServiceConfig, ctx: BuildContext): Built | null {
  const at = (...tail: Path): Path => ["http", "services", name, ...tail];
  const fail = (tail: Path, message: string): null => {
    ctx.errors.push(error(at(...tail), message));
    return null;
  };
  if (spec.loadBalancer) return loadBalancer(name, spec.loadBalancer, ctx.config, fail);
  if (spec.weighted) return weighted(name, spec.weighted, ctx, fail);
  if (spec.highestRandomWeight) return highestRandomWeight(spec.highestRandomWeight, ctx, fail);
  if (spec.mirroring) return mirroring(spec.mirroring, ctx, fail);
  if (spec.failover) return failover(spec.failover, ctx, fail);
  return fail([], "the service has no type: give it one of loadBalancer, weighted, mirroring, failover, highestRandomWeight");
}

type Fail = (tail: Path, message: string) => null;

function loadBalancer(name: string, lb: LoadBalancerConfig, config: DynamicConfig, fail: Fail): Built | null {
  const check = lb.healthCheck;
  if (check?.mode === "grpc") {
    return fail(["loadBalancer", "healthCheck", "mode"], "gRPC health checks are not available on Switchyard (fetch() cannot speak the gRPC health protocol): use mode: http with an HTTP health endpoint");
  }
  const servers = lb.servers ?? [];
  const explicit = lb.passiveHealthCheck;
  const passive: PassiveRule = explicit
    ? { maxFailedAttempts: explicit.maxFailedAttempts, failureWindowMs: Math.max(0, durationMs(explicit.failureWindow)), countServerErrors: true, failOpen: false }
    : BUILT_IN_PASSIVE;
  const pool = new LoadBalancer({
    servers,
    strategy: lb.strategy,
    sticky: lb.sticky?.cookie ? stickyConfig(name, lb.sticky.cookie) : null,
    passHostHeader: passHostHeaderOf(lb),
    transport: transportOptions(transportConfig(config, lb.serversTransport)),
    active: check ? new ActiveHealth(probeSpec(name, servers.map((s) => s.url), check)) : null,
    passive,
    passiveHeldByActive: explicit !== undefined && check !== undefined,
    reportsHealth: check !== undefined || explicit !== undefined,
  });
  return { service: pool, pool };
}

/** Traefik's defaults: no flags, session cookie, path "/", the name derived from `name@file`. */
function stickyConfig(service: string, cookie: Cookie): StickyConfig {
  return {
    name: cookie.name ?? "",
    secure: cookie.secure ?? false,
    httpOnly: cookie.httpOnly ?? false,
    sameSite: cookie.sameSite ?? "",
    maxAge: cookie.maxAge ?? 0,
    path: cookie.path,
    domain: cookie.domain ?? "",
    qualifiedService: `${service}@file`,
  };
}

/** The child's service, or null after reporting why it cannot be used here. */
function child(ctx: BuildContext, ref: string, path: Path, needsHealth: boolean, fail: Fail): Service | null {
  const built = ctx.child(ref);
  if (!built) return fail(path, `service "${ref}" cannot be built (see its own errors)`);
  if (needsHealth && !built.service.health) {
    return fail(path, `service "${ref}" does not report its health: healthCheck must be enabled on it too (on a loadBalancer: healthCheck or passiveHealthCheck), as Traefik requires at every level`);
  }
  return built.service;
}

function children(ctx: BuildContext, refs: readonly { name: string; weight: number }[], kind: string, healthCheck: boolean, fail: Fail): Child[] | null {
  const out: Child[] = [];
  for (const [i, ref] of refs.entries()) {
    const service = child(ctx, ref.name, [kind, "services", i, "name"], healthCheck, fail);
    if (!service) return null;
    out.push({ name: ref.name, weight: ref.weight, service });
  }
  return out;
}

function weighted(name: string, spec: NonNullable<ServiceConfig["weighted"]>, ctx: BuildContext, fail: Fail): Built | null {
  const kids = children(ctx, spec.services ?? [], "weighted", spec.healthCheck !== undefined, fail);
  if (!kids) return null;
  const sticky = spec.sticky?.cookie ? stickyConfig(name, spec.sticky.cookie) : null;
  return { service: new Weighted({ children: kids, sticky, healthCheck: spec.healthCheck !== undefined }), pool: null };
}

function highestRandomWeight(spec: NonNullable<ServiceConfig["highestRandomWeight"]>, ctx: BuildContext, fail: Fail): Built | null {
  const kids = children(ctx, spec.services ?? [], "highestRandomWeight", spec.healthCheck !== undefined, fail);
  return kids ? { service: new HighestRandomWeight(kids, spec.healthCheck !== undefined), pool: null } : null;
}

function mirroring(spec: NonNullable<ServiceConfig["mirroring"]>, ctx: BuildContext, fail: Fail): Built | null {
  const main = child(ctx, spec.service, ["mirroring", "service"], spec.healthCheck !== undefined, fail);
  if (!main) return null;
  const mirrors: { service: Service; percent: number }[] = [];
  for (const [i, m] of (spec.mirrors ?? []).entries()) {
    const service = child(ctx, m.name, ["mirroring", "mirrors", i, "name"], false, fail);
    if (!service) return null;
    mirrors.push({ service, percent: m.percent });
  }
  const options = { main, mirrors, mirrorBody: spec.mirrorBody, maxBodySize: spec.maxBodySize, healthCheck: spec.healthCheck !== undefined };
  return { service: new Mirroring(options), pool: null };
}

function failover(spec: NonNullable<ServiceConfig["failover"]>, ctx: BuildContext, fail: Fail): Built | null {
  const statuses = spec.errors?.status ?? [];
  const built = ctx.child(spec.service);
  if (!built) return fail(["failover", "service"], `service "${spec.service}" cannot be built (see its own errors)`);
  if (!built.service.health && statuses.length === 0) {
    return fail(
      ["failover", "service"],
      `service "${spec.service}" does not report its health, so the failover cannot tell when it is down: give it a healthCheck (or passiveHealthCheck), or set failover.errors.status`,
    );
  }
  const fallback = child(ctx, spec.fallback, ["failover", "fallback"], spec.healthCheck !== undefined, fail);
  if (!fallback) return null;
  const errors = statuses.length > 0 ? { status: parseStatusRanges(statuses), maxRequestBodyBytes: spec.errors?.maxRequestBodyBytes ?? -1 } : null;
  return { service: new Failover({ main: built.service, fallback, healthCheck: spec.healthCheck !== undefined, errors }), pool: null };
}
