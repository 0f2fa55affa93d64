// The transport: one request to one upstream with fetch (or a service binding's fetch). Bodies
// stream both ways; redirects are passed back to the client (a proxy never follows them); WebSocket
// upgrades are handed through; failures become Traefik's statuses: 502 when the upstream cannot be
// reached, 504 past a deadline, and a quiet 499 when the client itself went away.
import type { FetchCache } from "../schema/transports.ts";
import { badGateway, gatewayTimeout } from "../http/status.ts";
import { bindingFetcher } from "./binding.ts";
import { declaredLength, onBodyDone, relay } from "../http/body.ts";
import { splitHref } from "../http/href.ts";
import { setForwarded } from "./forwarded.ts";
import { removeHopByHop, removeResponseHopByHop } from "./hop.ts";
import { Exchange, type AbortCause } from "./timeouts.ts";
import type { RequestContext } from "./types.ts";
import { isWebSocketUpgrade, upgraded } from "./websocket.ts";

export interface Upstream {
  /** Scheme, host and port of the server; its path only with preservePath (as Traefik). For a
   *  service binding, `http://<name in lower case>/<path>`: only the path is used. */
  readonly url: URL;
  readonly preservePath: boolean;
  /** The binding's name for a `binding://NAME` server; the request goes to env[NAME].fetch. */
  readonly binding?: string | null;
}

/** Cloudflare cache settings for the upstream fetch (`RequestInit.cf`); ignored for service bindings. */
export type CacheOptions = Readonly<FetchCache>;

export interface TransportOptions {
  /** 504 if response headers take longer than this once the request is sent; 0: no limit. */
  readonly responseHeaderTimeoutMs: number;
  /** The whole exchange, response body included; 0 or absent: no limit. */
  readonly overallTimeoutMs?: number;
  readonly cf?: CacheOptions;
}

/** What the caller (a pool) wants to know about the exchange. */
export interface ForwardHooks {
  /** passHostHeader: a service binding sees the client's host in its URL (default true). */
  readonly passHostHeader?: boolean;
  /** Response headers arrived after this many milliseconds. */
  readonly onHeaders?: (ms: number) => void;
  /** The exchange is over: body fully relayed, failed, cancelled, or upgraded. Called exactly once. */
  readonly onEnd?: () => void;
}

export type TransportFailure = "connect-error" | "timeout";
export type ForwardOutcome = "ok" | TransportFailure | "client-abort";

// Responses the transport made up because the upstream failed (not answers from an upstream), so
// middlewares such as retry and circuitBreaker can tell a network error from an upstream's 502.
const failures = new WeakMap<Response, TransportFailure>();

/** "connect-error" or "timeout" when this response stands for a failed upstream exchange, else null. */
export function transportFailure(response: Response): TransportFailure | null {
  return failures.get(response) ?? null;
}

export interface Forwarded {
  readonly response: Response;
  readonly outcome: ForwardOutcome;
}

function failed(response: Response, outcome: TransportFailure): Forwarded {
  failures.set(response, outcome);
  return { response, outcome };
}

/** Nginx's 499: nobody reads it (the client is gone); it only ends the handler quietly. */
function clientClosed(): Forwarded {
  return { response: new Response(null, { status: 499 }), outcome: "client-abort" };
}

export async function forward(
  request: Request,
  rc: RequestContext,
  upstream: Upstream,
  transport: TransportOptions,
  hooks: ForwardHooks = {},
): Promise<Forwarded> {
  const end = once(hooks.onEnd);
  const fetcher = upstreamFetcher(rc, upstream);
  if (!fetcher) {
    end();
    return failed(badGateway(), "connect-error");
  }
  const exchange = new Exchange(
    { responseHeaderTimeoutMs: transport.responseHeaderTimeoutMs, overallTimeoutMs: transport.overallTimeoutMs ?? 0 },
    request.signal ?? null,
  );
  const started = Date.now();
  try {
    const target = targetHref(upstream, request.url, hooks.passHostHeader ?? true);
    const response = await fetcher.fetch(target, init(request, rc, upstream, transport, exchange));
    exchange.headersReceived();
    const ms = Date.now() - started;
    hooks.onHeaders?.(ms);
    observeOrigin(rc, response, ms);
    const track = hooks.onEnd !== undefined || exchange.outlivesHeaders;
    return { response: respond(response, exchange, end, track), outcome: "ok" };
  } catch {
    exchange.finish();
    end();
    return failure(exchange.abortedBy);
  }
}

/** OriginStatus, OriginDuration and the origin_<Name> headers of the access log. */
function observeOrigin(rc: RequestContext, response: Response, ms: number): void {
  const o = rc.observed;
  if (!o) return;
  o.originStatus = response.status;
  o.originDurationMs = ms;
  o.originHeaders = response.headers;
}

function once(fn: (() => void) | undefined): () => void {
  let called = false;
  return () => {
    if (called) return;
    called = true;
    fn?.();
  };
}

function failure(cause: AbortCause | null): Forwarded {
  if (cause === "client") return clientClosed();
  if (cause === "timeout") return failed(gatewayTimeout(), "timeout");
  return failed(badGateway(), "connect-error");
}

const missingBindings = new Set<string>();
const internet: Pick<Fetcher, "fetch"> = { fetch: (input, init) => fetch(input, init) };

function upstreamFetcher(rc: RequestContext, upstream: Upstream): Pick<Fetcher, "fetch"> | null {
  if (!upstream.binding) return internet;
  const fetcher = bindingFetcher(rc.env, upstream.binding);
  if (!fetcher && !missingBindings.has(upstream.binding)) {
    missingBindings.add(upstream.binding);
    console.error(`binding://${upstream.binding}: the Worker has no service binding named ${upstream.binding} (add it to wrangler.toml [[services]])`);
  }
  return fetcher;
}

function init(request: Request, rc: RequestContext, upstream: Upstream, transport: TransportOptions, exchange: Exchange): RequestInit {
  const out: RequestInit = {
    method: request.method,
    headers: upstreamHeaders(request, rc),
    body: requestBody(request, transport, exchange),
    redirect: "manual",
    signal: exchange.signal,
  };
  if (transport.cf && !upstream.binding) out.cf = { ...transport.cf };
  return out;
}

/** The body to send; the response-header deadline starts once its last byte has gone. */
function requestBody(request: Request, transport: TransportOptions, exchange: Exchange): ReadableStream<Uint8Array> | null {
  const body = request.body;
  if (!body || transport.responseHeaderTimeoutMs <= 0) {
    exchange.requestSent();
    return body;
  }
  const relayed = relay(body, declaredLength(request.headers));
  relayed.done.then(() => exchange.requestSent(), () => undefined);
  return relayed.stream;
}

/** Traefik drops the server URL's path unless preservePath is set; the request's path and query follow. */
export function targetURL(upstream: Upstream, requestURL: URL, passHostHeader = true): URL {
  return new URL(targetHref(upstream, requestURL.href, passHostHeader));
}

/**
 * targetURL as a string, made from the request's URL string without parsing it (the request path is
 * a serialized URL path already, which the fetch's own parse leaves as it is). A server's own part
 * is made once (`bases`).
 */
function targetHref(upstream: Upstream, requestHref: string, passHostHeader: boolean): string {
  const request = splitHref(requestHref);
  return `${serverBase(upstream, request.origin, passHostHeader)}${request.pathname}${request.search}`;
}

const bases = new WeakMap<Upstream, string>();

/**
 * The server's origin, then its path (without a trailing slash) with preservePath. A service
 * binding keeps the request's scheme, and its host with passHostHeader.
 */
function serverBase(upstream: Upstream, requestOrigin: string, passHostHeader: boolean): string {
  if (upstream.binding) {
    const scheme = requestOrigin.slice(0, requestOrigin.indexOf("//"));
    const authority = requestOrigin.slice(scheme.length + 2);
    const host = passHostHeader ? authority.slice(authority.lastIndexOf("@") + 1) : upstream.url.host;
    return `${scheme}//${host}${serverPath(upstream)}`;
  }
  let base = bases.get(upstream);
  if (base === undefined) {
    base = upstream.url.origin + serverPath(upstream);
    bases.set(upstream, base);
  }
  return base;
}

function serverPath(upstream: Upstream): string {
  return upstream.preservePath ? upstream.url.pathname.replace(/\/$/, "") : "";
}

function upstreamHeaders(request: Request, rc: RequestContext): Headers {
  const headers = new Headers(request.headers);
  // Only the fixed list: what the client's Connection named went at the entry (entry.ts), and this
  // request now carries headers the router set, which no client may strip.
  removeHopByHop(headers, isWebSocketUpgrade(request.headers));
  // The runtime derives Host from the target URL (workerd replaces any Host header; Cloudflare
  // refuses one outside the Worker's zone); the client's host travels as X-Forwarded-Host.
  headers.delete("host");
  setForwarded(headers, rc.url, rc.clientIP, rc.forwardedRemoved);
  // Trace context and request id (worker/observe), as Traefik's tracing transport injects them.
  for (const [name, value] of rc.propagate ?? []) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  return headers;
}

/** The response for the client; `track`: watch the body to its end (deadline, in-flight count). */
function respond(response: Response, exchange: Exchange, end: () => void, track: boolean): Response {
  const finish = () => {
    exchange.finish();
    end();
  };
  if (response.status === 101 && response.webSocket) {
    finish();
    return upgraded(response);
  }
  let out: Response;
  if (track) out = onBodyDone(response, finish);
  else {
    finish();
    out = new Response(response.body, response);
  }
  // The upstream's Connection names its own headers: removed here, before the middlewares add theirs.
  removeResponseHopByHop(out.headers);
  return out;
}
