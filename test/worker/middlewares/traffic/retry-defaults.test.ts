// Each v3.7 retry option left out behaves as Traefik's default (pkg/config/dynamic/middlewares.go
// Retry + SetDefaults, pkg/middlewares/retry/retry.go New; docs reference/routing-configuration/
// http/middlewares/retry.md table: attempts required, initialInterval 0, timeout 0, maxRequestBodyBytes
// 2MB, status [], disableRetryOnNetworkError false, retryNonIdempotentMethod false).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { validateConfig } from "../../../../worker/config/index.ts";
import { lb, send, snapshotOf } from "../../helpers/serve.ts";

const realFetch = globalThis.fetch;
let calls: { method: string; bytes: number }[] = [];
let answer: (call: number) => Promise<Response> | Response = () => new Response(null);

beforeEach(() => {
  calls = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).host !== "backend.test") return realFetch(request);
    calls.push({ method: request.method, bytes: (await request.arrayBuffer()).byteLength });
    return answer(calls.length - 1);
  });
});
afterEach(() => vi.restoreAllMocks());

function config(retry: Record<string, unknown>) {
  return {
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["retry"] } },
      services: { s: lb("http://backend.test") },
      middlewares: { retry: { retry } },
    },
  };
}

const tcpFailure = (): never => {
  throw new TypeError("connection refused");
};
const status = (s: number) => () => new Response(null, { status: s });
const MIB2 = 2 * 1024 * 1024;

describe("retry defaults (Traefik v3.7)", () => {
  it("attempts has no default: leaving it out is refused at its path (New: incorrect (or empty) value for attempt)", () => {
    const valid = validateConfig(config({ status: ["503"] }));
    expect(valid.ok).toBe(false);
    if (!valid.ok) expect(valid.errors.map((e) => e.path)).toEqual(["http.middlewares.retry.retry.attempts"]);
  });

  it("initialInterval unset: retries at once (ZeroBackOff)", async () => {
    answer = status(503);
    const started = Date.now();
    await send(snapshotOf(config({ attempts: 4, status: ["503"] })), "http://x.test/");
    expect(calls.length).toBe(4);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("timeout unset: no limit, every attempt is made however long they take", async () => {
    answer = async () => {
      await new Promise((r) => setTimeout(r, 40));
      return new Response(null, { status: 503 });
    };
    await send(snapshotOf(config({ attempts: 4, status: ["503"] })), "http://x.test/");
    expect(calls.length).toBe(4);
  });

  it("maxRequestBodyBytes unset: 2 MiB (RetryDefaultMaxRequestBodyBytes) — a 2 MiB body is replayed, one byte more is sent once", async () => {
    answer = status(503);
    const cfg = config({ attempts: 2, status: ["503"] });
    await send(snapshotOf(cfg), "http://x.test/", { method: "PUT", body: new Uint8Array(MIB2) });
    expect(calls.map((c) => c.bytes)).toEqual([MIB2, MIB2]);
    calls = [];
    await send(snapshotOf(cfg), "http://x.test/", { method: "PUT", body: new Uint8Array(MIB2 + 1) });
    expect(calls.map((c) => c.bytes)).toEqual([MIB2 + 1]);
  });

  it("maxRequestBodyBytes: any negative value means no limit, as Traefik's NewReusableRequest (maxBodySize < 0)", async () => {
    const valid = validateConfig(config({ attempts: 2, status: ["503"], maxRequestBodyBytes: -5 }));
    expect(valid.ok).toBe(true);
    answer = status(503);
    await send(snapshotOf(config({ attempts: 2, status: ["503"], maxRequestBodyBytes: -5 })), "http://x.test/", { method: "PUT", body: new Uint8Array(MIB2 + 1) });
    expect(calls.map((c) => c.bytes)).toEqual([MIB2 + 1, MIB2 + 1]);
  });

  it("status unset: no status is retried, only failed connections", async () => {
    answer = status(503);
    const res = await send(snapshotOf(config({ attempts: 3 })), "http://x.test/");
    expect(res.status).toBe(503);
    expect(calls.length).toBe(1);
  });

  it("disableRetryOnNetworkError unset (false): a failed connection is retried", async () => {
    answer = (call) => (call === 0 ? tcpFailure() : new Response("ok"));
    const res = await send(snapshotOf(config({ attempts: 2 })), "http://x.test/");
    expect(res.status).toBe(200);
    expect(calls.length).toBe(2);
  });

  it("retryNonIdempotentMethod unset (false): POST, PATCH and LOCK are not retried on a status, but are after a failed connection", async () => {
    answer = status(503);
    for (const method of ["POST", "PATCH", "LOCK"]) {
      calls = [];
      await send(snapshotOf(config({ attempts: 3, status: ["503"] })), "http://x.test/", { method, body: "b" });
      expect(calls.length, method).toBe(1);
    }
    calls = [];
    answer = (call) => (call === 0 ? tcpFailure() : new Response("ok"));
    const res = await send(snapshotOf(config({ attempts: 2, status: ["503"] })), "http://x.test/", { method: "POST", body: "b" });
    expect(res.status).toBe(200);
    expect(calls.map((c) => c.bytes)).toEqual([1, 1]);
  });
});
