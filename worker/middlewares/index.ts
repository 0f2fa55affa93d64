// Every middleware type Switchyard implements, by its Traefik name. A type missing here is refused
// at compile time with a clear message (never silently ignored).
import { addPrefix } from "./addprefix.ts";
import { stripPrefix } from "./stripprefix.ts";
import type { MiddlewareRegistry } from "./types.ts";

export const middlewares: MiddlewareRegistry = {
  addPrefix,
  stripPrefix,
};

export type { Middleware, MiddlewareContext, MiddlewareFactory } from "./types.ts";
