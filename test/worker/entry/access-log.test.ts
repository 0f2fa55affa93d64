// Through the real entry (worker/index.ts) with the default settings: one access-log line per
// routed request on console.log, X-Request-Id returned, admin requests not logged (Traefik's
// accessLog.addInternals is false by default).
import { env, SELF } from "cloudflare:test";
import { beforeAll, expect, it, vi } from "vitest";
import type { WorkerEnv } from "../../../worker/index.ts";
import { createRuntime } from "../../../worker/runtime.ts";
import { putConfig, untilServing } from "../helpers/admin.ts";

beforeAll(async () => {
  const res = await putConfig({
    http: {
      routers: { echo: { rule: "Host(`log.test`)", service: "echo" }, probe: { rule: "Path(`/__probe`)", service: "echo" } },
      services: { echo: { loadBalancer: { servers: [{ url: "binding://ECHO" }] } } },
    },
  });
  expect(res.status).toBe(200);
  await (await untilServing(1)).arrayBuffer();
});

function accessLines(calls: unknown[][]): Record<string, unknown>[] {
  return calls.map((c) => String(c[0])).filter((s) => s.startsWith("{")).map((s) => JSON.parse(s) as Record<string, unknown>).filter((l) => "DownstreamStatus" in l);
}

it("writes one line per routed request, with the config version and the request id it returned", async () => {
  const spy = vi.spyOn(console, "log");
  const res = await SELF.fetch("http://log.test/hello", { headers: { "cf-connecting-ip": "192.0.2.9" } });
  const echo = (await res.json()) as { headers: Record<string, string> };
  const lines = accessLines(spy.mock.calls);
  spy.mockRestore();
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ RouterName: "echo@kv", ServiceName: "echo@kv", ServiceURL: "binding://ECHO", DownstreamStatus: 200, OriginStatus: 200, ConfigVersion: 1, RequestPath: "/hello", ClientHost: "192.0.2.9" });
  const id = res.headers.get("x-request-id");
  expect(id).toBeTruthy();
  expect(lines[0]!.RequestId).toBe(id);
  expect(echo.headers["x-request-id"]).toBe(id);
  expect(echo.headers.traceparent).toContain(String(lines[0]!.TraceId));
});

it("does not log admin requests", async () => {
  const spy = vi.spyOn(console, "log");
  await (await SELF.fetch("http://router.test/__switchyard/status", { headers: { authorization: "Bearer test-admin-token" } })).arrayBuffer();
  const lines = accessLines(spy.mock.calls);
  spy.mockRestore();
  expect(lines).toEqual([]);
});

it("reports bad settings once, at isolate start, at their JSON paths, and keeps Traefik's defaults", () => {
  const spy = vi.spyOn(console, "error").mockImplementation(() => {});
  const runtime = createRuntime({ ...(env as WorkerEnv), ACCESS_LOG_OPTIONS: '{"filters":{"statusCodes":["4xx"]},"filePath":"/tmp/a.log"}', TRACING_SAMPLE_RATE: "lots" });
  const errors = spy.mock.calls.map((c) => String(c[0]));
  spy.mockRestore();
  expect(errors).toEqual([
    expect.stringMatching(/^warning: ACCESS_LOG_OPTIONS\.filePath: ignored on Workers/),
    expect.stringMatching(/^error: ACCESS_LOG_OPTIONS\.filters\.statusCodes\[0\]: expected a status code or a range/),
    expect.stringMatching(/^error: TRACING_SAMPLE_RATE: expected a number from 0 to 1/),
  ]);
  expect(runtime.observer.settings.accessLog.filters).toBeNull();
  expect(runtime.observer.settings.tracing.sampleRate).toBe(1);
});
