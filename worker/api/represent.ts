// Snapshot → Traefik's runtime representations: the item's own config plus name@provider, status,
// errors/warnings (Traefik's `error` messages, and Switchyard's `errors` with each one's JSON
// path), and who uses whom.
import { formatPath, passHostHeaderOf, type ConfigIssue, type ServiceConfig } from "../config/index.ts";
import type { Snapshot } from "../compile/snapshot.ts";
import { localName } from "../compile/issues.ts";
import type { ServerHealth } from "../services/health/active.ts";

export interface Item {
  readonly name: string;
  readonly provider: string;
  readonly status: "enabled" | "warning" | "disabled";
  readonly error?: string[];
  /** The same problems as `error`, each with its JSON path (`http.routers.web.service`). */
  readonly errors?: ItemError[];
  readonly [field: string]: unknown;
}

export interface ItemError {
  readonly path: string;
  readonly message: string;
}

export interface Representations {
  readonly routers: readonly Item[];
  readonly services: readonly Item[];
  readonly middlewares: readonly Item[];
}

/** Built once per snapshot, again when a snapshot from facts has met new failures. */
const cache = new WeakMap<Snapshot, { r: Representations; failures: number }>();

export function representations(snapshot: Snapshot): Representations {
  const failures = snapshot.failures?.length ?? 0;
  let cached = cache.get(snapshot);
  if (!cached || cached.failures !== failures) {
    cached = { r: build(snapshot), failures };
    cache.set(snapshot, cached);
  }
  return cached.r;
}

/** The issues at `prefix` or below it (a path is the prefix, then `.field` or `[i]`). */
function issuesAt(issues: readonly ConfigIssue[], prefix: string): ItemError[] {
  return issues
    .filter((w) => w.path === prefix || w.path.startsWith(`${prefix}.`) || w.path.startsWith(`${prefix}[`))
    .map((w) => ({ path: w.path, message: w.message }));
}

function build(snapshot: Snapshot): Representations {
  const http = snapshot.config.http ?? {};
  const provider = snapshot.meta.provider;
  const item = (kind: string, name: string, config: object, extra: object): Item => {
    const prefix = formatPath(["http", kind, name]);
    // Failures (an item that could not be built) disable it, as Traefik disables an item with errors.
    const failed = issuesAt(snapshot.failures ?? [], prefix);
    const problems = [...failed, ...issuesAt(snapshot.meta.warnings, prefix)];
    return {
      ...config,
      ...(problems.length > 0 ? { error: problems.map((p) => p.message), errors: problems } : {}),
      status: failed.length > 0 ? "disabled" : problems.length > 0 ? "warning" : "enabled",
      ...extra,
      name: `${name}@${provider}`,
      provider,
    };
  };
  const routers = Object.entries(http.routers ?? {}).map(([name, r]) => item("routers", name, r, { using: [], ...qualifiedParents(r.parentRefs, provider) }));
  const usedBy = (pick: (r: Item) => string[]) => (name: string) =>
    routers.filter((r) => pick(r).map(localName).includes(name)).map((r) => r.name).sort();
  const serviceUsers = usedBy((r) => (typeof r.service === "string" ? [r.service] : []));
  const middlewareUsers = usedBy((r) => (Array.isArray(r.middlewares) ? r.middlewares.map(String) : []));
  const services = Object.entries(http.services ?? {}).map(([name, s]) =>
    withServerStatus(item("services", name, withTraefikDefaults(s), { usedBy: serviceUsers(name), type: typeOf(s) }), snapshot, name),
  );
  const middlewares = Object.entries(http.middlewares ?? {}).map(([name, m]) =>
    item("middlewares", name, m, { usedBy: middlewareUsers(name), type: typeOf(m) }),
  );
  return { routers, services, middlewares };
}

/**
 * Traefik's API shows a child's parentRefs as name@provider (its aggregator qualifies them, like
 * router names); the children of a parent are not listed (RouterInfo.ChildRefs is not serialized).
 */
function qualifiedParents(refs: readonly string[] | undefined, provider: string): object {
  if (refs === undefined || refs.length === 0) return {};
  return { parentRefs: refs.map((ref) => `${localName(ref)}@${provider}`) };
}

/** Traefik's API shows a loadBalancer's passHostHeader with its default (true) filled in. */
function withTraefikDefaults(service: ServiceConfig): ServiceConfig {
  const lb = service.loadBalancer;
  if (lb === undefined || lb.passHostHeader !== undefined) return service;
  return { ...service, loadBalancer: { ...lb, passHostHeader: passHostHeaderOf(lb) } };
}

function typeOf(config: object): string {
  return (Object.keys(config)[0] ?? "").toLowerCase();
}

/**
 * A loadBalancer's servers and their health (`UP`/`DOWN`, as Traefik's API shows them), read when
 * the item is serialized: representations are cached per snapshot, health changes under it. With
 * an active health check also `serverChecks` (Switchyard's): each server's status, when the
 * health checker last probed it (as this isolate last heard) and that probe's failure.
 */
function withServerStatus(item: Item, snapshot: Snapshot, name: string): Item {
  const pool = snapshot.services.get(name)?.pool;
  if (!pool) return item;
  Object.defineProperty(item, "serverStatus", {
    enumerable: true,
    get: () => Object.fromEntries(pool.servers.map((s) => [s.configuredURL, pool.status(s)])),
  });
  const active = pool.active;
  if (!active) return item;
  return Object.defineProperty(item, "serverChecks", {
    enumerable: true,
    get: () => Object.fromEntries(pool.servers.map((s) => [s.configuredURL, serverCheck(pool.status(s), active.get(s.configuredURL))])),
  });
}

/** One server's `serverChecks` entry; `error` only when the last probe failed. */
function serverCheck(status: "UP" | "DOWN", known: ServerHealth | undefined) {
  const lastCheck = known ? new Date(known.checkedAt).toISOString() : null;
  return known?.error ? { status, lastCheck, error: known.error } : { status, lastCheck };
}
