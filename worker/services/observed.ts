// Writers of the per-request record (RequestContext.observed) that more than one service shares.
import type { Handler, RequestContext } from "./types.ts";

/** The service's handler, noting its name (ServiceName) first: a child called later overwrites it,
 *  so the leaf that answered is logged, as Traefik's per-service field handler does. */
export function observedAs(name: string, handle: Handler): Handler {
  return (request, rc) => {
    if (rc.observed) rc.observed.serviceName = name;
    return handle(request, rc);
  };
}

/** The context for a side request (a mirror): it must not write the client's record. */
export function unobserved(rc: RequestContext): RequestContext {
  return rc.observed ? { ...rc, observed: undefined } : rc;
}
