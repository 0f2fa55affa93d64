// buffering: whole request bodies (413 past maxRequestBodyBytes), whole responses (500 past
// maxResponseBodyBytes), and retryExpression replaying the buffered request (oxy's buffer).
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { BUFFER_CEILING_BYTES } from "../../../../worker/middlewares/buffering/limits.ts";
import { send, snapshotOf, type Echo } from "../../helpers/serve.ts";

const whoami = inject("whoamiUrl");
const flap = inject("trafficFlapUrl");
const REFUSED = "http://127.0.0.1:1";

function cfg(name: string, buffering: Record<string, unknown>, servers: string[] = [whoami]) {
  return {
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: [name] } },
      services: { s: { loadBalancer: { servers: servers.map((url) => ({ url })) } } },
      middlewares: { [name]: { buffering } },
    },
  };
}

function streamOf(size: number): ReadableStream<Uint8Array> {
  let left = size;
  return new ReadableStream({
    pull(controller) {
      if (left <= 0) return controller.close();
      const n = Math.min(left, 4096);
      left -= n;
      controller.enqueue(new Uint8Array(n).fill(98));
    },
  });
}

const chunked = (size: number) => ({ method: "POST", body: streamOf(size), duplex: "half" }) as RequestInit;

async function hits(key: string): Promise<number> {
  return ((await (await fetch(`${flap}/hits/${key}`)).json()) as { hits: number }).hits;
}

describe("buffering: request bodies", () => {
  it("413 Request Entity Too Large when the declared length is over maxRequestBodyBytes", async () => {
    const snap = snapshotOf(cfg("req-declared", { maxRequestBodyBytes: 10 }));
    const res = await send(snap, "https://x.test/", { method: "POST", body: "x".repeat(11) });
    expect(res.status).toBe(413);
    expect(await res.text()).toBe("Request Entity Too Large");
  });

  it("413 when a body sent without a length turns out longer than maxRequestBodyBytes", async () => {
    const snap = snapshotOf(cfg("req-chunked", { maxRequestBodyBytes: 10_000 }));
    const res = await send(snap, "https://x.test/", chunked(10_001));
    expect(res.status).toBe(413);
  });

  it("a body within the limit goes through whole, with its length now known (chunked becomes Content-Length)", async () => {
    const snap = snapshotOf(cfg("req-ok", { maxRequestBodyBytes: 10_000 }));
    const res = await send(snap, "https://x.test/", chunked(10_000));
    expect(res.status).toBe(200);
    const echo = (await res.json()) as Echo;
    expect(echo.bodyBytes).toBe(10_000);
    expect(echo.headers["content-length"]).toBe("10000");
    expect(echo.headers["transfer-encoding"]).toBeUndefined();
  });

  it("exactly maxRequestBodyBytes is allowed", async () => {
    const snap = snapshotOf(cfg("req-exact", { maxRequestBodyBytes: 10 }));
    const res = await send(snap, "https://x.test/", { method: "POST", body: "x".repeat(10) });
    expect(((await res.json()) as Echo).bodyBytes).toBe(10);
  });

  it("no maxRequestBodyBytes: Traefik's unlimited becomes the Workers ceiling", async () => {
    const snap = snapshotOf(cfg("req-ceiling", {}));
    const res = await send(snap, "https://x.test/", { method: "POST", body: new Uint8Array(BUFFER_CEILING_BYTES + 1) });
    expect(res.status).toBe(413);
    const small = await send(snap, "https://x.test/", chunked(50_000));
    expect(((await small.json()) as Echo).bodyBytes).toBe(50_000);
  });

  it("a request without a body passes untouched", async () => {
    const snap = snapshotOf(cfg("req-none", { maxRequestBodyBytes: 1 }));
    const res = await send(snap, "https://x.test/path?q=1");
    const echo = (await res.json()) as Echo;
    expect(echo.url).toBe("/path?q=1");
    expect(echo.bodyBytes).toBe(0);
  });
});

describe("buffering: responses", () => {
  it("500 Internal Server Error when the response body is over maxResponseBodyBytes", async () => {
    const snap = snapshotOf(cfg("resp-over", { maxResponseBodyBytes: 10 }));
    const res = await send(snap, "https://x.test/");
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("Internal Server Error");
  });

  it("500 too for a streamed response (no Content-Length) that grows over the limit", async () => {
    const snap = snapshotOf(cfg("resp-stream", { maxResponseBodyBytes: 20 }));
    const res = await send(snap, "https://x.test/stream?n=5&ms=10");
    expect(res.status).toBe(500);
  });

  it("a response within maxResponseBodyBytes is answered whole, with its headers", async () => {
    const snap = snapshotOf(cfg("resp-ok", { maxResponseBodyBytes: 100_000 }));
    const res = await send(snap, "https://x.test/hello");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-whoami")).toBe("test-whoami");
    expect(((await res.json()) as Echo).path).toBe("/hello");
  });

  it("answers without a body (HEAD) are not held to the limit", async () => {
    const snap = snapshotOf(cfg("resp-head", { maxResponseBodyBytes: 1 }));
    const res = await send(snap, "https://x.test/", { method: "HEAD" });
    expect(res.status).toBe(200);
  });
});

describe("buffering: retryExpression", () => {
  it("replays the buffered request while the expression holds: a refused connection, then the next server", async () => {
    const snap = snapshotOf(cfg("retry-network", { retryExpression: "IsNetworkError() && Attempts() <= 2" }, [REFUSED, whoami]));
    const res = await send(snap, "https://x.test/again", { method: "POST", body: "payload" });
    expect(res.status).toBe(200);
    const echo = (await res.json()) as Echo;
    expect(echo.path).toBe("/again");
    expect(echo.bodyBytes).toBe(7);
  });

  it("counts attempts as Traefik: Attempts() is 1 for the first answer", async () => {
    const snap = snapshotOf(cfg("retry-count", { retryExpression: "Attempts() <= 2 && ResponseCode() == 503" }, [flap]));
    const res = await send(snap, "https://x.test/flap/buf-count?fail=5&status=503", { method: "PUT", body: "abc" });
    // Answers 1 and 2 are retried; the third is returned.
    expect(res.status).toBe(503);
    await res.arrayBuffer();
    expect(await hits("buf-count")).toBe(3);
  });

  it("returns the first answer the expression does not retry", async () => {
    const snap = snapshotOf(cfg("retry-recovers", { retryExpression: "ResponseCode() == 503 && Attempts() < 5" }, [flap]));
    const res = await send(snap, "https://x.test/flap/buf-recovers?fail=2&status=503", { method: "POST", body: "x".repeat(5000) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { hit: number; bodyBytes: number })).toMatchObject({ hit: 3, bodyBytes: 5000 });
  });

  it("RequestMethod() limits retries to some methods", async () => {
    const snap = snapshotOf(cfg("retry-method", { retryExpression: `RequestMethod() == "GET" && ResponseCode() == 503 && Attempts() < 3` }, [flap]));
    const post = await send(snap, "https://x.test/flap/buf-post?fail=5&status=503", { method: "POST", body: "x" });
    expect(post.status).toBe(503);
    expect(await hits("buf-post")).toBe(1);
    const get = await send(snap, "https://x.test/flap/buf-get?fail=5&status=503");
    expect(get.status).toBe(503);
    expect(await hits("buf-get")).toBe(3);
  });

  it("stops after oxy's 10 retries even if the expression always holds", async () => {
    const snap = snapshotOf(cfg("retry-cap", { retryExpression: "ResponseCode() == 503" }, [flap]));
    const res = await send(snap, "https://x.test/flap/buf-cap?fail=100&status=503");
    expect(res.status).toBe(503);
    expect(await hits("buf-cap")).toBe(11);
  });

  it("an invalid retryExpression refuses the config", () => {
    expect(() => snapshotOf(cfg("retry-bad", { retryExpression: "Attempts() <= 2.5" }))).toThrow(/retryExpression.*invalid expression at position 14/);
  });
});

// traefik pkg/middlewares/buffering/buffering_test.go TestBuffering: Traefik's `next` answers 200
// with the request's body (127 random bytes); here that is a recorded fetch to backend.test.
describe("traefik pkg/middlewares/buffering/buffering_test.go TestBuffering", () => {
  afterEach(() => vi.restoreAllMocks());
  const payload = crypto.getRandomValues(new Uint8Array(127));
  const cases: [string, Record<string, unknown>, number][] = [
    ["Unlimited response and request body size", {}, 200],
    ["Limited request body size", { maxRequestBodyBytes: 1 }, 413],
    ["Limited response body size", { maxResponseBodyBytes: 1 }, 500],
  ];
  for (const [desc, options, expected] of cases) {
    it(`"${desc}"`, async () => {
      const realFetch = globalThis.fetch;
      let reached = 0;
      vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
        const request = new Request(input, init);
        if (new URL(request.url).host !== "backend.test") return realFetch(request);
        reached++;
        return new Response(await request.arrayBuffer(), { status: 200 });
      });
      const res = await send(snapshotOf(cfg("buf", options, ["http://backend.test"])), "http://localhost/", { method: "POST", body: payload });
      expect(res.status).toBe(expected);
      if (expected === 200) expect(new Uint8Array(await res.arrayBuffer())).toEqual(payload);
      else await res.arrayBuffer();
      expect(reached).toBe(expected === 413 ? 0 : 1);
    });
  }
});
