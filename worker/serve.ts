// The hot path: one snapshot, one match, one handler. No I/O but the upstream fetch.
import type { Snapshot } from "./compile/snapshot.ts";
import { internalError, notFound } from "./http/status.ts";
import { viewFromRequest } from "./rules/index.ts";
import type { RequestMetrics } from "./metrics/index.ts";
import type { RequestContext } from "./services/types.ts";

export interface ServeOptions {
  /** Tag responses with the config version and router that served them (VERSION_HEADER=true). */
  readonly versionHeader?: boolean;
  /** Where each request is counted (the isolate's metrics); absent: not counted. */
  readonly metrics?: RequestMetrics;
}

export async function serve(request: Request, snapshot: Snapshot, rc: RequestContext, options: ServeOptions = {}): Promise<Response> {
  const startedAt = performance.now();
  const route = snapshot.muxer.match(viewFromRequest(request, rc.clientIP, rc.url));
  if (!route) {
    const missed = notFound();
    options.metrics?.record(snapshot, null, request, missed, startedAt, rc.observed);
    return missed;
  }
  if (rc.observed) rc.observed.routerName = route.name;
  let response: Response;
  try {
    response = await route.handler(request, rc);
  } catch (err) {
    // A handler bug must not become a thrown exception (the runtime's error page): log and answer 500.
    console.error(`router ${route.name}:`, err);
    response = internalError();
  }
  options.metrics?.record(snapshot, route.name, request, response, startedAt, rc.observed);
  return options.versionHeader ? tagged(response, snapshot.meta.version, route.name) : response;
}

function tagged(response: Response, version: number, router: string): Response {
  if (response.status === 101) return response;
  // The response is the client's now: its headers are edited in place when they may be (the
  // proxy's responses are its own copies), copied only when they are immutable (a fetch's, a redirect's).
  try {
    tag(response.headers, version, router);
    return response;
  } catch {
    const out = new Response(response.body, response);
    tag(out.headers, version, router);
    return out;
  }
}

function tag(headers: Headers, version: number, router: string): void {
  headers.set("x-switchyard-version", String(version));
  headers.set("x-switchyard-router", router);
}
