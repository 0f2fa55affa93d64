// The middleware's way to its Durable Object, apart from the class (limiter.ts imports
// cloudflare:workers, which the middleware must not load: it also runs outside workerd).
import type { RateLimiter, RateLimiterBinding } from "./limiter.ts";

/**
 * The RATE_LIMITER namespace among a request's bindings, or null when the Worker has none. The
 * request context types only the bindings of the layers below (services/types.ts RequestEnv), so
 * the middleware finds its own here, as service-binding upstreams are found by name.
 */
export function rateLimiterIn(env: object): DurableObjectNamespace<RateLimiter> | null {
  const candidate = (env as Partial<Record<string, unknown>>)["RATE_LIMITER"];
  if (typeof candidate !== "object" || candidate === null) return null;
  return typeof (candidate as { idFromName?: unknown }).idFromName === "function" ? (candidate as RateLimiterBinding["RATE_LIMITER"]) : null;
}
