// One access-log line as Traefik's JSON access log writes it: names, units, header modes, filters.
import { describe, expect, it } from "vitest";
import { accessLogLine, headerMode, keepLine, rfc3339Nano, type LogInput } from "../../../worker/observe/accesslog.ts";
import { DEFAULT_FIELDS, parseAccessLogOptions, type AccessLogFields } from "../../../worker/observe/options.ts";

function fields(options: unknown): AccessLogFields {
  const issues: never[] = [];
  const parsed = parseAccessLogOptions(JSON.stringify({ fields: options }), issues);
  expect(issues).toEqual([]);
  return parsed!.fields;
}

/** The line as written: through JSON, which leaves out the fields Workers do not know (undefined). */
function logged(i: LogInput, f: AccessLogFields): Record<string, unknown> {
  return JSON.parse(JSON.stringify(accessLogLine(i, f))) as Record<string, unknown>;
}

function input(overrides: Partial<LogInput> = {}): LogInput {
  const request = new Request("https://app.example.com:8443/api/x?q=1", {
    method: "POST",
    headers: { "user-agent": "curl/8", authorization: "Bearer secret", cookie: "a=1", "x-forwarded-for": "198.51.100.1", "content-length": "3" },
    body: "abc",
  });
  const response = new Response("hello", { status: 201, headers: { "content-length": "5", "set-cookie": "s=1" } });
  return {
    request,
    url: new URL(request.url),
    clientIP: "203.0.113.7",
    startMs: Date.UTC(2026, 11, 3, 11, 47, 12, 120),
    endMs: Date.UTC(2026, 11, 3, 11, 47, 12, 170),
    response,
    observed: { routerName: "api", serviceName: "backend", serviceURL: "http://10.0.0.1:8080", serviceAddr: "10.0.0.1:8080", originStatus: 201, originDurationMs: 30, originHeaders: new Headers({ "content-length": "10", server: "up" }), retryAttempts: 1 },
    provider: "kv",
    configVersion: 7,
    requestId: "req-1",
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "00f067aa0ba902b7",
    requestCount: 3,
    ...overrides,
  };
}

describe("accessLogLine", () => {
  it("writes Traefik's core fields with its units, names qualified by provider", () => {
    const line = logged(input(), DEFAULT_FIELDS);
    expect(line).toMatchObject({
      StartUTC: "2026-12-03T11:47:12.12Z",
      Duration: 50_000_000,
      OriginDuration: 30_000_000,
      Overhead: 20_000_000,
      RouterName: "api@kv",
      ServiceName: "backend@kv",
      ServiceURL: "http://10.0.0.1:8080",
      ServiceAddr: "10.0.0.1:8080",
      ClientAddr: "203.0.113.7",
      ClientHost: "198.51.100.1", // X-Forwarded-For wins, as in Traefik (only a trusted one survives the entry)
      RequestAddr: "app.example.com:8443",
      RequestHost: "app.example.com",
      RequestPort: "8443",
      RequestMethod: "POST",
      RequestPath: "/api/x?q=1",
      RequestProtocol: "HTTP/1.1",
      RequestScheme: "https",
      RequestContentSize: 3,
      OriginStatus: 201,
      OriginContentSize: 10,
      DownstreamStatus: 201,
      DownstreamContentSize: 5,
      GzipRatio: 2,
      RetryAttempts: 1,
      RequestCount: 3,
      TraceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      SpanId: "00f067aa0ba902b7",
      ConfigVersion: 7,
      RequestId: "req-1",
      level: "info",
      msg: "",
      time: "2026-12-03T11:47:12Z",
    });
    expect(line).not.toHaveProperty("ClientPort");
    // Traefik's default: no header at all.
    expect(Object.keys(line).filter((k) => k.includes("_") && !k.endsWith("_id"))).toEqual([]);
  });

  it("trims Go's fraction as RFC3339Nano does", () => {
    expect(rfc3339Nano(Date.UTC(2026, 0, 2, 3, 4, 5, 0))).toBe("2026-01-02T03:04:05Z");
    expect(rfc3339Nano(Date.UTC(2026, 0, 2, 3, 4, 5, 7))).toBe("2026-01-02T03:04:05.007Z");
  });

  it("a request the router answered itself has no origin fields, and Overhead is the whole Duration", () => {
    const line = logged(input({ observed: { retryAttempts: 0 }, response: new Response(null, { status: 404 }) }), DEFAULT_FIELDS);
    expect(line).not.toHaveProperty("OriginStatus");
    expect(line).not.toHaveProperty("ServiceName");
    expect(line).toMatchObject({ DownstreamStatus: 404, DownstreamContentSize: 0, Overhead: line.Duration, RetryAttempts: 0 });
  });

  it("a body that streams without a length has no DownstreamContentSize (not counted, see docs)", () => {
    const stream = new ReadableStream({ start: (c) => c.close() });
    expect(logged(input({ response: new Response(stream) }), DEFAULT_FIELDS)).not.toHaveProperty("DownstreamContentSize");
  });

  it("headers.defaultMode keep: every header as request_/origin_/downstream_<Canonical-Name>, credentials REDACTED", () => {
    const line = logged(input(), fields({ headers: { defaultMode: "keep" } }));
    expect(line).toMatchObject({
      "request_User-Agent": "curl/8",
      request_Authorization: "REDACTED",
      request_Cookie: "REDACTED",
      "request_X-Forwarded-For": "198.51.100.1",
      origin_Server: "up",
      "downstream_Set-Cookie": "REDACTED",
      "downstream_Content-Length": "5",
    });
  });

  it("per-header names override the default, credentials included", () => {
    const f = fields({ headers: { defaultMode: "drop", names: { "User-Agent": "redact", authorization: "keep", "content-length": "keep" } } });
    const line = logged(input(), f);
    expect(line["request_User-Agent"]).toBe("REDACTED");
    expect(line.request_Authorization).toBe("Bearer secret");
    expect(line["request_Content-Length"]).toBe("3");
    expect(line).not.toHaveProperty("request_Cookie");
    expect(headerMode(fields({ headers: { defaultMode: "redact" } }), "Cookie")).toBe("redact");
  });

  it("fields.defaultMode drop keeps only the named fields; names match any letter case; query dropped on request", () => {
    const line = logged(input(), fields({ defaultMode: "drop", names: { requestpath: "keep", DownstreamStatus: "keep" }, queryParameters: { defaultMode: "drop" } }));
    expect(line).toEqual({ RequestPath: "/api/x", DownstreamStatus: 201, level: "info", msg: "", time: "2026-12-03T11:47:12Z" });
  });

  it("several values of a header are joined by a comma", () => {
    const response = new Response(null, { headers: [["set-cookie", "a=1"], ["set-cookie", "b=2"]] });
    const line = logged(input({ response }), fields({ headers: { names: { "Set-Cookie": "keep" } } }));
    expect(line["downstream_Set-Cookie"]).toBe("a=1,b=2");
  });
});

describe("keepLine (Traefik's filters)", () => {
  const f = (statusCodes: [number, number][], retryAttempts = false, minDurationNs = 0) => ({ statusCodes: statusCodes.map(([low, high]) => ({ low, high })), retryAttempts, minDurationNs });
  it("keeps everything without filters, or with empty ones", () => {
    expect(keepLine(null, 200, 0, 1)).toBe(true);
    expect(keepLine(f([]), 200, 0, 1)).toBe(true);
  });
  it("keeps a line when any filter matches: status range, a retry, longer than minDuration", () => {
    const filters = f([[400, 499]], true, 5e6);
    expect(keepLine(filters, 404, 0, 0)).toBe(true);
    expect(keepLine(filters, 200, 1, 0)).toBe(true);
    expect(keepLine(filters, 200, 0, 6e6)).toBe(true);
    expect(keepLine(filters, 200, 0, 5e6)).toBe(false); // strictly longer, as Traefik
    expect(keepLine(filters, 500, 0, 0)).toBe(false);
  });
});

describe("ClientUsername", () => {
  it("is who an auth middleware let through (jwt's usernameClaim), else -", () => {
    expect(logged(input(), DEFAULT_FIELDS).ClientUsername).toBe("-");
    const named = input();
    const line = logged({ ...named, observed: { ...named.observed, clientUsername: "alice" } }, DEFAULT_FIELDS);
    expect(line.ClientUsername).toBe("alice");
  });
});
