// inFlightReq: at most `amount` requests at once per source (oxy's connlimit), counted until the
// response body has been sent, per isolate, and kept across a config swap.
import { describe, expect, inject, it } from "vitest";
import { keep, type Kept } from "../../../../worker/middlewares/traffic/state.ts";
import { lb, send, snapshotOf } from "../../helpers/serve.ts";

const whoami = inject("whoamiUrl");

function cfg(name: string, inFlightReq: Record<string, unknown>) {
  return {
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: [name] } },
      services: { s: lb(whoami) },
      middlewares: { [name]: { inFlightReq } },
    },
  };
}

describe("inFlightReq", () => {
  it("refuses the request over amount with 429 and oxy's message, and counts again once one finishes", async () => {
    const snap = snapshotOf(cfg("one-at-a-time", { amount: 1 }));
    const slow = send(snap, "https://x.test/slow?ms=300");
    await new Promise((r) => setTimeout(r, 50));
    const refused = await send(snap, "https://x.test/");
    expect(refused.status).toBe(429);
    expect(await refused.text()).toBe("max connections reached: 1");
    const first = await slow;
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const after = await send(snap, "https://x.test/");
    expect(after.status).toBe(200);
    await after.arrayBuffer();
  });

  it("allows `amount` at once", async () => {
    const snap = snapshotOf(cfg("two-at-a-time", { amount: 2 }));
    const both = [send(snap, "https://x.test/slow?ms=300"), send(snap, "https://x.test/slow?ms=300")];
    await new Promise((r) => setTimeout(r, 50));
    const third = await send(snap, "https://x.test/");
    expect(third.status).toBe(429);
    for (const res of await Promise.all(both)) {
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
  });

  it("a request counts until its response body has been read to the end", async () => {
    const snap = snapshotOf(cfg("streaming", { amount: 1 }));
    const streaming = await send(snap, "https://x.test/stream?n=3&ms=50");
    expect(streaming.status).toBe(200);
    // Headers are back but the body is still coming: the request is still in flight.
    expect((await send(snap, "https://x.test/")).status).toBe(429);
    await streaming.text();
    const after = await send(snap, "https://x.test/");
    expect(after.status).toBe(200);
    await after.arrayBuffer();
  });

  it("a response body the client abandons stops counting", async () => {
    const snap = snapshotOf(cfg("abandoned", { amount: 1 }));
    const streaming = await send(snap, "https://x.test/stream?n=5&ms=50");
    await streaming.body?.cancel();
    const after = await send(snap, "https://x.test/");
    expect(after.status).toBe(200);
    await after.arrayBuffer();
  });

  it("groups by request host by default (Traefik's default for inFlightReq)", async () => {
    const snap = snapshotOf(cfg("by-host-default", { amount: 1 }));
    const slow = send(snap, "https://a.test/slow?ms=300");
    await new Promise((r) => setTimeout(r, 50));
    expect((await send(snap, "https://a.test/")).status).toBe(429);
    const other = await send(snap, "https://b.test/");
    expect(other.status).toBe(200);
    await other.arrayBuffer();
    await (await slow).arrayBuffer();
  });

  it("sourceCriterion.requestHeaderName and ipStrategy group by header value or client IP", async () => {
    const byHeader = snapshotOf(cfg("by-header", { amount: 1, sourceCriterion: { requestHeaderName: "X-Tenant" } }));
    const slow = send(byHeader, "https://x.test/slow?ms=300", { headers: { "x-tenant": "t1" } });
    await new Promise((r) => setTimeout(r, 50));
    expect((await send(byHeader, "https://x.test/", { headers: { "x-tenant": "t1" } })).status).toBe(429);
    const t2 = await send(byHeader, "https://x.test/", { headers: { "x-tenant": "t2" } });
    expect(t2.status).toBe(200);
    await t2.arrayBuffer();
    await (await slow).arrayBuffer();

    const byIP = snapshotOf(cfg("by-ip", { amount: 1, sourceCriterion: { ipStrategy: {} } }));
    const slowIP = send(byIP, "https://x.test/slow?ms=300", { clientIP: "192.0.2.1" });
    await new Promise((r) => setTimeout(r, 50));
    expect((await send(byIP, "https://x.test/", { clientIP: "192.0.2.1" })).status).toBe(429);
    const otherIP = await send(byIP, "https://x.test/", { clientIP: "192.0.2.2" });
    expect(otherIP.status).toBe(200);
    await otherIP.arrayBuffer();
    await (await slowIP).arrayBuffer();
  });

  it("requests in flight under the old config still count after a swap to an unchanged one", async () => {
    const config = cfg("swap", { amount: 1 });
    const before = snapshotOf(config);
    const slow = send(before, "https://x.test/slow?ms=300");
    await new Promise((r) => setTimeout(r, 50));
    const after = snapshotOf(config, before, 2);
    expect((await send(after, "https://x.test/")).status).toBe(429);
    await (await slow).arrayBuffer();
    const ok = await send(after, "https://x.test/");
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
  });

  it("an upstream that cannot be reached releases its slot", async () => {
    const down = {
      http: {
        routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["down"] } },
        services: { s: lb("http://127.0.0.1:1") },
        middlewares: { down: { inFlightReq: { amount: 1 } } },
      },
    };
    const snap = snapshotOf(down);
    for (let i = 0; i < 3; i++) {
      const res = await send(snap, "https://x.test/");
      expect(res.status).toBe(502);
      await res.arrayBuffer();
    }
  });
});

describe("state kept across config swaps (traffic/state.ts)", () => {
  class Flag implements Kept {
    busy = true;
    reclaim: () => void;
    constructor(reclaim: () => void) {
      this.reclaim = reclaim;
    }
    disposable(): boolean {
      return !this.busy;
    }
  }
  const key = (options: unknown) => ({ kind: "test", router: "r", name: "kept", options });

  it("the same key finds the same state; other options get their own", () => {
    const a = keep(key({ x: 1, y: [1] }), (r) => new Flag(r));
    expect(keep(key({ y: [1], x: 1 }), (r) => new Flag(r))).toBe(a);
    expect(keep(key({ x: 2, y: [1] }), (r) => new Flag(r))).not.toBe(a);
  });

  it("disposable state is dropped at the next compile, and put back if its old user needs it again", () => {
    const a = keep(key({ z: 1 }), (r) => new Flag(r));
    a.busy = false;
    const b = keep(key({ z: 1 }), (r) => new Flag(r));
    expect(b).not.toBe(a);
    // The snapshot holding `a` is still live (say the compile that made `b` failed): `a` comes back.
    a.busy = true;
    a.reclaim();
    expect(keep(key({ z: 1 }), (r) => new Flag(r))).toBe(a);
  });
});
