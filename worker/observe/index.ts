// What the entry calls around serve: `begin` makes the request's record, its trace and request id
// (the headers the transport sends upstream); `end` writes the access-log line through console.log,
// queues the request's span for OTLP export, and returns the response with X-Request-Id. One
// Observer per isolate, built from the Worker's variables (options.ts).
import type { RequestContext, RequestObservation } from "../services/types.ts";
import { accessLogLine, keepLine } from "./accesslog.ts";
import type { ObserveSettings } from "./options.ts";
import { SpanExporter, type Post } from "./otlp.ts";
import { traceFor, type RequestTrace } from "./traceparent.ts";

/** One request's state between begin and end. */
export interface Observation {
  readonly observed: RequestObservation;
  readonly propagate: RequestContext["propagate"];
  readonly startMs: number;
  readonly trace: RequestTrace | null;
  readonly requestId: string | null;
}

export interface Ending {
  /** The request as served (after the inbound stage). */
  readonly request: Request;
  readonly url: URL;
  readonly clientIP: string | null;
  readonly response: Response;
  /** The snapshot's version and provider; null when no config was served (503). */
  readonly config: { readonly version: number; readonly provider: string } | null;
  readonly waitUntil: (p: Promise<unknown>) => void;
}

/** A client's X-Request-Id is kept when it is a short run of visible ASCII, else replaced. */
const REQUEST_ID = /^[\x21-\x7e]{1,200}$/;

export class Observer {
  readonly settings: ObserveSettings;
  readonly exporter: SpanExporter | null;
  private readonly sink: (line: string) => void;
  private count = 0;

  /** `sink` receives each line (console.log; the benchmark keeps them instead); `post` sends OTLP batches (fetch). */
  constructor(settings: ObserveSettings, sink: (line: string) => void = (line) => console.log(line), post?: Post) {
    this.settings = settings;
    this.sink = sink;
    const otlp = settings.tracing.otlp;
    this.exporter = otlp ? new SpanExporter(otlp, settings.tracing.serviceName, post) : null;
  }

  begin(request: Request): Observation {
    const startMs = Date.now();
    const observed: RequestObservation = { retryAttempts: 0 };
    const tracing = this.settings.tracing;
    if (!tracing.enabled) return { observed, propagate: undefined, startMs, trace: null, requestId: null };
    const trace = traceFor(request.headers, tracing.sampleRate);
    const given = request.headers.get("x-request-id");
    const requestId = given !== null && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    const propagate: [string, string | null][] = [["traceparent", trace.traceparent], ["x-request-id", requestId]];
    // W3C: a tracestate belongs to its traceparent; with a new trace the client's is not passed on.
    if (trace.tracestate || request.headers.has("tracestate")) propagate.push(["tracestate", trace.tracestate]);
    return { observed, propagate, startMs, trace, requestId };
  }

  end(o: Observation, e: Ending): Response {
    const endMs = Date.now();
    const log = this.settings.accessLog;
    if (log.enabled) this.log(o, e, endMs);
    if (this.exporter && o.trace?.sampled) this.exporter.add(span(o, e, endMs), e.waitUntil);
    return o.requestId ? withRequestId(e.response, o.requestId) : e.response;
  }

  private log(o: Observation, e: Ending, endMs: number): void {
    const log = this.settings.accessLog;
    const durationNs = Math.round((endMs - o.startMs) * 1e6);
    if (!keepLine(log.filters, e.response.status, o.observed.retryAttempts, durationNs)) return;
    if (log.sampleRate < 1 && Math.random() >= log.sampleRate) return;
    const line = accessLogLine(
      {
        request: e.request,
        url: e.url,
        clientIP: e.clientIP,
        startMs: o.startMs,
        endMs,
        response: e.response,
        observed: o.observed,
        provider: e.config?.provider ?? null,
        configVersion: e.config?.version ?? null,
        requestId: o.requestId,
        traceId: o.trace?.traceId ?? null,
        spanId: o.trace?.spanId ?? null,
        requestCount: ++this.count,
      },
      log.fields,
    );
    this.sink(JSON.stringify(line));
  }
}

/** The response with X-Request-Id; a copy when its headers cannot change (a WebSocket upgrade is left as is). */
function withRequestId(response: Response, id: string): Response {
  try {
    response.headers.set("x-request-id", id);
    return response;
  } catch {
    if (response.status === 101) return response;
    const out = new Response(response.body, response);
    out.headers.set("x-request-id", id);
    return out;
  }
}

function span(o: Observation, e: Ending, endMs: number) {
  const trace = o.trace!;
  const ob = o.observed;
  const status = e.response.status;
  return {
    traceId: trace.traceId,
    spanId: trace.spanId,
    parentSpanId: trace.parentSpanId,
    name: ob.routerName ? `${e.request.method} ${ob.routerName}` : e.request.method,
    startMs: o.startMs,
    endMs,
    error: status >= 500,
    attributes: {
      "http.request.method": e.request.method,
      "url.scheme": e.url.protocol.slice(0, -1),
      "url.path": e.url.pathname,
      "server.address": e.url.hostname,
      "client.address": e.clientIP ?? undefined,
      "http.response.status_code": status,
      "traefik.router.name": ob.routerName,
      "traefik.service.name": ob.serviceName,
      "traefik.service.url": ob.serviceURL,
      "switchyard.origin.status": ob.originStatus,
      "switchyard.origin.duration_ms": ob.originDurationMs,
      "switchyard.retry.attempts": ob.retryAttempts,
      "switchyard.config.version": e.config?.version,
      "switchyard.request_id": o.requestId ?? undefined,
    },
  };
}
