// http.routers.<name>: Traefik v3's Router.
import * as z from "zod/mini";
import { bool, emptyable, nonEmpty, nonNegativeInt, str, stringList } from "./common.ts";

export const routerTlsSchema = z.lazy(() =>
  emptyable(
    z.strictObject({
      options: z.optional(str),
      certResolver: z.optional(str),
      domains: z.optional(z.array(z.strictObject({ main: z.optional(str), sans: z.optional(stringList) }))),
    }),
  ),
);

export const routerObservabilitySchema = z.lazy(() =>
  emptyable(
    z.strictObject({
      accessLogs: z.optional(bool),
      metrics: z.optional(bool),
      tracing: z.optional(bool),
      traceVerbosity: z.optional(z.enum(["minimal", "detailed"])),
    }),
  ),
);

export const routerSchema = z.lazy(() =>
  z.strictObject({
    rule: nonEmpty,
    /** "v3" or "v2" (Traefik v3 keeps v2's matchers for migration); absent: the default (config/rule-syntax.ts). */
    ruleSyntax: z.optional(str),
    /** 0 or absent: Traefik's default, the length of the rule. */
    priority: z.optional(nonNegativeInt),
    middlewares: z.optional(stringList),
    /** Required on leaf routers; a parent router (other routers name it in parentRefs) has none (checks/tree.ts). */
    service: z.optional(nonEmpty),
    /** Multi-layer routing (Traefik v3.6): the routers this one is a child of (checks/tree.ts, compile/routes.ts). */
    parentRefs: z.optional(stringList),
    /** Not applicable on Workers (one entry point): accepted with a warning. */
    entryPoints: z.optional(stringList),
    /** Not applicable on Workers (Cloudflare terminates TLS): accepted with a warning. */
    tls: z.optional(routerTlsSchema),
    /** Accepted with a warning: Switchyard has its own observability. */
    observability: z.optional(routerObservabilitySchema),
  }),
);

export type RouterConfig = z.output<typeof routerSchema>;
export type RouterTLS = z.output<typeof routerTlsSchema>;
