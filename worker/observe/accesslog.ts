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

export type LogLine = Record<string, string | number>;

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

/** The core fields of Traefik's table (before fields.names), with this port's additions. */
export function coreFields(input: LogInput, keepQuery = true): LogLine {
  const { request, url, observed: o, response } = input;
  const cf = request.cf as { colo?: string; httpProtocol?: string; tlsVersion?: string; tlsCipher?: string; tlsClientAuth?: { certSubjectDN?: string } } | undefined;
  const durationNs = Math.round((input.endMs - input.startMs) * 1e6);
  const line: LogLine = {};
  const set = (key: string, value: string | number | null | undefined) => {
    if (value !== undefined && value !== null && value !== "") line[key] = value;
  };
  const start = rfc3339Nano(input.startMs);
  set("StartUTC", start);
  set("StartLocal", start);
  set("Duration", durationNs);
  set("RouterName", qualified(o.routerName, input.provider));
  set("ServiceName", qualified(o.serviceName, input.provider));
  set("ServiceURL", o.serviceURL);
  set("ServiceAddr", o.serviceAddr);
  const forwardedFor = request.headers.get("x-forwarded-for");
  set("ClientAddr", input.clientIP);
  set("ClientHost", forwardedFor || input.clientIP);
  set("ClientUsername", "-");
  const host = request.headers.get("host") ?? url.host;
  const [requestHost, requestPort] = hostAndPort(host);
  set("RequestAddr", host);
  set("RequestHost", requestHost);
  set("RequestPort", requestPort);
  set("RequestMethod", request.method);
  set("RequestPath", url.pathname + (keepQuery ? url.search : ""));
  set("RequestProtocol", CF_PROTOCOL[cf?.httpProtocol ?? ""] ?? cf?.httpProtocol ?? "HTTP/1.1");
  set("RequestScheme", url.protocol.slice(0, -1));
  set("RequestContentSize", contentSize(request.headers, request.body) ?? undefined);
  set("TLSVersion", cf?.tlsVersion?.replace(/^TLSv/, ""));
  set("TLSCipher", cf?.tlsCipher);
  set("TLSClientSubject", cf?.tlsClientAuth?.certSubjectDN);
  const originNs = o.originDurationMs === undefined ? undefined : Math.round(o.originDurationMs * 1e6);
  set("OriginDuration", originNs);
  const originSize = o.originHeaders ? declared(o.originHeaders) : null;
  set("OriginContentSize", originSize);
  set("OriginStatus", o.originStatus);
  set("DownstreamStatus", response.status);
  const size = contentSize(response.headers, response.body);
  set("DownstreamContentSize", size);
  if (originSize !== null && size !== null && size !== 0 && size !== originSize) set("GzipRatio", originSize / size);
  set("Overhead", originNs === undefined ? durationNs : durationNs - originNs);
  set("RetryAttempts", o.retryAttempts);
  set("RequestCount", input.requestCount);
  set("TraceId", input.traceId);
  set("SpanId", input.spanId);
  set("trace_id", input.traceId);
  set("span_id", input.spanId);
  set("ConfigVersion", input.configVersion);
  set("colo", cf?.colo);
  set("RequestId", input.requestId);
  return line;
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
      if (keep) line[key] = core[key]!;
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
