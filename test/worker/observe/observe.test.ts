// The access log and trace context in workerd, through the real handlers: a router to the ECHO
// service binding (which echoes the headers it received) and dead loopback servers for retries.
// Lines are captured from console.log; upstream headers are read from the echo.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import type { Env } from "../../../worker/env.ts";
import { inbound } from "../../../worker/inbound.ts";
import { Observer } from "../../../worker/observe/index.ts";
import { observeSettings, type ObserveEnv } from "../../../worker/observe/options.ts";
import { parseTraceParent } from "../../../worker/observe/traceparent.ts";
import { serve } from "../../../worker/serve.ts";
import type { RequestContext } from "../../../worker/services/types.ts";
import { snapshotOf } from "../helpers/serve.ts";

const dead = "http://127.0.0.1:1";

const snapshot = snapshotOf({
  http: {
    routers: {
      echo: { rule: "PathPrefix(`/echo`)", service: "echo" },
      retried: { rule: "PathPrefix(`/retried`)", service: "flaky", middlewares: ["retry"] },
      parent: { rule: "PathPrefix(`/weighted`)", service: "split" },
    },
    services: {
      echo: { loadBalancer: { servers: [{ url: "binding://ECHO" }] } },
      flaky: { loadBalancer: { servers: [{ url: dead }, { url: "binding://ECHO" }] } },
      split: { weighted: { services: [{ name: "echo", weight: 1 }] } },
    },
    middlewares: { retry: { retry: { attempts: 3 } } },
  },
});

interface Sent {
  response: Response;
  lines: Record<string, unknown>[];
  pending: Promise<unknown>[];
}

/** One request as worker/index.ts makes it: begin, inbound, serve, end. */
async function send(vars: ObserveEnv, url: string, init: RequestInit = {}, observer = new Observer(observeSettings(vars))): Promise<Sent> {
  const spy = vi.spyOn(console, "log").mockImplementation(() => {});
  const request = new Request(url, init);
  const pending: Promise<unknown>[] = [];
  const o = observer.begin(request);
  const served = inbound(request, false);
  const clientIP = "203.0.113.7";
  const rc: RequestContext = { url: new URL(url), clientIP, waitUntil: (p) => void pending.push(p), env: env as Env, observed: o.observed, propagate: o.propagate };
  const response = observer.end(o, { request: served, url: rc.url, clientIP, response: await serve(served, snapshot, rc), config: snapshot.meta, waitUntil: rc.waitUntil });
  const lines = spy.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);
  spy.mockRestore();
  return { response, lines, pending };
}

interface Echo {
  headers: Record<string, string>;
}

afterEach(() => vi.restoreAllMocks());

describe("access log", () => {
  it("one JSON line per request with Traefik's fields, filled by the router, service, pool and proxy", async () => {
    const { response, lines } = await send({}, "http://app.test/echo/x?y=1");
    await response.arrayBuffer();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      RouterName: "echo@file",
      ServiceName: "echo@file",
      ServiceURL: "binding://ECHO",
      ServiceAddr: "ECHO",
      OriginStatus: 200,
      DownstreamStatus: 200,
      RequestMethod: "GET",
      RequestPath: "/echo/x?y=1",
      RequestHost: "app.test",
      ClientHost: "203.0.113.7",
      RetryAttempts: 0,
      ConfigVersion: 1,
      level: "info",
    });
    const line = lines[0]!;
    expect(line.StartUTC).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(Number.isInteger(line.Duration)).toBe(true);
    expect(line.RequestId).toBe(response.headers.get("x-request-id"));
    expect(line.TraceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("names the leaf service behind a weighted parent, as Traefik does", async () => {
    const { response, lines } = await send({}, "http://app.test/weighted");
    await response.arrayBuffer();
    expect(lines[0]).toMatchObject({ RouterName: "parent@file", ServiceName: "echo@file", ServiceURL: "binding://ECHO" });
  });

  it("counts the retries the retry middleware made", async () => {
    const { response, lines } = await send({}, "http://app.test/retried");
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(lines[0]).toMatchObject({ RetryAttempts: 1, OriginStatus: 200, ServiceURL: "binding://ECHO" });
  });

  it("a 404 of the router itself: no router, no origin fields", async () => {
    const { lines } = await send({}, "http://app.test/nothing");
    expect(lines[0]).toMatchObject({ DownstreamStatus: 404 });
    expect(lines[0]).not.toHaveProperty("RouterName");
    expect(lines[0]).not.toHaveProperty("OriginStatus");
  });

  it("redacts Authorization, Cookie and Set-Cookie by default when headers are kept", async () => {
    const vars = { ACCESS_LOG_OPTIONS: JSON.stringify({ fields: { headers: { defaultMode: "keep" } } }) };
    const { response, lines } = await send(vars, "http://app.test/echo", { headers: { authorization: "Bearer top-secret", cookie: "session=abc", "user-agent": "t/1" } });
    await response.arrayBuffer();
    const line = lines[0]!;
    expect(line).toMatchObject({ request_Authorization: "REDACTED", request_Cookie: "REDACTED", "request_User-Agent": "t/1", "origin_Content-Type": "application/json" });
    expect(JSON.stringify(line)).not.toContain("top-secret");
    expect(JSON.stringify(line)).not.toContain("session=abc");
  });

  it("keep, drop and redact per header name", async () => {
    const vars = { ACCESS_LOG_OPTIONS: JSON.stringify({ fields: { headers: { defaultMode: "drop", names: { Authorization: "keep", "X-Secret": "redact", "User-Agent": "drop" } } } }) };
    const { response, lines } = await send(vars, "http://app.test/echo", { headers: { authorization: "Bearer t", "x-secret": "s", "user-agent": "u", "x-other": "o" } });
    await response.arrayBuffer();
    expect(lines[0]).toMatchObject({ request_Authorization: "Bearer t", "request_X-Secret": "REDACTED" });
    expect(lines[0]).not.toHaveProperty("request_User-Agent");
    expect(lines[0]).not.toHaveProperty("request_X-Other");
  });

  it("filters: statusCodes keeps only lines in range; retryAttempts keeps retried ones", async () => {
    const only4xx = { ACCESS_LOG_OPTIONS: JSON.stringify({ filters: { statusCodes: ["400-499"] } }) };
    const ok = await send(only4xx, "http://app.test/echo");
    await ok.response.arrayBuffer();
    expect(ok.lines).toEqual([]);
    expect((await send(only4xx, "http://app.test/nothing")).lines).toHaveLength(1);
    const retries = { ACCESS_LOG_OPTIONS: JSON.stringify({ filters: { retryAttempts: true } }) };
    const plain = await send(retries, "http://app.test/echo");
    await plain.response.arrayBuffer();
    expect(plain.lines).toEqual([]);
    const retried = await send(retries, "http://app.test/retried");
    await retried.response.arrayBuffer();
    expect(retried.lines).toHaveLength(1);
  });

  it("a WebSocket upgrade is logged as 101 and still carries messages both ways", async () => {
    const { response, lines } = await send({}, "http://app.test/echo/socket", { headers: { upgrade: "websocket", connection: "Upgrade" } });
    expect(response.status).toBe(101);
    expect(lines[0]).toMatchObject({ DownstreamStatus: 101, OriginStatus: 101, RouterName: "echo@file" });
    const ws = response.webSocket!;
    ws.accept();
    const reply = new Promise<string>((resolve) => ws.addEventListener("message", (e) => resolve(String(e.data))));
    ws.send("hello");
    expect(await reply).toBe("echo-worker: hello");
    ws.close(1000, "done");
  });

  it("a body that streams is not read by the log: the line is written before its first byte is", async () => {
    const upstream = inject("upstreams").s1;
    const streaming = snapshotOf({ http: { routers: { r: { rule: "PathPrefix(`/`)", service: "s" } }, services: { s: { loadBalancer: { servers: [{ url: upstream }] } } } } });
    const spy = vi.spyOn(console, "log").mockImplementation(() => {});
    const observer = new Observer(observeSettings({}));
    const request = new Request("https://t.test/stream?n=3&ms=200");
    const o = observer.begin(request);
    const rc: RequestContext = { url: new URL(request.url), clientIP: null, waitUntil: () => {}, env: env as Env, observed: o.observed, propagate: o.propagate };
    const response = observer.end(o, { request, url: rc.url, clientIP: null, response: await serve(request, streaming, rc), config: streaming.meta, waitUntil: rc.waitUntil });
    expect(spy).toHaveBeenCalledTimes(1);
    const line = JSON.parse(String(spy.mock.calls[0]![0])) as Record<string, unknown>;
    spy.mockRestore();
    expect(line).not.toHaveProperty("DownstreamContentSize"); // no Content-Length: not counted
    // Still streamed: the first event arrives before the last one is written.
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const firstAt = Date.now();
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(first).toMatch(/^data: 0 /);
    expect(firstAt).toBeLessThan(Number([...rest.matchAll(/data: \d+ (\d+)/g)].at(-1)![1]));
  });

  it("ACCESS_LOG=false writes nothing; sampleRate 0 writes nothing", async () => {
    expect((await send({ ACCESS_LOG: "false" }, "http://app.test/nothing")).lines).toEqual([]);
    expect((await send({ ACCESS_LOG_OPTIONS: '{"sampleRate":0}' }, "http://app.test/nothing")).lines).toEqual([]);
  });
});

describe("trace context and request id", () => {
  it("creates a traceparent when absent and sends it upstream; the line names the same trace", async () => {
    const { response, lines } = await send({}, "http://app.test/echo");
    const echo = (await response.json()) as Echo;
    const sent = parseTraceParent(echo.headers.traceparent ?? null);
    expect(sent).not.toBeNull();
    expect(sent!.sampled).toBe(true); // TRACING_SAMPLE_RATE defaults to 1, as Traefik's sampleRate
    expect(lines[0]).toMatchObject({ TraceId: sent!.traceId, SpanId: sent!.spanId });
    expect(echo.headers.tracestate).toBeUndefined();
  });

  it("continues a client's trace: same trace id, this router's span as parent, flag and tracestate kept", async () => {
    const incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
    const { response } = await send({}, "http://app.test/echo", { headers: { traceparent: incoming, tracestate: "congo=t61rcWkgMzE" } });
    const echo = (await response.json()) as Echo;
    const sent = parseTraceParent(echo.headers.traceparent ?? null)!;
    expect(sent.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(sent.spanId).not.toBe("00f067aa0ba902b7");
    expect(sent.sampled).toBe(false);
    expect(echo.headers.tracestate).toBe("congo=t61rcWkgMzE");
  });

  it("replaces an invalid traceparent, and samples new traces at TRACING_SAMPLE_RATE", async () => {
    const { response } = await send({ TRACING_SAMPLE_RATE: "0" }, "http://app.test/echo", { headers: { traceparent: "00-00000000000000000000000000000000-00f067aa0ba902b7-01", tracestate: "a=b" } });
    const echo = (await response.json()) as Echo;
    const sent = parseTraceParent(echo.headers.traceparent ?? null)!;
    expect(sent.traceId).not.toBe("0".repeat(32));
    expect(sent.sampled).toBe(false);
    expect(echo.headers.tracestate).toBeUndefined();
  });

  it("keeps a client's X-Request-Id, sends it upstream and returns it; generates one when absent", async () => {
    const kept = await send({}, "http://app.test/echo", { headers: { "x-request-id": "abc-123" } });
    expect(kept.response.headers.get("x-request-id")).toBe("abc-123");
    expect(((await kept.response.json()) as Echo).headers["x-request-id"]).toBe("abc-123");
    expect(kept.lines[0]!.RequestId).toBe("abc-123");
    const made = await send({}, "http://app.test/echo");
    const id = made.response.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await made.response.json()) as Echo).headers["x-request-id"]).toBe(id);
  });

  it("TRACING=false leaves the request alone", async () => {
    const { response, lines } = await send({ TRACING: "false" }, "http://app.test/echo");
    const echo = (await response.json()) as Echo;
    expect(echo.headers.traceparent).toBeUndefined();
    expect(response.headers.get("x-request-id")).toBeNull();
    expect(lines[0]).not.toHaveProperty("TraceId");
  });

  it("exports a span per sampled request in waitUntil, with router, service and upstream timing", async () => {
    const posts: { url: string; body: string }[] = [];
    const post = async (url: string, init: RequestInit) => {
      posts.push({ url, body: String(init.body) });
      return new Response(null, { status: 200 });
    };
    const vars = { TRACING_OTLP_ENDPOINT: "http://collector.test/v1/traces", TRACING_OTLP_FLUSH_MS: "10" };
    const observer = new Observer(observeSettings(vars), () => {}, post);
    const { response, pending } = await send(vars, "http://app.test/echo", {}, observer);
    const echo = (await response.json()) as Echo;
    expect(posts).toEqual([]); // nothing on the request's path
    await Promise.all(pending);
    expect(posts).toHaveLength(1);
    const span = JSON.parse(posts[0]!.body).resourceSpans[0].scopeSpans[0].spans[0];
    const sent = parseTraceParent(echo.headers.traceparent ?? null)!;
    expect(span).toMatchObject({ traceId: sent.traceId, spanId: sent.spanId, name: "GET echo", kind: 2 });
    const attrs = Object.fromEntries(span.attributes.map((a: { key: string; value: Record<string, unknown> }) => [a.key, Object.values(a.value)[0]]));
    expect(attrs).toMatchObject({ "traefik.router.name": "echo", "traefik.service.name": "echo", "traefik.service.url": "binding://ECHO", "http.response.status_code": "200" });
    expect(attrs).toHaveProperty("switchyard.origin.duration_ms");
  });
});
