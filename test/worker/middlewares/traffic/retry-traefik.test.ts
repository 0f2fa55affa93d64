// Traefik's pkg/middlewares/retry/retry_test.go, case by case. Traefik's `next` is a recorded fetch
// to backend.test: each attempt is one call, answering the status the case gives for it; a "TCP
// failure" (Go's next writing a status before the request was written) is a fetch that rejects, which
// the transport turns into its 502 for a connection that failed. Retries counted by Traefik's
// listener are the calls beyond the first.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { validateConfig } from "../../../../worker/config/index.ts";
import { lb, send, snapshotOf } from "../../helpers/serve.ts";

const realFetch = globalThis.fetch;
let calls: { method: string; body: string }[] = [];
let answer: (call: number, request: Request) => Promise<Response> | Response = () => new Response(null);

beforeEach(() => {
  calls = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).host !== "backend.test") return realFetch(request);
    calls.push({ method: request.method, body: await request.text() });
    return answer(calls.length - 1, request);
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

const retries = () => Math.max(0, calls.length - 1);
const tcpFailure = (): never => {
  throw new TypeError("connection refused");
};

describe("traefik pkg/middlewares/retry/retry_test.go", () => {
  // traefik pkg/middlewares/retry/retry_test.go TestRetry
  const basic: [string, Record<string, unknown>, number, number, number][] = [
    ["no retry on success", { attempts: 5 }, 0, 200, 0],
    ["no retry on success with backoff", { attempts: 5, initialInterval: "50us" }, 0, 200, 0],
    ["no retry when max request attempts is one", { attempts: 1 }, 0, 502, 1],
    ["no retry when max request attempts is one with backoff", { attempts: 1, initialInterval: "50us" }, 0, 502, 1],
    ["one retry when one server is faulty", { attempts: 2 }, 1, 200, 1],
    ["one retry when one server is faulty with backoff", { attempts: 2, initialInterval: "50us" }, 1, 200, 1],
    ["two retries when two servers are faulty", { attempts: 3 }, 2, 200, 2],
    ["two retries when two servers are faulty with backoff", { attempts: 3, initialInterval: "50us" }, 2, 200, 2],
    ["max attempts exhausted delivers the 5xx response", { attempts: 3 }, 2, 502, 3],
    ["max attempts exhausted delivers the 5xx response with backoff", { attempts: 3, initialInterval: "50us" }, 2, 502, 3],
  ];
  for (const [desc, options, wantRetries, wantStatus, faulty] of basic) {
    it(`TestRetry "${desc}"`, async () => {
      answer = (call) => (call < faulty ? tcpFailure() : new Response(null, { status: 200 }));
      const res = await send(snapshotOf(config(options)), "http://localhost:3000/ok");
      expect(res.status).toBe(wantStatus);
      expect(retries()).toBe(wantRetries);
    });
  }

  // traefik pkg/middlewares/retry/retry_test.go TestRetryEmptyServerList: an answer that is not a
  // network error (here the server's 503) is not retried without `status`.
  it("TestRetryEmptyServerList", async () => {
    answer = () => new Response(null, { status: 503 });
    const res = await send(snapshotOf(config({ attempts: 3 })), "http://localhost:3000/ok");
    expect(res.status).toBe(503);
    expect(retries()).toBe(0);
  });

  // traefik pkg/middlewares/retry/retry_test.go TestMultipleRetriesShouldNotLooseHeaders: only the
  // delivered attempt's headers reach the client.
  it("TestMultipleRetriesShouldNotLooseHeaders", async () => {
    answer = (call) => (call < 2 ? tcpFailure() : new Response(null, { status: 204, headers: { [`x-foo-test-${call}`]: "bar" } }));
    const res = await send(snapshotOf(config({ attempts: 3 })), "http://test/");
    expect(res.status).toBe(204);
    expect(res.headers.get("x-foo-test-2")).toBe("bar");
    expect([res.headers.get("x-foo-test-0"), res.headers.get("x-foo-test-1")]).toEqual([null, null]);
  });

  // traefik pkg/middlewares/retry/retry_test.go TestRetryShouldNotLooseHeadersOnWrite
  it("TestRetryShouldNotLooseHeadersOnWrite", async () => {
    answer = () => new Response("bar", { headers: { "x-foo-test": "bar" } });
    const res = await send(snapshotOf(config({ attempts: 3 })), "http://test/");
    expect(res.headers.get("x-foo-test")).toBe("bar");
    expect(await res.text()).toBe("bar");
  });

  // traefik pkg/middlewares/retry/retry_test.go TestRetryShouldNotRetryWhenProxyNotReached: a
  // middleware's own answer (basicAuth's 401) before the upstream is never a network error.
  it("TestRetryShouldNotRetryWhenProxyNotReached", async () => {
    const cfg = config({ attempts: 3 });
    const snap = snapshotOf({
      http: { ...cfg.http, routers: { r: { ...cfg.http.routers.r, middlewares: ["retry", "auth"] } }, middlewares: { ...cfg.http.middlewares, auth: { basicAuth: { users: ["u:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ="] } } } },
    });
    const res = await send(snap, "http://test/");
    expect(res.status).toBe(401);
    expect(calls.length).toBe(0);
  });

  // traefik pkg/middlewares/retry/retry_test.go TestRetryOnStatusWhenProxyNotReached: a retriable
  // status is retried whoever made it (the status check does not ask whether the upstream was
  // reached); its `next` answers 503 then 200, as the upstream does here.
  it("TestRetryOnStatusWhenProxyNotReached", async () => {
    answer = (call) => new Response(null, { status: call === 0 ? 503 : 200 });
    const res = await send(snapshotOf(config({ attempts: 3, status: ["503"], maxRequestBodyBytes: 1024 })), "http://test/");
    expect(res.status).toBe(200);
    expect(calls.length).toBe(2);
  });

  // traefik pkg/middlewares/retry/retry_test.go TestRetryWithFlush
  it("TestRetryWithFlush: a body written in two parts arrives whole", async () => {
    answer = () => {
      const enc = new TextEncoder();
      return new Response(new ReadableStream({ start: (c) => (c.enqueue(enc.encode("FULL ")), c.enqueue(enc.encode("DATA")), c.close()) }));
    };
    const res = await send(snapshotOf(config({ attempts: 1 })), "http://test/");
    expect(await res.text()).toBe("FULL DATA");
  });

  // traefik pkg/middlewares/retry/retry_test.go TestRetryWebsocket, Test1xxResponses and
  // TestRetryWebsocketDelayedFlush rest on Go's connection hijacking and 1xx trace callbacks, which
  // a Worker's fetch() does not expose. What holds here: a 101 answer is final, never retried
  // (retry.ts), and a failed upgrade is retried as any other network error.

  // traefik pkg/middlewares/retry/retry_test.go TestRetryHTTPStatusCodes
  interface StatusCase {
    desc: string;
    config: Record<string, unknown>;
    statuses: number[];
    method?: string;
    body?: string;
    delayMs?: number;
    tcpFailures?: number;
    wantRetries: number;
    wantStatus: number;
  }
  const statusCases: StatusCase[] = [
    { desc: "retry on single 503 status code", config: { attempts: 3, status: ["503"], maxRequestBodyBytes: 1024 }, statuses: [503, 200], body: "test request body", wantRetries: 1, wantStatus: 200 },
    { desc: "retry on range of 5xx status codes", config: { attempts: 4, status: ["500-599"], maxRequestBodyBytes: 1024 }, statuses: [500, 502, 503, 200], body: "test request body", wantRetries: 3, wantStatus: 200 },
    { desc: "retry on multiple specific status codes", config: { attempts: 3, status: ["502", "503", "504"], maxRequestBodyBytes: 1024 }, statuses: [502, 200], body: "test request body", wantRetries: 1, wantStatus: 200 },
    { desc: "no retry on non-matching status code", config: { attempts: 3, status: ["503"], maxRequestBodyBytes: 1024 }, statuses: [500], wantRetries: 0, wantStatus: 500 },
    { desc: "exhaust all attempts with matching status codes", config: { attempts: 3, status: ["503"] }, statuses: [503, 503, 503], wantRetries: 2, wantStatus: 503 },
    { desc: "retry with body lower than maxRequestBodyBytes", config: { attempts: 3, status: ["502"], maxRequestBodyBytes: 1024 }, statuses: [502, 200], body: "test request body", wantRetries: 1, wantStatus: 200 },
    { desc: "retry with body greater than maxRequestBodyBytes", config: { attempts: 3, status: ["502"], maxRequestBodyBytes: 8 }, statuses: [502, 200], body: "test request body", wantRetries: 0, wantStatus: 502 },
    { desc: "retry with timeout stops retries early", config: { attempts: 5, status: ["503"], timeout: "50ms" }, statuses: [503, 503, 503, 503, 503], delayMs: 50, wantRetries: 0, wantStatus: 503 },
    // Go's test answers 504 for its TCP failures; a Worker's failed connection is the transport's 502.
    { desc: "retry with timeout stops TCP retries early", config: { attempts: 5, status: ["503"], timeout: "50ms" }, statuses: [503, 503, 503, 503, 503], delayMs: 50, tcpFailures: 5, wantRetries: 0, wantStatus: 502 },
    { desc: "retry on TCP failure and 503 status code", config: { attempts: 3, status: ["503"], maxRequestBodyBytes: 1024 }, statuses: [502, 503, 200], tcpFailures: 1, body: "test request body", wantRetries: 2, wantStatus: 200 },
    { desc: "retry failure on 503 status code with method POST", config: { attempts: 3, status: ["503"], maxRequestBodyBytes: 1024 }, statuses: [503, 200], method: "POST", body: "test request body", wantRetries: 0, wantStatus: 503 },
    {
      desc: "retry success on 503 status code with method POST",
      config: { attempts: 3, status: ["503"], retryNonIdempotentMethod: true, maxRequestBodyBytes: 1024 },
      statuses: [503, 200],
      method: "POST",
      body: "test request body",
      wantRetries: 1,
      wantStatus: 200,
    },
    {
      desc: "no retry on TCP failure when disableRetryOnNetworkError is set",
      config: { attempts: 3, status: ["503"], disableRetryOnNetworkError: true, maxRequestBodyBytes: 1024 },
      statuses: [200, 200],
      tcpFailures: 1,
      wantRetries: 0,
      wantStatus: 502,
    },
  ];
  for (const c of statusCases) {
    it(`TestRetryHTTPStatusCodes "${c.desc}"`, async () => {
      answer = async (call) => {
        if (c.delayMs) await new Promise((r) => setTimeout(r, c.delayMs));
        if (call < (c.tcpFailures ?? 0)) tcpFailure();
        const status = c.statuses[call] ?? 403;
        return new Response(null, { status, headers: { [`x-attempt-${call}`]: "value", ...(status === 200 ? { "x-final": "success" } : {}) } });
      };
      // A body goes with POST here: a Worker's GET carries none (Go's test sends one with its GET).
      const method = c.method ?? (c.body ? "PUT" : "GET");
      const res = await send(snapshotOf(config(c.config)), "http://localhost:3000/ok", { method, ...(c.body ? { body: c.body } : {}) });
      expect(res.status).toBe(c.wantStatus);
      expect(retries()).toBe(c.wantRetries);
      // Every attempt that reached the server got the whole body.
      if (c.body) for (const call of calls) expect(call.body).toBe(c.body);
      if (c.wantStatus === 200) {
        expect(res.headers.get("x-final")).toBe("success");
        expect(res.headers.get(`x-attempt-${c.wantRetries}`)).toBe("value");
        for (let i = 0; i < c.wantRetries; i++) expect(res.headers.get(`x-attempt-${i}`)).toBeNull();
      }
    });
  }

  // traefik pkg/middlewares/retry/retry_test.go TestRetryHTTPStatusCodesLargeBodyError
  it("TestRetryHTTPStatusCodesLargeBodyError: a body over maxRequestBodyBytes is sent once, not retried", async () => {
    answer = () => new Response(null, { status: 503 });
    const res = await send(snapshotOf(config({ attempts: 3, status: ["503"], maxRequestBodyBytes: 100 })), "http://localhost:3000/ok", { method: "POST", body: "a".repeat(1000) });
    expect(res.status).toBe(503);
    expect(retries()).toBe(0);
    expect(calls[0]!.body.length).toBe(1000);
  });

  // traefik pkg/middlewares/retry/retry_test.go TestRetryDoesNotBufferBodyForNonIdempotentMethod:
  // a POST without retryNonIdempotentMethod has no retriable status, so its body is not kept for
  // status retries (a Worker keeps it, up to 1 MiB, only to replay it after a failed connection).
  it("TestRetryDoesNotBufferBodyForNonIdempotentMethod", async () => {
    answer = () => new Response(null, { status: 200 });
    const res = await send(snapshotOf(config({ attempts: 3, status: ["503"], maxRequestBodyBytes: 1024 })), "http://localhost:3000/ok", { method: "POST", body: "x".repeat(5000) });
    expect(res.status).toBe(200);
    expect(retries()).toBe(0);
    expect(calls[0]!.body.length).toBe(5000); // over maxRequestBodyBytes, yet sent: the limit is not applied to it
  });
});

// traefik pkg/middlewares/retry/retry_test.go TestRetryHTTPStatusCodesConfigValidation
describe("traefik pkg/middlewares/retry/retry_test.go TestRetryHTTPStatusCodesConfigValidation", () => {
  const paths = (options: Record<string, unknown>) => {
    const valid = validateConfig(config(options));
    return valid.ok ? [] : valid.errors.map((e) => e.path);
  };
  it.each([
    ["valid single status code", { attempts: 2, status: ["503"] }, []],
    ["valid status code range", { attempts: 2, status: ["500-599"] }, []],
    ["invalid status code", { attempts: 2, status: ["abc"] }, ["http.middlewares.retry.retry.status[0]"]],
    ["empty status and disableRetryOnNetworkError true should fail", { attempts: 2, status: [], disableRetryOnNetworkError: true }, ["http.middlewares.retry.retry.disableRetryOnNetworkError"]],
    ["zero attempts should fail", { attempts: 0, status: ["503"] }, ["http.middlewares.retry.retry.attempts"]],
  ])("%s", (_desc, options, expected) => {
    expect(paths(options)).toEqual(expected);
  });
});
