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

export function referenceSites(config: DynamicConfig): ReferenceSite[] {
  const sites: ReferenceSite[] = [];
  const pusher = (section: HttpSection, name: string): Push => (tail, ref, kind) => {
    const fromRouter = section === "routers" && tail[0] === "service";
    sites.push({ path: ["http", section, name, ...tail], ref, kind, from: { section, name }, fromRouter });
  };
  for (const [name, router] of Object.entries(config.http?.routers ?? {})) {
    const push = pusher("routers", name);
    push(["service"], router.service, "service");
    router.middlewares?.forEach((m, i) => push(["middlewares", i], m, "middleware"));
  }
  for (const [name, service] of Object.entries(config.http?.services ?? {})) serviceSites(service, pusher("services", name));
  for (const [name, middleware] of Object.entries(config.http?.middlewares ?? {})) middlewareSites(middleware, pusher("middlewares", name));
  return sites;
}
