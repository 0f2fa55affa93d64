// One interface for every middleware: a factory, run once per config compile, that turns options
// into a wrapper around the next handler. Nothing is parsed or compiled per request.
import type { MiddlewareOptions, MiddlewareType } from "../schema/middlewares.ts";
import type { Handler } from "../services/types.ts";

export type Middleware = (next: Handler) => Handler;

export interface MiddlewareContext {
  /** The middleware's name in the config (for messages and per-instance state). */
  readonly name: string;
  /** The router it is built for: Traefik builds each router's chain separately. */
  readonly router: string;
  /** A service's handler by reference (`svc`, `svc@file`), for middlewares that call one. */
  service(ref: string): Handler | null;
}

/** A middleware, or a message saying why these options cannot work (reported at the middleware's path). */
export type MiddlewareFactory<K extends MiddlewareType> = (options: MiddlewareOptions<K>, ctx: MiddlewareContext) => Middleware | string;

export type MiddlewareRegistry = { readonly [K in MiddlewareType]?: MiddlewareFactory<K> };
