// What Traefik accepts but a Worker cannot do (errors) or will not use (warnings).
import type { Path } from "../issues.ts";
import { DEPRECATED_HEADERS } from "../../schema/middlewares/headers.ts";
import type { MiddlewareConfig } from "../../schema/middlewares.ts";
import type { RouterConfig } from "../../schema/routers.ts";
import type { ServersTransportConfig } from "../../schema/transports.ts";
import type { CheckContext } from "./context.ts";
import { entries } from "./context.ts";
import { checkServicePlatform } from "./platform-services.ts";

function checkRouter(ctx: CheckContext, path: Path, router: RouterConfig): void {
  // A child router may not have these at all (checks/tree.ts).
  if ((router.parentRefs?.length ?? 0) > 0) return;
  if (router.entryPoints) {
    ctx.issues.warn([...path, "entryPoints"], "entryPoints are ignored on Workers: there is one entry point, the Worker's route");
  }
  if (router.tls) ctx.issues.warn([...path, "tls"], "tls is ignored on Workers: Cloudflare terminates TLS");
  if (router.observability) ctx.issues.warn([...path, "observability"], "observability is ignored: Switchyard does not use Traefik's per-router observability settings");
}

function checkAuthFiles(ctx: CheckContext, path: Path, middleware: MiddlewareConfig): void {
  for (const kind of ["basicAuth", "digestAuth"] as const) {
    if (middleware[kind]?.usersFile !== undefined) {
      ctx.issues.error([...path, kind, "usersFile"], "usersFile cannot be read: there is no filesystem on Workers; inline the users in users instead");
    }
  }
}

function checkMiddleware(ctx: CheckContext, path: Path, middleware: MiddlewareConfig): void {
  if (middleware.plugin) {
    const names = Object.keys(middleware.plugin).map((n) => `"${n}"`);
    const which = names.length > 0 ? ` (${names.join(", ")})` : "";
    ctx.issues.error([...path, "plugin"], `plugins are not supported on Workers${which}: Traefik loads plugins at run time, which a Worker cannot do`);
  }
  checkAuthFiles(ctx, path, middleware);
  if (middleware.grpcWeb) {
    ctx.issues.warn(
      [...path, "grpcWeb"],
      "grpcWeb cannot work on Workers: fetch() cannot send gRPC (HTTP/2 with trailers) to a server or read its trailers; a router or service that uses this middleware is refused",
    );
  }
  if (middleware.ipWhiteList) ctx.issues.warn([...path, "ipWhiteList"], "ipWhiteList is deprecated in Traefik v3: rename it to ipAllowList");
  if (middleware.rateLimit?.redis) ctx.issues.warn([...path, "rateLimit", "redis"], "redis is ignored on Workers: Switchyard keeps rate-limit state itself");
  if (middleware.forwardAuth?.tls) ctx.issues.warn([...path, "forwardAuth", "tls"], "tls is ignored on Workers: fetch() cannot use custom CAs or client certificates");
  for (const [key, instead] of Object.entries(DEPRECATED_HEADERS)) {
    if (middleware.headers && key in middleware.headers) ctx.issues.warn([...path, "headers", key], `${key} is deprecated in Traefik v3: ${instead}`);
  }
}

const TRANSPORT_USED: readonly string[] = ["forwardingTimeouts", "cf"];
const TIMEOUTS_USED: readonly string[] = ["responseHeaderTimeout", "overallTimeout"];

function checkTransport(ctx: CheckContext, path: Path, transport: ServersTransportConfig): void {
  for (const key of Object.keys(transport).filter((k) => !TRANSPORT_USED.includes(k))) {
    ctx.issues.warn([...path, key], `${key} is ignored on Workers: fetch() manages connections and TLS to servers itself`);
  }
  const timeouts = Object.keys(transport.forwardingTimeouts ?? {}).filter((k) => !TIMEOUTS_USED.includes(k));
  if (transport.forwardingTimeouts && timeouts.length > 0) {
    ctx.issues.warn([...path, "forwardingTimeouts"], `only responseHeaderTimeout and overallTimeout apply on Workers; ignored: ${timeouts.join(", ")}`);
  }
}

export function checkPlatform(ctx: CheckContext): void {
  for (const [name, router] of entries(ctx, "routers")) checkRouter(ctx, ["http", "routers", name], router);
  for (const [name, middleware] of entries(ctx, "middlewares")) checkMiddleware(ctx, ["http", "middlewares", name], middleware);
  for (const [name, transport] of entries(ctx, "serversTransports")) checkTransport(ctx, ["http", "serversTransports", name], transport);
  checkServicePlatform(ctx);
}
