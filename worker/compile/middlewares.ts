// A middleware chain, built once per compile for a router or for a service (Traefik v3.7
// `services.<s>.middlewares`): names resolved (`chain` expanded in place), each middleware built
// from its options, composed so the first listed runs first.
import { localName, ownValue, type DynamicConfig, type MiddlewareType } from "../config/index.ts";
import { middlewares as registry, type Middleware, type MiddlewareFactory } from "../middlewares/index.ts";
import type { Handler } from "../services/types.ts";
import { error, type ConfigIssue, type Path } from "../config/issues.ts";

export interface ChainContext {
  readonly config: DynamicConfig;
  /** Who owns the chain's per-instance state (MiddlewareContext.router): a router, or serviceOwner(name). */
  readonly router: string;
  /** Where a missing middleware is reported: the list that names it. */
  readonly at: Path;
  service(ref: string): Handler | null;
}

/**
 * The state owner of a service's middlewares. Traefik builds them once per service, shared by every
 * router that reaches it; the NUL keeps it apart from any router's name.
 */
export function serviceOwner(service: string): string {
  return `\u0000service:${service}`;
}

/** `handler` wrapped by the named middlewares, or null after pushing why it cannot be built. */
export function wrap(handler: Handler, names: readonly string[], ctx: ChainContext, errors: ConfigIssue[]): Handler | null {
  const built: Middleware[] = [];
  for (const name of expand(names, ctx.config)) {
    const middleware = build(name, ctx, errors);
    if (!middleware) return null;
    built.push(middleware);
  }
  return built.reduceRight((next, middleware) => middleware(next), handler);
}

/** Names in application order, with `chain` middlewares replaced by their members (validated acyclic). */
export function expand(names: readonly string[], config: DynamicConfig): string[] {
  return names.flatMap((ref) => {
    const name = localName(ref);
    const chain = ownValue(config.http?.middlewares, name)?.chain;
    return chain ? expand(chain.middlewares, config) : [name];
  });
}

function build(name: string, ctx: ChainContext, errors: ConfigIssue[]): Middleware | null {
  const spec = ownValue(ctx.config.http?.middlewares, name);
  const type = spec ? (Object.keys(spec)[0] as MiddlewareType | undefined) : undefined;
  if (!spec || !type) {
    errors.push(error(ctx.at, `middleware "${name}" does not exist`));
    return null;
  }
  const factory = registry[type] as MiddlewareFactory<typeof type> | undefined;
  if (!factory) {
    errors.push(error(["http", "middlewares", name, type], `the ${type} middleware is not available in this build of Switchyard`));
    return null;
  }
  const made = factory(spec[type] as never, { name, router: ctx.router, service: ctx.service });
  if (typeof made === "string") {
    errors.push(error(["http", "middlewares", name, type], made));
    return null;
  }
  return made;
}
