// loadBalancer strategies against real loopback servers: wrr by weight, p2c under uneven load,
// hrw per client IP, leasttime, weight 0, no server, passHostHeader on Workers.
import { describe, expect, it } from "vitest";
import { p2cPick } from "../../../worker/services/balancer/p2c.ts";
import { count, get, routed, snapshotOf, upstreams, who, type Echo } from "./helpers.ts";

function pool(strategy: string, servers: { url: string; weight?: number }[], extra: Record<string, unknown> = {}) {
  return snapshotOf(routed({ svc: { loadBalancer: { strategy, servers, ...extra } } }));
}

async function names(snapshot: ReturnType<typeof pool>, n: number, path = "/", init: { clientIP?: string } = {}): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await who(await get(snapshot, `https://lb.test${path}`, init)));
  return out;
}

describe("wrr (the default strategy)", () => {
  it("sends requests in proportion to the weights, smoothly interleaved", async () => {
    const s = pool("wrr", [
      { url: upstreams.s1, weight: 3 },
      { url: upstreams.s2, weight: 1 },
    ]);
    const seen = await names(s, 400);
    expect(count(seen)).toEqual(new Map([["s1", 300], ["s2", 100]]));
    // Smooth: never more than 3 s1 in a row, never two s2 in a row.
    const runs = seen.join(",").split("s2").map((run) => run.split(",").filter(Boolean).length);
    expect(Math.max(...runs)).toBeLessThanOrEqual(3);
    expect(seen.join(",")).not.toContain("s2,s2");
  });

  it("spreads three servers 5:3:2 within 1% over 1000 requests", async () => {
    const s = pool("wrr", [
      { url: upstreams.s1, weight: 5 },
      { url: upstreams.s2, weight: 3 },
      { url: upstreams.s3, weight: 2 },
    ]);
    const tally = count(await names(s, 1000));
    console.log(`wrr 5:3:2 over 1000: ${[...tally].map(([k, v]) => `${k} ${v}`).join(", ")}`);
    expect(Math.abs(tally.get("s1")! - 500)).toBeLessThanOrEqual(10);
    expect(Math.abs(tally.get("s2")! - 300)).toBeLessThanOrEqual(10);
    expect(Math.abs(tally.get("s3")! - 200)).toBeLessThanOrEqual(10);
  });

  it("never picks a server of weight 0", async () => {
    const s = pool("wrr", [
      { url: upstreams.s1, weight: 0 },
      { url: upstreams.s2, weight: 1 },
    ]);
    expect(new Set(await names(s, 10))).toEqual(new Set(["s2"]));
  });
});

describe("p2c (power of two choices, by requests in flight)", () => {
  it("picks the candidate with fewer requests in flight, the first on a tie", () => {
    const a = { name: "a", inflight: 3 };
    const b = { name: "b", inflight: 1 };
    const c = { name: "c", inflight: 1 };
    const fixed = (values: number[]) => () => values.shift()!;
    expect(p2cPick([a, b, c], fixed([0, 0]))).toBe(b); // a vs b → b
    expect(p2cPick([a, b, c], fixed([1, 1]))).toBe(b); // b vs c (tie) → b
    expect(p2cPick([a], fixed([]))).toBe(a);
    expect(p2cPick([], fixed([]))).toBeNull();
  });

  it("sends most of an overlapping load to the fast server when the other is slow", async () => {
    const s = pool("p2c", [{ url: upstreams.s1 }, { url: upstreams.slow }]);
    const started: Promise<string>[] = [];
    for (let i = 0; i < 40; i++) {
      started.push(get(s, "https://lb.test/p2c").then(who));
      await new Promise((r) => setTimeout(r, 10));
    }
    const tally = count(await Promise.all(started));
    // Round robin would give the slow server 20 of 40; p2c sees its requests pile up and avoids it.
    expect(tally.get("slow") ?? 0).toBeLessThanOrEqual(10);
    expect(tally.get("s1")).toBeGreaterThanOrEqual(30);
    console.log(`p2c: fast ${tally.get("s1")} / slow ${tally.get("slow") ?? 0} of 40 overlapping requests`);
  });

  it("counts a streamed response in flight until its body is done", async () => {
    const s = pool("p2c", [{ url: upstreams.s1 }]);
    const lb = s.services.get("svc")!.pool!;
    const res = await get(s, "https://lb.test/stream?n=3&ms=50");
    expect(lb.servers[0]!.inflight).toBe(1);
    await res.text();
    await new Promise((r) => setTimeout(r, 20));
    expect(lb.servers[0]!.inflight).toBe(0);
  });
});

describe("hrw (rendezvous hashing on the client IP)", () => {
  const servers = [{ url: upstreams.s1 }, { url: upstreams.s2 }, { url: upstreams.s3 }];

  it("keeps a client on one server and spreads clients over all of them", async () => {
    const s = pool("hrw", servers);
    const home = new Map<string, string>();
    for (let i = 1; i <= 60; i++) {
      const ip = `198.51.100.${i}`;
      const seen = new Set(await names(s, 3, "/", { clientIP: ip }));
      expect(seen.size).toBe(1);
      home.set(ip, [...seen][0]!);
    }
    const tally = count([...home.values()]);
    for (const name of ["s1", "s2", "s3"]) expect(tally.get(name) ?? 0).toBeGreaterThanOrEqual(8);
  });

  it("moves only the clients of a removed server", async () => {
    const all = pool("hrw", servers);
    const two = pool("hrw", servers.slice(0, 2));
    for (let i = 1; i <= 40; i++) {
      const ip = `192.0.2.${i}`;
      const before = (await names(all, 1, "/", { clientIP: ip }))[0]!;
      const after = (await names(two, 1, "/", { clientIP: ip }))[0]!;
      if (before !== "s3") expect(after).toBe(before);
    }
  });
});

describe("leasttime", () => {
  it("prefers the server answering faster once it has measured both", async () => {
    const s = pool("leasttime", [{ url: upstreams.s1 }, { url: upstreams.slow }]);
    const tally = count(await names(s, 20, "/leasttime"));
    // Each server is tried once while unmeasured (a tie, broken by round robin), then the fast one wins.
    expect(tally.get("slow")).toBe(1);
    expect(tally.get("s1")).toBe(19);
  });
});

describe("pool edges", () => {
  it("answers 503 'no available server' with no server", async () => {
    const s = pool("wrr", []);
    const res = await get(s, "https://lb.test/");
    expect(res.status).toBe(503);
    expect(await res.text()).toBe("no available server");
  });

  it("answers 502 when a server refuses the connection", async () => {
    const res = await get(pool("wrr", [{ url: "http://127.0.0.1:1" }]), "https://lb.test/");
    expect(res.status).toBe(502);
  });
});

describe("passHostHeader on Workers", () => {
  // workerd (and Cloudflare, outside the Worker's own zone) derives Host from the URL fetched: an
  // HTTP server always sees its own host, whatever passHostHeader says. The client's host travels
  // in X-Forwarded-Host either way.
  for (const passHostHeader of [true, false]) {
    it(`an HTTP server sees its own host with passHostHeader: ${passHostHeader}`, async () => {
      const s = pool("wrr", [{ url: upstreams.s1 }], { passHostHeader });
      const echo = (await (await get(s, "https://client.test/h", { headers: { host: "other.test" } })).json()) as Echo;
      expect(echo.headers.host).toBe(new URL(upstreams.s1).host);
      expect(echo.headers["x-forwarded-host"]).toBe("client.test");
    });
  }
});
