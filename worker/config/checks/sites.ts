// Every place a config names another router, service, middleware or transport.
import type { Path } from "../issues.ts";
import type { RefKind } from "../references.ts";
import type { DynamicConfig, HttpSection } from "../../schema/index.ts";
import type { MiddlewareConfig } from "../../schema/middlewares.ts";
import type { ServiceConfig } from "../../schema/services.ts";

/** One place a config names another entity. */
export class ReferenceSite {
  readonly ref: string;
  readonly kind: RefKind;
  /** The entity holding the reference. */
  readonly section: HttpSection;
  readonly name: string;
  /** Where in that entity, e.g. ["middlewares", 0]. */
  private readonly tail: Path;

  constructor(section: HttpSection, name: string, tail: Path, ref: string, kind: RefKind) {
    this.section = section;
    this.name = name;
    this.tail = tail;
    this.ref = ref;
    this.kind = kind;
  }

  /** A router's service: the one place @internal services may appear. */
  get fromRouter(): boolean {
    return this.section === "routers" && this.tail[0] === "service";
  }

  /** The JSON path of the reference, built only for an issue (a config has one site per router at least). */
  get path(): Path {
    return ["http", this.section, this.name, ...this.tail];
  }
}

type Push = (tail: Path, ref: string, kind: RefKind) => void;

function serviceSites(service: ServiceConfig, push: Push): void {
  service.middlewares?.forEach((m, i) => push(["middlewares", i], m, "middleware"));
  service.weighted?.services?.forEach((s, i) => push(["weighted", "services", i, "name"], s.name, "service"));
  service.highestRandomWeight?.services?.forEach((s, i) => push(["highestRandomWeight", "services", i, "name"], s.name, "service"));
  if (service.mirroring) {
    push(["mirroring", "service"], service.mirroring.service, "service");
    service.mirroring.mirrors?.forEach((m, i) => push(["mirroring", "mirrors", i, "name"], m.name, "service"));
  }
  if (service.failover) {
    push(["failover", "service"], service.failover.service, "service");
    push(["failover", "fallback"], service.failover.fallback, "service");
  }
  const transport = service.loadBalancer?.serversTransport;
  if (transport !== undefined) push(["loadBalancer", "serversTransport"], transport, "serversTransport");
}

function middlewareSites(middleware: MiddlewareConfig, push: Push): void {
  middleware.chain?.middlewares.forEach((m, i) => push(["chain", "middlewares", i], m, "middleware"));
  if (middleware.errors) push(["errors", "service"], middleware.errors.service, "service");
}

// Two checks walk the sites of one config (references, cycles): found once per config.
const memo = new WeakMap<DynamicConfig, readonly ReferenceSite[]>();

export function referenceSites(config: DynamicConfig): readonly ReferenceSite[] {
  let sites = memo.get(config);
  if (sites === undefined) memo.set(config, (sites = findSites(config)));
  return sites;
}

const ROUTER_SERVICE: Path = Object.freeze(["service"]);

function findSites(config: DynamicConfig): ReferenceSite[] {
  const sites: ReferenceSite[] = [];
  const routers = config.http?.routers ?? {};
  for (const name of Object.keys(routers)) {
    const router = routers[name]!;
    // A parent router has no service (checks/tree.ts says which routers need one).
    if (router.service !== undefined) sites.push(new ReferenceSite("routers", name, ROUTER_SERVICE, router.service, "service"));
    router.middlewares?.forEach((m, i) => sites.push(new ReferenceSite("routers", name, ["middlewares", i], m, "middleware")));
    router.parentRefs?.forEach((p, i) => sites.push(new ReferenceSite("routers", name, ["parentRefs", i], p, "router")));
  }
  for (const [name, service] of Object.entries(config.http?.services ?? {})) {
    serviceSites(service, (tail, ref, kind) => sites.push(new ReferenceSite("services", name, tail, ref, kind)));
  }
  for (const [name, middleware] of Object.entries(config.http?.middlewares ?? {})) {
    middlewareSites(middleware, (tail, ref, kind) => sites.push(new ReferenceSite("middlewares", name, tail, ref, kind)));
  }
  return sites;
}
