// Seeing what it does, end to end: `wrangler dev` with a real upstream (whoami) and a local OTLP
// receiver. The access-log line arrives on wrangler's output, the trace context reaches the
// upstream, X-Request-Id comes back, and the request's span reaches the collector, batched off the
// request path. Every wait is bounded.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startWhoami, type Whoami } from "../../examples/whoami.ts";
import { startOtlpReceiver, type OtlpReceiver } from "./fixtures/otlp-receiver.ts";
import { startWranglerDev, type Running } from "./helpers/processes.ts";

const TOKEN = "e2e-observe-token";
let dev: Running;
let whoami: Whoami;
let otlp: OtlpReceiver;

beforeAll(async () => {
  whoami = await startWhoami({ port: 0, name: "observe-e2e" });
  otlp = await startOtlpReceiver();
  dev = await startWranglerDev({
    vars: {
      ADMIN_TOKEN: TOKEN,
      POLL_INTERVAL_MS: "200",
      ACCESS_LOG_OPTIONS: JSON.stringify({ fields: { headers: { defaultMode: "keep", names: { "User-Agent": "drop" } } } }),
      TRACING_OTLP_ENDPOINT: otlp.url,
      TRACING_OTLP_HEADERS: JSON.stringify({ "x-collector-token": "c-1" }),
      TRACING_OTLP_FLUSH_MS: "200",
      TRACING_SERVICE_NAME: "switchyard-e2e",
    },
    readyPath: "/__switchyard/status",
  });
  const put = await fetch(`${dev.url}/__switchyard/config`, {
    method: "PUT",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ http: { routers: { app: { rule: "PathPrefix(`/app`)", service: "app" } }, services: { app: { loadBalancer: { servers: [{ url: whoami.url }] } } } } }),
  });
  expect(put.status).toBe(200);
  await put.arrayBuffer();
  // Until the new config serves (the watcher polls every 200 ms), bounded.
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${dev.url}/app/probe`);
    await res.arrayBuffer();
    if (res.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the config never served");
});

afterAll(async () => {
  await dev?.stop();
  await whoami?.close();
  await otlp?.close();
});

/** The access-log lines wrangler dev printed so far. */
function accessLines(): Record<string, unknown>[] {
  return dev
    .output()
    .split("\n")
    .map((l) => l.slice(l.indexOf("{")))
    .filter((l) => l.startsWith('{"StartUTC"'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

async function lineFor(requestId: string, timeoutMs: number): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = accessLines().find((l) => l.RequestId === requestId);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no access-log line for ${requestId} within ${timeoutMs} ms:\n${dev.output().slice(-2000)}`);
}

it("logs the request, propagates its trace to the upstream, returns X-Request-Id, exports its span", async () => {
  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const res = await fetch(`${dev.url}/app/hello?x=1`, {
    headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, authorization: "Bearer top-secret", cookie: "s=1", "x-request-id": "e2e-req-1" },
  });
  expect(res.status).toBe(200);
  const echo = (await res.json()) as { headers: Record<string, string> };
  expect(res.headers.get("x-request-id")).toBe("e2e-req-1");
  expect(echo.headers["x-request-id"]).toBe("e2e-req-1");
  const sent = echo.headers.traceparent ?? "";
  expect(sent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  const spanId = sent.split("-")[2];

  const line = await lineFor("e2e-req-1", 10_000);
  expect(line).toMatchObject({
    RouterName: "app@kv",
    ServiceName: "app@kv",
    ServiceURL: whoami.url,
    OriginStatus: 200,
    DownstreamStatus: 200,
    RequestMethod: "GET",
    RequestPath: "/app/hello?x=1",
    TraceId: traceId,
    SpanId: spanId,
    request_Authorization: "REDACTED",
    request_Cookie: "REDACTED",
    "request_X-Request-Id": "e2e-req-1",
  });
  expect(line).not.toHaveProperty("request_User-Agent");
  expect(typeof line.Duration).toBe("number");
  expect(dev.output()).not.toContain("top-secret");

  const span = await otlp.waitFor((s) => s.spanId === spanId, 15_000);
  expect(span).toMatchObject({ traceId, parentSpanId: "00f067aa0ba902b7", name: "GET app", kind: 2, service: "switchyard-e2e" });
  expect(span.headers["x-collector-token"]).toBe("c-1");
  const attrs = Object.fromEntries(span.attributes.map((a) => [a.key, Object.values(a.value)[0]]));
  expect(attrs).toMatchObject({ "traefik.router.name": "app", "traefik.service.name": "app", "traefik.service.url": whoami.url, "http.response.status_code": "200" });
  expect(BigInt(span.endTimeUnixNano) >= BigInt(span.startTimeUnixNano)).toBe(true);
});
