// The listener across config swaps (Traefik's RoundTripperManager.Update): services whose config is
// unchanged keep their objects and state (rotation, passive counters, health, sticky table),
// changed ones are rebuilt, composites are rebuilt when a child changes, removed ones are dropped.
import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../../worker/compile/snapshot.ts";
import { get, lbOf, routed, snapshotOf, upstreams, who } from "./helpers.ts";

const dead = "http://127.0.0.1:1";

function config(services: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return routed(services, "svc", extra);
}

async function next(s: Snapshot, path = "/"): Promise<string> {
  return who(await get(s, `https://swap.test${path}`));
}

describe("state across a config swap", () => {
  it("keeps the round-robin position of an unchanged pool; a changed pool starts over", async () => {
    const a = snapshotOf(config({ svc: lbOf(upstreams.s1, upstreams.s2, upstreams.s3) }));
    expect(await next(a)).toBe("s1");
    // Only an unrelated service changes.
    const b = snapshotOf(config({ svc: lbOf(upstreams.s1, upstreams.s2, upstreams.s3), other: lbOf(upstreams.s1) }), a, 2);
    expect(b.services.get("svc")).toBe(a.services.get("svc"));
    expect(await next(b)).toBe("s2");
    const c = snapshotOf(config({ svc: { loadBalancer: { servers: [{ url: upstreams.s1 }, { url: upstreams.s2 }, { url: upstreams.s3, weight: 2 }] } } }), b, 3);
    expect(c.services.get("svc")!.pool).not.toBe(b.services.get("svc")!.pool);
    expect(await next(c)).toBe("s3");
  });

  it("keeps passive health counters and ejections", async () => {
    const services = { svc: lbOf(dead, upstreams.s1) };
    const a = snapshotOf(config(services));
    for (let i = 0; i < 4; i++) await get(a, "https://swap.test/"); // dead fails twice
    const b = snapshotOf(config(services), a, 2);
    for (let i = 0; i < 2; i++) await get(b, "https://swap.test/"); // dead fails a third time: out
    const pool = b.services.get("svc")!.pool!;
    expect(pool.status(pool.servers[0]!)).toBe("DOWN");
    expect(await next(b)).toBe("s1");
    expect(await next(b)).toBe("s1");
  });

  it("keeps what the active check learned and the sticky table", async () => {
    const services = { svc: { loadBalancer: { servers: [{ url: upstreams.s1 }, { url: upstreams.s2 }], healthCheck: { path: "/__health" }, sticky: { cookie: { name: "k" } } } } };
    const a = snapshotOf(config(services));
    const first = await get(a, "https://swap.test/");
    const cookie = first.headers.getSetCookie()[0]!.split(";")[0]!;
    const b = snapshotOf(config(services), a, 2);
    const [poolA, poolB] = [a.services.get("svc")!.pool!, b.services.get("svc")!.pool!];
    expect(poolB).toBe(poolA);
    expect(poolB.active).toBe(poolA.active);
    const served = await who(first);
    for (let i = 0; i < 3; i++) expect(await who(await get(b, "https://swap.test/", { headers: { cookie } }))).toBe(served);
  });

  it("rebuilds a transport-bound pool when its serversTransport changes", () => {
    const services = { svc: { loadBalancer: { servers: [{ url: upstreams.s1 }], serversTransport: "t" } } };
    const a = snapshotOf(config(services, { serversTransports: { t: { forwardingTimeouts: { responseHeaderTimeout: "1s" } } } }));
    const same = snapshotOf(config(services, { serversTransports: { t: { forwardingTimeouts: { responseHeaderTimeout: "1s" } } } }), a, 2);
    const changed = snapshotOf(config(services, { serversTransports: { t: { forwardingTimeouts: { responseHeaderTimeout: "2s" } } } }), same, 3);
    expect(same.services.get("svc")).toBe(a.services.get("svc"));
    expect(changed.services.get("svc")).not.toBe(same.services.get("svc"));
  });

  it("rebuilds a composite service when a service beneath it changes, and keeps the unchanged ones", async () => {
    const tree = (bUrl: string) => ({
      svc: { weighted: { services: [{ name: "mid", weight: 1 }] } },
      mid: { weighted: { services: [{ name: "a", weight: 1 }, { name: "b", weight: 1 }] } },
      a: lbOf(upstreams.s1),
      b: lbOf(bUrl),
      unrelated: { failover: { service: "a", fallback: "b", errors: { status: ["500"] } } },
    });
    const before = snapshotOf(config(tree(upstreams.s2)));
    const after = snapshotOf(config(tree(upstreams.s3)), before, 2);
    expect(after.services.get("a")).toBe(before.services.get("a"));
    for (const name of ["b", "mid", "svc", "unrelated"]) expect(after.services.get(name)).not.toBe(before.services.get(name));
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) seen.add(await next(after));
    expect(seen).toEqual(new Set(["s1", "s3"]));
    const again = snapshotOf(config(tree(upstreams.s3)), after, 3);
    for (const name of ["a", "b", "mid", "svc", "unrelated"]) expect(again.services.get(name)).toBe(after.services.get(name));
  });

  it("drops removed services", () => {
    const a = snapshotOf(config({ svc: lbOf(upstreams.s1), gone: lbOf(upstreams.s2) }));
    const b = snapshotOf(config({ svc: lbOf(upstreams.s1) }), a, 2);
    expect([...b.services.keys()]).toEqual(["svc"]);
    const c = snapshotOf(config({ svc: lbOf(upstreams.s1), gone: lbOf(upstreams.s2) }), b, 3);
    expect(c.services.get("gone")).not.toBe(a.services.get("gone"));
  });
});
