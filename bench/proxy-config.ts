// The configs and requests of bench/proxy.ts: bench/routes.ts's Traefik rule tables as a Switchyard
// config whose every service balances onto the one loopback upstream and whose every router runs the
// same three-middleware chain, plus the hit requests of that table in wire form.
import { serialize } from "./http-client.ts";
import { generateRequests, generateRoutes } from "./routes.ts";

export const CHAIN = ["bench-headers", "bench-strip", "bench-add"] as const;
/** What addPrefix puts in front of the path: the upstream sees it, which proves the chain ran. */
export const ADDED_PREFIX = "/up";

/** A config with `size` routers; `stamp` is the header value the chain adds (each swap a new one). */
export function benchConfig(size: number, upstream: string, stamp: string): object {
  const routers: Record<string, unknown> = {};
  const services: Record<string, unknown> = {};
  generateRoutes(size).forEach((r, i) => {
    const service = `svc${Math.floor(i / 20)}`;
    routers[baseName(r.name)] = { rule: r.rule, service, middlewares: [...CHAIN] };
    services[service] ??= { loadBalancer: { servers: [{ url: upstream }] } };
  });
  const middlewares = {
    "bench-headers": { headers: { customRequestHeaders: { "X-Bench-Config": stamp } } },
    "bench-strip": { stripPrefix: { prefixes: ["/api"] } },
    "bench-add": { addPrefix: { prefix: ADDED_PREFIX } },
  };
  return { http: { routers, services, middlewares } };
}

/** A router's name without its provider (`svc3-api@file` → `svc3-api`). */
export const baseName = (name: string): string => name.slice(0, name.lastIndexOf("@"));

export interface BenchRequest {
  readonly wire: Buffer;
  /** The router it must reach, without provider. */
  readonly router: string;
  readonly method: string;
  readonly url: string;
}

/** Up to `count` requests that hit a router of the size-`size` table, spread over it (bench/routes.ts). */
export function benchRequests(size: number, count = 256): BenchRequest[] {
  const hits = generateRequests(generateRoutes(size), count * 2).filter((r) => r.expected !== null);
  return hits.slice(0, count).map((r) => {
    const url = new URL(r.url);
    const headers = { host: url.host, ...r.headers };
    return { wire: serialize({ method: r.method, path: url.pathname + url.search, headers }), router: baseName(r.expected!), method: r.method, url: r.url };
  });
}
