// sourceCriterion, as Traefik's GetSourceExtractor: which requests count as coming from one source
// (rateLimit buckets, inFlightReq counters). One strategy: an IP strategy (shared with ipAllowList:
// the client IP, or one picked from X-Forwarded-For), a request header's value, or the request host.
import type { MiddlewareOptions } from "../../schema/middlewares.ts";
import type { RequestContext } from "../../services/types.ts";
import { ipStrategy } from "../ip/strategy.ts";

export type SourceCriterion = NonNullable<MiddlewareOptions<"rateLimit">["sourceCriterion"]>;

/** The source of a request; "" when the strategy finds none (all such requests share one source, as in Traefik). */
export type SourceExtractor = (request: Request, rc: RequestContext) => string;

/** Traefik's default when no strategy is set: the client IP for rateLimit, the host for inFlightReq. */
export type DefaultSource = "ip" | "host";

/** The extractor, or why the criterion cannot work (reported at the middleware). */
export function sourceExtractor(criterion: SourceCriterion | undefined, fallback: DefaultSource): SourceExtractor | string {
  if (criterion?.ipStrategy) return ipStrategy(criterion.ipStrategy);
  if (criterion?.requestHeaderName) {
    const name = criterion.requestHeaderName;
    return (request) => request.headers.get(name) ?? "";
  }
  if (criterion?.requestHost === true || fallback === "host") return requestHost;
  return ipStrategy(undefined);
}

/** Go's req.Host: the Host header as received (port included), else the URL's host. */
function requestHost(request: Request): string {
  return request.headers.get("host") ?? new URL(request.url).host;
}
