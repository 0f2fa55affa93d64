// The benchmarks' Traefik config: the rule tables of routes.ts (one service per 20 routers), each
// service a pool of `servers`, and a request that reaches a router in the middle of the table.
import { generateRoutes, prng } from "./routes.ts";

export interface BenchConfig {
  readonly config: { http: { routers: Record<string, unknown>; services: Record<string, unknown> } };
  /** A GET that a Host && PathPrefix router halfway down the table matches. */
  readonly hit: string;
  readonly hitRouter: string;
}

/** `servers`: one URL (every service on the loopback upstream), or a function of the router index. */
export function benchConfig(size: number, servers: string | ((i: number) => string[])): BenchConfig {
  const routers: Record<string, unknown> = {};
  const services: Record<string, unknown> = {};
  const table = generateRoutes(size);
  table.forEach((r, i) => {
    const service = `svc${Math.floor(i / 20)}`;
    routers[r.name.slice(0, r.name.lastIndexOf("@"))] = { rule: r.rule, service };
    const urls = typeof servers === "string" ? [servers] : servers(i);
    services[service] ??= { loadBalancer: { servers: urls.map((url) => ({ url })) } };
  });
  const middle = table.slice(Math.floor(size / 2)).find((r) => r.kind === "host+prefix") ?? table.find((r) => r.kind === "host+prefix")!;
  const hit = middle.sample(prng(7)).url;
  return { config: { http: { routers, services } }, hit, hitRouter: middle.name.slice(0, middle.name.lastIndexOf("@")) };
}
