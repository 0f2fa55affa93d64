// retry: again only when no server could be reached, each attempt through the load balancer (so
// another server may answer), spaced by Traefik's backoff, and never with a body already consumed.
import { describe, expect, inject, it } from "vitest";
import { backoff, REPLAY_LIMIT_BYTES } from "../../../../worker/middlewares/retry.ts";
import { send, snapshotOf, type Echo } from "../../helpers/serve.ts";

const whoami = inject("whoamiUrl");
const flap = inject("trafficFlapUrl");
const REFUSED = "http://127.0.0.1:1";

function cfg(name: string, retry: Record<string, unknown>, servers: string[]) {
  return {
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: [name] } },
      services: { s: { loadBalancer: { servers: servers.map((url) => ({ url })) } } },
      middlewares: { [name]: { retry } },
    },
  };
}

async function hits(key: string): Promise<{ hits: number; lastBodyBytes: number }> {
  return (await (await fetch(`${flap}/hits/${key}`)).json()) as { hits: number; lastBodyBytes: number };
}

/** A body stream of `size` bytes in 64 KiB chunks, with no Content-Length (sent chunked). */
function streamOf(size: number): ReadableStream<Uint8Array> {
  let left = size;
  return new ReadableStream({
    pull(controller) {
      if (left <= 0) return controller.close();
      const n = Math.min(left, 65536);
      left -= n;
      controller.enqueue(new Uint8Array(n).fill(97));
    },
  });
}

describe("retry backoff (Traefik's exponential backoff)", () => {
  it("no initialInterval: retries at once", () => {
    const next = backoff(0, 4);
    expect([next(), next(), next()]).toEqual([0, 0, 0]);
  });

  it("grows by 2^(1/(attempts-1)) per retry, so the last interval is twice the first; each wait within ±50%", () => {
    const middle = backoff(100, 3, () => 0.5);
    expect(middle()).toBeCloseTo(100);
    expect(middle()).toBeCloseTo(100 * Math.SQRT2);
    const low = backoff(100, 3, () => 0);
    expect(low()).toBeCloseTo(50);
    const high = backoff(100, 3, () => 1);
    expect(high()).toBeCloseTo(150);
    const five = backoff(80, 5, () => 0.5);
    const waits = [five(), five(), five(), five()];
    expect(waits[3]! / waits[0]!).toBeCloseTo(2 ** (3 / 4));
    expect(waits[0]).toBeCloseTo(80);
  });
});

describe("retry middleware", () => {
  it("retries a refused connection, each attempt through the load balancer: the next server answers", async () => {
    const snap = snapshotOf(cfg("rr", { attempts: 2 }, [REFUSED, whoami]));
    const res = await send(snap, "https://x.test/hello");
    expect(res.status).toBe(200);
    expect(((await res.json()) as Echo).path).toBe("/hello");
  });

  it("gives up after `attempts` tries in all, answering the last failure", async () => {
    const snap = snapshotOf(cfg("all-down", { attempts: 3 }, [REFUSED]));
    const res = await send(snap, "https://x.test/");
    expect(res.status).toBe(502);
    await res.arrayBuffer();
    // attempts: 1 is one try: no retry even though the next server would answer.
    const once = snapshotOf(cfg("once", { attempts: 1 }, [REFUSED, whoami]));
    expect((await send(once, "https://x.test/")).status).toBe(502);
  });

  it("does not retry an answer, whatever its status (only connection failures)", async () => {
    const snap = snapshotOf(cfg("answered", { attempts: 5 }, [flap]));
    const res = await send(snap, "https://x.test/flap/retry-answered?fail=3&status=503");
    expect(res.status).toBe(503);
    await res.arrayBuffer();
    expect((await hits("retry-answered")).hits).toBe(1);
    const bad = await send(snap, "https://x.test/flap/retry-502?fail=3&status=502");
    expect(bad.status).toBe(502);
    await bad.arrayBuffer();
    expect((await hits("retry-502")).hits).toBe(1);
  });

  it("waits between attempts with initialInterval", async () => {
    const snap = snapshotOf(cfg("spaced", { attempts: 3, initialInterval: "100ms" }, [REFUSED]));
    const start = Date.now();
    const res = await send(snap, "https://x.test/");
    expect(res.status).toBe(502);
    // Two waits of at least 50 ms and 70.7 ms (the lower ends of ±50%).
    expect(Date.now() - start).toBeGreaterThanOrEqual(120);
  });

  it("replays a body it could keep: every attempt carries all of it, with its length", async () => {
    const snap = snapshotOf(cfg("replay", { attempts: 3 }, [REFUSED, REFUSED, flap]));
    const res = await send(snap, "https://x.test/flap/retry-replay", { method: "POST", body: streamOf(200_000), duplex: "half" } as RequestInit);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { bodyBytes: number; contentLength: string | null };
    expect(answer.bodyBytes).toBe(200_000);
    expect(answer.contentLength).toBe("200000");
  });

  it("never replays a body too large to keep: it is sent once, as it comes, and not retried", async () => {
    const size = REPLAY_LIMIT_BYTES + 100_000;
    const snap = snapshotOf(cfg("too-large", { attempts: 3 }, [REFUSED, flap]));
    const res = await send(snap, "https://x.test/flap/retry-large", { method: "POST", body: streamOf(size), duplex: "half" } as RequestInit);
    expect(res.status).toBe(502);
    await res.arrayBuffer();
    expect((await hits("retry-large")).hits).toBe(0);
    // When it does reach a server, the whole body arrives, once.
    const reached = snapshotOf(cfg("too-large-ok", { attempts: 3 }, [flap]));
    const ok = await send(reached, "https://x.test/flap/retry-large-ok", { method: "POST", body: streamOf(size), duplex: "half" } as RequestInit);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { bodyBytes: number }).bodyBytes).toBe(size);
    expect((await hits("retry-large-ok")).hits).toBe(1);
  });

  it("a body declared larger than the limit is not even read before the one attempt", async () => {
    const size = REPLAY_LIMIT_BYTES + 1;
    const snap = snapshotOf(cfg("declared-large", { attempts: 3 }, [REFUSED, whoami]));
    const res = await send(snap, "https://x.test/", { method: "PUT", body: new Uint8Array(size) });
    expect(res.status).toBe(502);
    await res.arrayBuffer();
  });

  it("does not retry the 503 the load balancer makes when no server is available", async () => {
    const snap = snapshotOf({
      http: {
        routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["none"] } },
        services: { s: { loadBalancer: { servers: [] } } },
        middlewares: { none: { retry: { attempts: 3, initialInterval: "1s" } } },
      },
    });
    const start = Date.now();
    const res = await send(snap, "https://x.test/");
    expect(res.status).toBe(503);
    expect(Date.now() - start).toBeLessThan(500);
  });
});
