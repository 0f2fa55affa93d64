// The transport: one request to one upstream with fetch. Bodies stream both ways; redirects are
// passed back to the client (a proxy never follows them); failures become Traefik's statuses.
import { badGateway, gatewayTimeout } from "../http/status.ts";
import { setForwarded } from "./forwarded.ts";
import { removeHopByHop } from "./hop.ts";
import type { RequestContext } from "./types.ts";

export interface Upstream {
  /** Scheme, host and port of the server; its path only with preservePath (as Traefik). */
  readonly url: URL;
  readonly preservePath: boolean;
}

export interface TransportOptions {
  /** Abort with 504 if response headers take longer than this; 0 means wait as long as the runtime allows. */
  readonly responseHeaderTimeoutMs: number;
}

export type ForwardOutcome = "ok" | "connect-error" | "timeout";

// Responses the transport made up because the upstream failed (not answers from an upstream), so
// middlewares such as retry and circuitBreaker can tell a network error from an upstream's 502.
const failures = new WeakMap<Response, Exclude<ForwardOutcome, "ok">>();

/** "connect-error" or "timeout" when this response stands for a failed upstream exchange, else null. */
export function transportFailure(response: Response): Exclude<ForwardOutcome, "ok"> | null {
  return failures.get(response) ?? null;
}

function failed(response: Response, outcome: Exclude<ForwardOutcome, "ok">): Forwarded {
  failures.set(response, outcome);
  return { response, outcome };
}

export interface Forwarded {
  readonly response: Response;
  readonly outcome: ForwardOutcome;
}

export async function forward(
  request: Request,
  rc: RequestContext,
  upstream: Upstream,
  transport: TransportOptions,
): Promise<Forwarded> {
  const headers = upstreamHeaders(request, rc);
  const abort = new AbortController();
  const timer = startTimer(abort, transport.responseHeaderTimeoutMs);
  try {
    const response = await fetch(targetURL(upstream, new URL(request.url)), {
      method: request.method,
      headers,
      body: request.body,
      redirect: "manual",
      signal: abort.signal,
    });
    return { response: downstream(response), outcome: "ok" };
  } catch (err) {
    if (abort.signal.aborted) return failed(gatewayTimeout(), "timeout");
    return failed(badGateway(), "connect-error");
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** Traefik drops the server URL's path unless preservePath is set; the request's path and query follow. */
export function targetURL(upstream: Upstream, requestURL: URL): URL {
  const target = new URL(upstream.url.origin);
  const base = upstream.preservePath ? upstream.url.pathname.replace(/\/$/, "") : "";
  target.pathname = base + requestURL.pathname;
  target.search = requestURL.search;
  return target;
}

function upstreamHeaders(request: Request, rc: RequestContext): Headers {
  const headers = new Headers(request.headers);
  removeHopByHop(headers);
  // The runtime derives Host from the target URL; the client's host travels as X-Forwarded-Host.
  headers.delete("host");
  setForwarded(headers, rc.url, rc.clientIP);
  return headers;
}

function downstream(response: Response): Response {
  const out = new Response(response.body, response);
  removeHopByHop(out.headers);
  return out;
}

function startTimer(abort: AbortController, ms: number): ReturnType<typeof setTimeout> | undefined {
  if (ms <= 0) return undefined;
  return setTimeout(() => abort.abort(), ms);
}
