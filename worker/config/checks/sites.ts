// Every place a config names another router, service, middleware or transport.
import type { Path } from "../issues.ts";
import type { RefKind } from "../references.ts";
import type { DynamicConfig, HttpSection } from "../schema/index.ts";
import type { Middleware } from "../schema/middlewares.ts";
import type { Service } from "../schema/services.ts";

export interface ReferenceSite {
  readonly path: Path;
  readonly ref: string;
  readonly kind: RefKind;
  /** The entity holding the reference. */
  readonly from: { readonly section: HttpSection; readonly name: string };
  /** A router's service: the one place @internal services may appear. */
  readonly fromRouter: boolean;
}

type Push = (tail: Path, ref: string, kind: RefKind) => void;

function serviceSites(service: Service, push: Push): void {
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

function middlewareSites(middleware: Middleware, push: Push): void {
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

function findSites(config: DynamicConfig): ReferenceSite[] {
  const sites: ReferenceSite[] = [];
  const site = (section: HttpSection, name: string, tail: Path, ref: string, kind: RefKind): void => {
    const fromRouter = section === "routers" && tail[0] === "service";
    const head: Path = ["http", section, name];
    sites.push({ path: head.concat(tail), ref, kind, from: { section, name }, fromRouter });
  };
  const routers = config.http?.routers ?? {};
  for (const name of Object.keys(routers)) {
    const router = routers[name]!;
    site("routers", name, ["service"], router.service, "service");
    router.middlewares?.forEach((m, i) => site("routers", name, ["middlewares", i], m, "middleware"));
  }
  for (const [name, service] of Object.entries(config.http?.services ?? {})) serviceSites(service, (tail, ref, kind) => site("services", name, tail, ref, kind));
  for (const [name, middleware] of Object.entries(config.http?.middlewares ?? {})) {
    middlewareSites(middleware, (tail, ref, kind) => site("middlewares", name, tail, ref, kind));
  }
  return sites;
}
