// http.routers.<name>: Traefik v3's Router.
import * as z from "zod";
import { bool, emptyable, nonEmpty, nonNegativeInt, str, stringList } from "./common.ts";

export const routerTlsSchema = emptyable(
  z.strictObject({
    options: str.optional(),
    certResolver: str.optional(),
    domains: z.array(z.strictObject({ main: str.optional(), sans: stringList.optional() })).optional(),
  }),
);

export const routerObservabilitySchema = emptyable(
  z.strictObject({
    accessLogs: bool.optional(),
    metrics: bool.optional(),
    tracing: bool.optional(),
    traceVerbosity: z.enum(["minimal", "detailed"]).optional(),
  }),
);

export const routerSchema = z.strictObject({
  rule: nonEmpty,
  /** "v3" or "v2" (Traefik v3 keeps v2's matchers for migration); absent: the default (config/rule-syntax.ts). */
  ruleSyntax: str.optional(),
  /** 0 or absent: Traefik's default, the length of the rule. */
  priority: nonNegativeInt.optional(),
  middlewares: stringList.optional(),
  /** Required on leaf routers; a parent router (other routers name it in parentRefs) has none (checks/tree.ts). */
  service: nonEmpty.optional(),
  /** Multi-layer routing (Traefik v3.6): the routers this one is a child of (checks/tree.ts, compile/routes.ts). */
  parentRefs: stringList.optional(),
  /** Not applicable on Workers (one entry point): accepted with a warning. */
  entryPoints: stringList.optional(),
  /** Not applicable on Workers (Cloudflare terminates TLS): accepted with a warning. */
  tls: routerTlsSchema.optional(),
  /** Accepted with a warning: Switchyard has its own observability. */
  observability: routerObservabilitySchema.optional(),
});

export type RouterConfig = z.output<typeof routerSchema>;
export type RouterTLS = z.output<typeof routerTlsSchema>;
