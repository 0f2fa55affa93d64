// Services of services: weighted (nested, cycles refused), highestRandomWeight, mirroring (percent,
// isolation, body limits) and failover (on health, on statuses).
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../../worker/config/index.ts";
import { compileSnapshot } from "../../../worker/compile/snapshot.ts";
import { count, get, hits, lbOf, routed, sendTo, snapshotOf, uniquePath, upstreams, who, type Echo } from "./helpers.ts";

function compileErrors(config: unknown) {
  const valid = validateConfig(config);
  if (!valid.ok) return valid.errors;
  const compiled = compileSnapshot(valid.config, { version: 1, sha256: "", source: "test", provider: "file", warnings: [] }, null);
  return compiled.ok ? [] : compiled.errors;
}

async function tally(snapshot: ReturnType<typeof snapshotOf>, n: number, init: { clientIP?: string } = {}) {
  const seen: string[] = [];
  for (let i = 0; i < n; i++) seen.push(await who(await get(snapshot, "https://c.test/", init)));
  return count(seen);
}

describe("weighted", () => {
  it("splits requests between services by weight", async () => {
    const s = snapshotOf(routed({ svc: { weighted: { services: [{ name: "a", weight: 3 }, { name: "b", weight: 1 }] } }, a: lbOf(upstreams.s1), b: lbOf(upstreams.s2) }));
    expect(await tally(s, 400)).toEqual(new Map([["s1", 300], ["s2", 100]]));
  });

  it("nests to any depth", async () => {
    const s = snapshotOf(
      routed({
        svc: { weighted: { services: [{ name: "inner", weight: 2 }, { name: "c", weight: 1 }] } },
        inner: { weighted: { services: [{ name: "deeper", weight: 1 }, { name: "b", weight: 1 }] } },
        deeper: { weighted: { services: [{ name: "a", weight: 1 }] } },
        a: lbOf(upstreams.s1),
        b: lbOf(upstreams.s2),
        c: lbOf(upstreams.s3),
      }),
    );
    expect(await tally(s, 300)).toEqual(new Map([["s1", 100], ["s2", 100], ["s3", 100]]));
  });

  it("refuses a cycle at validation, with its path", () => {
    const result = validateConfig(
      routed({ svc: { weighted: { services: [{ name: "x" }] } }, x: { failover: { service: "y", fallback: "svc" } }, y: { mirroring: { service: "svc" } } }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.some((e) => e.path.startsWith("http.services.") && /service cycle: .*svc.*x.*y|service cycle/.test(e.message))).toBe(true);
  });

  it("with healthCheck {}, refuses a child that does not report its health", () => {
    const errors = compileErrors(routed({ svc: { weighted: { healthCheck: {}, services: [{ name: "a" }] } }, a: lbOf(upstreams.s1) }));
    expect(errors[0]).toEqual(expect.objectContaining({ path: "http.services.svc.weighted.services[0].name", message: expect.stringMatching(/does not report its health/) }));
  });

  it("with healthCheck {}, skips a child that is down and answers 503 when all are", async () => {
    const down = { loadBalancer: { servers: [{ url: "http://127.0.0.1:1" }], passiveHealthCheck: { maxFailedAttempts: 1 } } };
    const s = snapshotOf(routed({ svc: { weighted: { healthCheck: {}, services: [{ name: "dead" }, { name: "live" }] } }, dead: down, live: { loadBalancer: { servers: [{ url: upstreams.s1 }], healthCheck: { path: "/__health" } } } }));
    expect((await get(s, "https://c.test/")).status).toBe(502); // the dead child's first failure
    expect(await tally(s, 4)).toEqual(new Map([["s1", 4]]));
    const allDown = snapshotOf(routed({ svc: { weighted: { healthCheck: {}, services: [{ name: "dead" }] } }, dead: down }));
    await get(allDown, "https://c.test/");
    const res = await get(allDown, "https://c.test/");
    expect(res.status).toBe(503);
    expect(await res.text()).toBe("no available server");
  });
});

describe("highestRandomWeight", () => {
  it("keeps each client IP on one service and uses every service", async () => {
    const s = snapshotOf(routed({ svc: { highestRandomWeight: { services: [{ name: "a" }, { name: "b" }] } }, a: lbOf(upstreams.s1), b: lbOf(upstreams.s2) }));
    const homes: string[] = [];
    for (let i = 1; i <= 30; i++) {
      const per = await tally(s, 3, { clientIP: `203.0.113.${i}` });
      expect(per.size).toBe(1);
      homes.push([...per.keys()][0]!);
    }
    expect(new Set(homes)).toEqual(new Set(["s1", "s2"]));
  });
});

describe("mirroring", () => {
  const mirrored = (mirror: Record<string, unknown>, mirrorService: unknown = lbOf(upstreams.mirror)) =>
    snapshotOf(routed({ svc: { mirroring: { service: "main", mirrors: [{ name: "copy", percent: 100 }], ...mirror } }, main: lbOf(upstreams.main), copy: mirrorService }));

  it("copies exactly `percent` of the requests; the client always gets the main service's answer", async () => {
    const s = mirrored({ mirrors: [{ name: "copy", percent: 30 }] });
    const path = uniquePath("pct");
    for (let i = 0; i < 20; i++) {
      const sent = await sendTo(s, `https://c.test${path}`);
      expect(await who(sent.response)).toBe("main");
      await sent.settled();
    }
    expect((await hits(upstreams.main, path)).count).toBe(20);
    expect((await hits(upstreams.mirror, path)).count).toBe(6);
  });

  it("never lets a failing or slow mirror touch the client's response", async () => {
    const s = snapshotOf(
      routed({
        svc: { mirroring: { service: "main", mirrors: [{ name: "dead", percent: 100 }, { name: "slow", percent: 100 }] } },
        main: lbOf(upstreams.main),
        dead: lbOf("http://127.0.0.1:1"),
        slow: lbOf(upstreams.slow),
      }),
    );
    const path = uniquePath("iso");
    const sent = await sendTo(s, `https://c.test${path}`);
    // The client has its answer while the slow mirror (150 ms) is still at work.
    const mirrors = sent.settled().then(() => "mirrors done");
    expect(await Promise.race([mirrors, Promise.resolve("answered first")])).toBe("answered first");
    expect(sent.response.status).toBe(200);
    expect(((await sent.response.json()) as Echo).name).toBe("main");
    expect(await mirrors).toBe("mirrors done");
    expect((await hits(upstreams.slow, path)).count).toBe(1);
  });

  it("mirrors the body, and skips a body larger than maxBodySize while the main service still gets all of it", async () => {
    const s = mirrored({ maxBodySize: 1000 });
    const small = uniquePath("small");
    const big = uniquePath("big");
    const streamed = uniquePath("streamed");
    // As a client sends them: with Content-Length (which the main service must still receive).
    const a = await sendTo(s, `https://c.test${small}`, { method: "POST", body: "x".repeat(600), headers: { "content-length": "600" } });
    const b = await sendTo(s, `https://c.test${big}`, { method: "POST", body: "x".repeat(5000), headers: { "content-length": "5000" } });
    const chunks = [new Uint8Array(700), new Uint8Array(700)];
    const body = new ReadableStream<Uint8Array>({ pull: (c) => (chunks.length ? c.enqueue(chunks.shift()!) : c.close()) });
    const c = await sendTo(s, `https://c.test${streamed}`, { method: "POST", body });
    expect(((await a.response.json()) as Echo).bodyBytes).toBe(600);
    expect(((await b.response.json()) as Echo).bodyBytes).toBe(5000);
    expect(((await c.response.json()) as Echo).bodyBytes).toBe(1400);
    await Promise.all([a.settled(), b.settled(), c.settled()]);
    expect((await hits(upstreams.mirror, small)).hits.map((h) => h.bodyBytes)).toEqual([600]);
    expect((await hits(upstreams.mirror, big)).count).toBe(0);
    expect((await hits(upstreams.mirror, streamed)).count).toBe(0);
    expect((await hits(upstreams.main, small)).hits[0]!.headers["content-length"]).toBe("600");
    expect((await hits(upstreams.main, big)).hits[0]!.headers["content-length"]).toBe("5000");
    expect((await hits(upstreams.mirror, small)).hits[0]!.headers["content-length"]).toBe("600");
  });

  it("sends the mirrors no body with mirrorBody: false", async () => {
    const s = mirrored({ mirrorBody: false });
    const path = uniquePath("nobody");
    const sent = await sendTo(s, `https://c.test${path}`, { method: "PUT", body: "hello" });
    expect(((await sent.response.json()) as Echo).bodyBytes).toBe(5);
    await sent.settled();
    expect((await hits(upstreams.mirror, path)).hits.map((h) => [h.method, h.bodyBytes])).toEqual([["PUT", 0]]);
  });
});

describe("failover", () => {
  it("refuses a main service that cannot report its health (unless errors.status is set)", () => {
    const errors = compileErrors(routed({ svc: { failover: { service: "a", fallback: "b" } }, a: lbOf(upstreams.s1), b: lbOf(upstreams.s2) }));
    expect(errors[0]).toEqual(expect.objectContaining({ path: "http.services.svc.failover.service", message: expect.stringMatching(/does not report its health/) }));
    expect(compileErrors(routed({ svc: { failover: { service: "a", fallback: "b", errors: { status: ["500-504"] } } }, a: lbOf(upstreams.s1), b: lbOf(upstreams.s2) }))).toEqual([]);
  });

  it("switches to the fallback when the main service goes down, and back when it recovers", async () => {
    const s = snapshotOf(
      routed({
        svc: { failover: { service: "main", fallback: "backup" } },
        main: { loadBalancer: { servers: [{ url: upstreams.s1 }], passiveHealthCheck: { maxFailedAttempts: 2, failureWindow: "1s" } } },
        backup: lbOf(upstreams.backup),
      }),
    );
    expect(await who(await get(s, "https://c.test/"))).toBe("s1");
    expect((await get(s, "https://c.test/status/500")).status).toBe(500);
    expect((await get(s, "https://c.test/status/500")).status).toBe(500); // the second failure: main is DOWN
    expect(await who(await get(s, "https://c.test/"))).toBe("backup");
    await new Promise((r) => setTimeout(r, 1_050));
    expect(await who(await get(s, "https://c.test/"))).toBe("s1");
  });

  it("with errors.status, replays the request (body included) on the fallback", async () => {
    const s = snapshotOf(routed({ svc: { failover: { service: "main", fallback: "backup", errors: { status: ["500-504"], maxRequestBodyBytes: 100 } } }, main: lbOf("http://127.0.0.1:1"), backup: lbOf(upstreams.backup) }));
    const res = await get(s, "https://c.test/replay", { method: "POST", body: "twelve bytes" });
    const echo = (await res.json()) as Echo;
    expect([res.status, echo.name, echo.method, echo.bodyBytes]).toEqual([200, "backup", "POST", 12]);
    const ok = snapshotOf(routed({ svc: { failover: { service: "main", fallback: "backup", errors: { status: ["500-504"] } } }, main: lbOf(upstreams.main), backup: lbOf(upstreams.backup) }));
    expect((await get(ok, "https://c.test/status/404")).status).toBe(404);
    expect(await who(await get(ok, "https://c.test/status/503"))).toBe("backup");
  });

  it("with errors.status, refuses a body over maxRequestBodyBytes with 413", async () => {
    const s = snapshotOf(routed({ svc: { failover: { service: "main", fallback: "backup", errors: { status: ["500"], maxRequestBodyBytes: 10 } } }, main: lbOf(upstreams.main), backup: lbOf(upstreams.backup) }));
    expect((await get(s, "https://c.test/", { method: "POST", body: "more than ten bytes" })).status).toBe(413);
  });

  it("with healthCheck {}, reports DOWN to its parent only when main and fallback both are", async () => {
    const dead = { loadBalancer: { servers: [{ url: "http://127.0.0.1:1" }], passiveHealthCheck: { maxFailedAttempts: 1, failureWindow: "10s" } } };
    const s = snapshotOf(
      routed({
        svc: { weighted: { healthCheck: {}, services: [{ name: "fo" }, { name: "other" }] } },
        fo: { failover: { healthCheck: {}, service: "m", fallback: "f" } },
        m: dead,
        f: { loadBalancer: { servers: [{ url: "http://127.0.0.1:2" }], passiveHealthCheck: { maxFailedAttempts: 1, failureWindow: "10s" } } },
        other: { loadBalancer: { servers: [{ url: upstreams.s2 }], healthCheck: { path: "/__health" } } },
      }),
    );
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await get(s, "https://c.test/")).status);
    // fo is tried until m and then f have failed once each; after that only "other" answers.
    expect(statuses.slice(-4)).toEqual([200, 200, 200, 200]);
    expect(statuses.filter((x) => x === 502).length).toBe(2);
  });
});
