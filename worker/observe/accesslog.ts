// One access-log line, as Traefik's JSON access log writes it (pkg/middlewares/accesslog): the
// same field names and units (Duration, OriginDuration and Overhead in nanoseconds, StartUTC in
// RFC 3339 with Go's trimmed fraction), header fields as request_<Name> / origin_<Name> /
// downstream_<Name> with Go's canonical header names, Traefik's keep/drop/redact modes and its
// filters. Added for Workers: ConfigVersion, colo, RequestId. What Workers cannot know (ClientPort,
// bytes of a body that streams without a length) is left out: docs/observability.md.
import { canonicalMIMEHeaderKey } from "../go/textproto.ts";
import { inRanges } from "../services/status-ranges.ts";
import type { RequestObservation } from "../services/types.ts";
import { REDACTED_BY_DEFAULT, type AccessLogFields, type AccessLogFilters, type HeaderMode } from "./options.ts";

/** What the entry knows of one request once its response is made. */
export interface LogInput {
  /** The request as the router received it (after the inbound stage). */
  readonly request: Request;
  readonly url: URL;
  readonly clientIP: string | null;
  readonly startMs: number;
  readonly endMs: number;
  readonly response: Response;
  readonly observed: RequestObservation;
  /** The config's provider: names are logged as name@provider, as Traefik does. */
  readonly provider: string | null;
  readonly configVersion: number | null;
  readonly requestId: string | null;
  readonly traceId: string | null;
  readonly spanId: string | null;
  /** Requests this isolate has logged (Traefik's RequestCount, per process there). */
  readonly requestCount: number;
}

/** A line before JSON.stringify: undefined values are fields left out. */
export type LogLine = Record<string, string | number | undefined>;

/** Traefik's keepAccessLog: no filter (or an empty one) keeps all; else any matching filter keeps. */
export function keepLine(filters: AccessLogFilters | null, status: number, retryAttempts: number, durationNs: number): boolean {
  if (!filters) return true;
  if (filters.statusCodes.length === 0 && !filters.retryAttempts && filters.minDurationNs === 0) return true;
  if (inRanges(status, filters.statusCodes)) return true;
  if (filters.retryAttempts && retryAttempts > 0) return true;
  return filters.minDurationNs > 0 && durationNs > filters.minDurationNs;
}

/** Go's time.RFC3339Nano of a UTC time: the fraction's trailing zeros dropped ("…:05.12Z", "…:05Z"). */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, "Z");
}

const CF_PROTOCOL: Record<string, string> = { "HTTP/2": "HTTP/2.0", "HTTP/3": "HTTP/3.0", "HTTP/1": "HTTP/1.0" };

/** Content-Length as a number, or null when absent or not a number. */
function declared(headers: Headers): number | null {
  const value = headers.get("content-length");
  return value !== null && /^\d+$/.test(value) ? Number(value) : null;
}

/** Bytes of a body as the headers say: 0 without a body, Content-Length, else unknown (null). */
function contentSize(headers: Headers, body: ReadableStream | null): number | null {
  return body === null ? 0 : declared(headers);
}

/** host and port of a Host header as Traefik's silentSplitHostPort: "-" as the port when there is none. */
function hostAndPort(host: string): [string, string] {
  const bracket = host.lastIndexOf("]");
  const colon = host.lastIndexOf(":");
  if (colon > bracket && (bracket >= 0 || host.indexOf(":") === colon)) return [host.slice(bracket >= 0 ? 1 : 0, bracket >= 0 ? bracket : colon), host.slice(colon + 1)];
  return [host, "-"];
}

function qualified(name: string | undefined, provider: string | null): string | undefined {
  if (name === undefined) return undefined;
  return provider === null || name.includes("@") ? name : `${name}@${provider}`;
}

/**
 * The core fields of Traefik's table (before fields.names), with this port's additions. One object
 * literal (one shape, cheap to build); a field Workers do not know is undefined, which
 * JSON.stringify leaves out of the line.
 */
export function coreFields(input: LogInput, keepQuery = true): LogLine {
  const { request, url, observed: o, response } = input;
  const cf = request.cf as { colo?: string; httpProtocol?: string; tlsVersion?: string; tlsCipher?: string; tlsClientAuth?: { certSubjectDN?: string } } | undefined;
  const durationNs = Math.round((input.endMs - input.startMs) * 1e6);
  const start = rfc3339Nano(input.startMs);
  const host = request.headers.get("host") ?? url.host;
  const [requestHost, requestPort] = hostAndPort(host);
  const originNs = o.originDurationMs === undefined ? undefined : Math.round(o.originDurationMs * 1e6);
  const originSize = o.originHeaders ? declared(o.originHeaders) : null;
  const size = contentSize(response.headers, response.body);
  const protocol = cf?.httpProtocol;
  return {
    StartUTC: start,
    StartLocal: start,
    Duration: durationNs,
    RouterName: qualified(o.routerName, input.provider),
    ServiceName: qualified(o.serviceName, input.provider),
    ServiceURL: o.serviceURL,
    ServiceAddr: o.serviceAddr,
    ClientAddr: input.clientIP ?? undefined,
    ClientHost: request.headers.get("x-forwarded-for") || input.clientIP || undefined,
    ClientUsername: o.clientUsername ?? "-",
    RequestAddr: host,
    RequestHost: requestHost,
    RequestPort: requestPort,
    RequestMethod: request.method,
    RequestPath: keepQuery ? url.pathname + url.search : url.pathname,
    RequestProtocol: protocol ? (CF_PROTOCOL[protocol] ?? protocol) : "HTTP/1.1",
    RequestScheme: url.protocol.slice(0, -1),
    RequestContentSize: contentSize(request.headers, request.body) ?? undefined,
    TLSVersion: cf?.tlsVersion?.replace(/^TLSv/, ""),
    TLSCipher: cf?.tlsCipher,
    TLSClientSubject: cf?.tlsClientAuth?.certSubjectDN || undefined,
    OriginDuration: originNs,
    OriginContentSize: originSize ?? undefined,
    OriginStatus: o.originStatus,
    DownstreamStatus: response.status,
    DownstreamContentSize: size ?? undefined,
    GzipRatio: originSize !== null && size !== null && size !== 0 && size !== originSize ? originSize / size : undefined,
    Overhead: originNs === undefined ? durationNs : durationNs - originNs,
    RetryAttempts: o.retryAttempts,
    RequestCount: input.requestCount,
    TraceId: input.traceId ?? undefined,
    SpanId: input.spanId ?? undefined,
    trace_id: input.traceId ?? undefined,
    span_id: input.spanId ?? undefined,
    ConfigVersion: input.configVersion ?? undefined,
    colo: cf?.colo,
    RequestId: input.requestId ?? undefined,
  };
}

/** Traefik's AccessLogFields.KeepHeader, plus the defaults: Authorization, Cookie and Set-Cookie
 *  are redacted where the default mode would keep them, unless fields.headers.names says otherwise. */
export function headerMode(fields: AccessLogFields, name: string): HeaderMode {
  const named = fields.headerNames.get(name);
  if (named) return named;
  return fields.headersDefault === "keep" && REDACTED_BY_DEFAULT.has(name) ? "redact" : fields.headersDefault;
}

/** Traefik's redactHeaders: prefix + canonical name, several values joined by ",". */
function addHeaders(line: LogLine, headers: Headers | undefined, prefix: string, fields: AccessLogFields): void {
  if (!headers) return;
  for (const [lower, value] of headers) {
    const name = canonicalMIMEHeaderKey(lower);
    const mode = headerMode(fields, name);
    if (mode === "drop") continue;
    const key = prefix + name;
    const shown = mode === "redact" ? "REDACTED" : value;
    const before = line[key];
    // Set-Cookie comes one value at a time; Traefik joins repeated values with ",".
    line[key] = before === undefined || mode === "redact" ? shown : `${before},${shown}`;
  }
}

/** The whole line: the core fields that fields.defaultMode/names keep, the headers their modes let
 *  through, and logrus's own level, msg and time (Traefik's JSON format is logrus's JSONFormatter). */
export function accessLogLine(input: LogInput, fields: AccessLogFields): LogLine {
  const core = coreFields(input, fields.keepQuery);
  let line: LogLine = core;
  if (!fields.defaultKeep || fields.names.size > 0) {
    line = {};
    for (const key in core) {
      const keep = fields.names.get(key.toLowerCase()) ?? fields.defaultKeep;
      if (keep && core[key] !== undefined) line[key] = core[key];
    }
  }
  if (fields.headersDefault !== "drop" || fields.headerNames.size > 0) {
    addHeaders(line, input.request.headers, "request_", fields);
    addHeaders(line, input.observed.originHeaders, "origin_", fields);
    addHeaders(line, input.response.headers, "downstream_", fields);
  }
  line.level = "info";
  line.msg = "";
  line.time = new Date(input.endMs).toISOString().replace(/\.\d+Z$/, "Z");
  return line;
}
