// circuitBreaker: oxy's state machine and metrics on their own clock, then the middleware against
// real upstreams: opening on each kind of condition, the fallback, recovery, and the state kept
// across a config swap while the options are unchanged.
import { describe, expect, inject, it } from "vitest";
import { Breaker, type BreakerTiming } from "../../../../worker/middlewares/circuitbreaker/breaker.ts";
import { breakerFunctions } from "../../../../worker/middlewares/circuitbreaker/functions.ts";
import { LatencyHistogram, Metrics, RollingCounter } from "../../../../worker/middlewares/circuitbreaker/metrics.ts";
import { parseExpression } from "../../../../worker/middlewares/traffic/expression.ts";
import { lb, send, snapshotOf } from "../../helpers/serve.ts";

const whoami = inject("whoamiUrl");
const flap = inject("trafficFlapUrl");

function breakerFor(expression: string, timing: Partial<BreakerTiming> = {}): Breaker {
  const parsed = parseExpression(expression, breakerFunctions);
  if (!parsed.ok) throw new Error(parsed.message);
  return new Breaker(parsed.predicate, { checkPeriodMs: 100, fallbackMs: 10_000, recoveryMs: 10_000, ...timing }, () => {});
}

describe("circuit breaker metrics (oxy's rolling windows)", () => {
  it("counters cover the last 10 whole seconds", () => {
    const counter = new RollingCounter(10, 1000);
    counter.inc(1_000_500);
    counter.inc(1_005_000);
    expect(counter.count(1_009_999)).toBe(2);
    expect(counter.count(1_010_000)).toBe(1); // the second 1000 s has left the window
    expect(counter.count(1_015_000)).toBe(0);
    counter.inc(1_020_000);
    expect(counter.count(1_020_000)).toBe(1);
  });

  it("ratios: network errors are 502 and 504 answers; ResponseCodeRatio counts [from, to) ranges", () => {
    const m = new Metrics();
    for (const status of [502, 504, 500, 200, 200, 404]) m.record(50_000, status, 1);
    expect(m.networkErrorRatio(50_000)).toBeCloseTo(2 / 6);
    expect(m.responseCodeRatio(50_000, 500, 600, 0, 600)).toBeCloseTo(3 / 6);
    expect(m.responseCodeRatio(50_000, 400, 500, 200, 300)).toBeCloseTo(1 / 2);
    expect(m.responseCodeRatio(50_000, 500, 600, 300, 400)).toBe(0);
    expect(new Metrics().networkErrorRatio(0)).toBe(0);
  });

  it("latency quantiles within 1%, over the last minute", () => {
    const h = new LatencyHistogram();
    for (let ms = 1; ms <= 100; ms++) h.record(600_000, ms * 1000);
    expect(h.atQuantile(600_000, 50) / 1000).toBeCloseTo(50, -0.5);
    expect(Math.abs(h.atQuantile(600_000, 99) / 1000 - 99)).toBeLessThanOrEqual(1);
    expect(h.atQuantile(600_000 + 61_000, 50)).toBe(0);
    const m = new Metrics();
    m.record(0, 200, 250);
    expect(m.latencyAtQuantileMs(0, 50)).toBe(250);
  });
});

describe("circuit breaker state machine (oxy's cbreaker)", () => {
  it("trips when the expression holds after a response, and serves the fallback for fallbackDuration", () => {
    const b = breakerFor("NetworkErrorRatio() > 0.5", { fallbackMs: 1000 });
    expect(b.admit(1000)).toBe(true);
    b.record(1000, 502, 5);
    expect(b.state).toBe("tripped");
    expect(b.admit(1500)).toBe(false);
    expect(b.admit(1999)).toBe(false);
    // Tripping resets the metrics: the recovery starts from a clean slate.
    expect(b.metrics.networkErrorRatio(2000)).toBe(0);
  });

  it("checks the expression at most once per checkPeriod", () => {
    const b = breakerFor("NetworkErrorRatio() > 0.5", { checkPeriodMs: 100 });
    b.record(0, 200, 1); // checked now; next check after 100
    b.record(50, 502, 1);
    b.record(60, 502, 1);
    expect(b.state).toBe("standby");
    expect(b.admit(70)).toBe(true);
    b.record(101, 502, 1);
    expect(b.state).toBe("tripped");
  });

  it("recovers by letting a growing share through (target 0.5·elapsed/recoveryDuration), then stands by", () => {
    const b = breakerFor("NetworkErrorRatio() > 0.5", { fallbackMs: 1000, recoveryMs: 1000 });
    b.record(0, 502, 1);
    expect(b.admit(1000)).toBe(false); // first moment of recovery: target 0
    expect(b.state).toBe("recovering");
    let allowed = 0;
    let total = 1;
    for (let t = 1010; t <= 2000; t += 10) {
      if (b.admit(t)) {
        allowed++;
        b.record(t, 200, 1);
      }
      total++;
      // The share allowed so far never exceeds the target of that moment.
      expect(allowed / total).toBeLessThanOrEqual((0.5 * (t - 1000)) / 1000 + 1e-9);
    }
    expect(allowed / total).toBeGreaterThan(0.45);
    expect(b.state).toBe("recovering");
    expect(b.admit(2001)).toBe(true);
    expect(b.state).toBe("standby");
    for (let t = 2002; t < 2050; t++) expect(b.admit(t)).toBe(true);
  });

  it("trips again when the expression holds during recovery", () => {
    const b = breakerFor("NetworkErrorRatio() > 0.5", { fallbackMs: 1000, recoveryMs: 1000 });
    b.record(0, 502, 1);
    b.admit(1000);
    let t = 1000;
    while (!b.admit(t)) t += 10;
    b.record(t, 504, 1);
    expect(b.state).toBe("tripped");
    expect(b.admit(t + 999)).toBe(false);
  });
});

// oxy cbreaker/cbreaker_test.go (vulcand/oxy, the breaker Traefik's circuitBreaker is), on the
// breaker's own clock. oxy's `cb.metrics = statsNetErrors(0.6)` is 100 answers, 60 of them 504s,
// recorded at that moment. TestRedirect, TestRedirectWithPath and TestSideEffects test oxy options
// Traefik does not expose (redirect fallbacks, webhooks): not ported.
describe("oxy cbreaker/cbreaker_test.go", () => {
  const netErrors = (b: Breaker, t: number) => {
    for (let i = 0; i < 100; i++) b.metrics.record(t, i < 60 ? 504 : 200, 0); // metrics only: no check, as oxy's assignment
  };

  it("TestStandbyCycle: a healthy upstream is always let through", () => {
    const b = breakerFor("NetworkErrorRatio() > 0.5");
    expect(b.admit(1000)).toBe(true);
    b.record(1000, 200, 1);
    expect(b.state).toBe("standby");
  });

  it("TestFullCycle: standby, tripped for fallbackDuration, recovering with some let through, standby", () => {
    const b = breakerFor("NetworkErrorRatio() > 0.5");
    let t = 1_000_000;
    expect(b.admit(t)).toBe(true);
    b.record(t, 200, 1);
    netErrors(b, t);
    t += 101; // defaultCheckPeriod + 1 ms
    expect(b.admit(t)).toBe(true);
    b.record(t, 200, 1);
    expect(b.state).toBe("tripped");
    t += 9000; // still tripped
    expect(b.admit(t)).toBe(false);
    expect(b.state).toBe("tripped");
    t += 1001; // recovering by now
    expect(b.admit(t)).toBe(false);
    expect(b.state).toBe("recovering");
    t += 5000;
    let allowed = 0;
    for (let i = 0; i < 100; i++) {
      if (b.admit(t)) {
        allowed++;
        b.record(t, 200, 1);
      }
    }
    expect(allowed).not.toBe(0);
    t += 5001;
    expect(b.admit(t)).toBe(true);
    expect(b.state).toBe("standby");
  });

  it("TestTriggerDuringRecovery: the condition holding again during recovery trips the breaker again", () => {
    const b = breakerFor("NetworkErrorRatio() > 0.5", { checkPeriodMs: 0.001 });
    let t = 1_000_000;
    netErrors(b, t);
    expect(b.admit(t)).toBe(true);
    b.record(t, 200, 1);
    expect(b.state).toBe("tripped");
    t += 10_001;
    expect(b.admit(t)).toBe(false);
    expect(b.state).toBe("recovering");
    t += 5000;
    netErrors(b, t);
    let allowed = 0;
    for (let i = 0; i < 100; i++) {
      if (b.admit(t)) {
        allowed++;
        b.record(t + 0.01 * (i + 1), 200, 1);
      }
    }
    expect(allowed).not.toBe(0);
    expect(b.state).toBe("tripped");
  });
});

function cfg(router: string, name: string, circuitBreaker: Record<string, unknown>, server = whoami) {
  return {
    http: {
      routers: { [router]: { rule: "PathPrefix(`/`)", service: "s", middlewares: [name] } },
      services: { s: lb(server) },
      middlewares: { [name]: { circuitBreaker } },
    },
  };
}

async function status(snapshot: ReturnType<typeof snapshotOf>, url: string): Promise<[number, string]> {
  const res = await send(snapshot, url);
  return [res.status, await res.text()];
}

async function hits(key: string): Promise<number> {
  return ((await (await fetch(`${flap}/hits/${key}`)).json()) as { hits: number }).hits;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("circuitBreaker middleware", () => {
  it("opens on NetworkErrorRatio when the upstream cannot be reached, then answers 503 without asking it", async () => {
    const snap = snapshotOf(cfg("r", "cb-refused", { expression: "NetworkErrorRatio() > 0.5" }, "http://127.0.0.1:1"));
    expect((await status(snap, "https://x.test/"))[0]).toBe(502);
    expect(await status(snap, "https://x.test/")).toEqual([503, "Service Unavailable"]);
  });

  it("counts an upstream's own 502 as a network error, as Traefik does, and stops sending to it once open", async () => {
    const snap = snapshotOf(cfg("r", "cb-502", { expression: "NetworkErrorRatio() > 0.5" }, flap));
    expect((await status(snap, "https://x.test/flap/cb-502?fail=100&status=502"))[0]).toBe(502);
    expect((await status(snap, "https://x.test/flap/cb-502?fail=100&status=502"))[0]).toBe(503);
    expect((await status(snap, "https://x.test/flap/cb-502?fail=100&status=502"))[0]).toBe(503);
    expect(await hits("cb-502")).toBe(1);
  });

  it("opens on ResponseCodeRatio and answers with responseCode and its reason phrase", async () => {
    const snap = snapshotOf(cfg("r", "cb-ratio", { expression: "ResponseCodeRatio(500, 600, 0, 600) > 0.5", responseCode: 418 }));
    expect((await status(snap, "https://x.test/status/200"))[0]).toBe(200);
    expect((await status(snap, "https://x.test/status/500"))[0]).toBe(500);
    // The expression was checked after the first answer (0 of 1 then); the next
    // check is one checkPeriod (100 ms) later.
    await sleep(120);
    expect((await status(snap, "https://x.test/status/500"))[0]).toBe(500);
    expect(await status(snap, "https://x.test/status/200")).toEqual([418, "I'm a teapot"]);
  });

  it("opens on LatencyAtQuantileMS", async () => {
    const snap = snapshotOf(cfg("r", "cb-latency", { expression: "LatencyAtQuantileMS(50.0) > 100" }));
    expect((await status(snap, "https://x.test/slow?ms=150"))[0]).toBe(200);
    expect((await status(snap, "https://x.test/"))[0]).toBe(503);
  });

  it("stays closed while the expression does not hold", async () => {
    const snap = snapshotOf(cfg("r", "cb-closed", { expression: "NetworkErrorRatio() > 0.5" }));
    for (let i = 0; i < 5; i++) expect((await status(snap, "https://x.test/status/503"))[0]).toBe(503);
    expect((await status(snap, "https://x.test/"))[0]).toBe(200);
  });

  it("recovers: fallback for fallbackDuration, a ramp during recoveryDuration, then everything goes through", async () => {
    const snap = snapshotOf(cfg("r", "cb-recover", { expression: "ResponseCodeRatio(500, 600, 0, 600) > 0.5", fallbackDuration: "300ms", recoveryDuration: "1s" }, flap));
    const url = "https://x.test/flap/cb-recover?fail=1&status=500";
    expect((await status(snap, url))[0]).toBe(500);
    expect((await status(snap, url))[0]).toBe(503);
    await sleep(350);
    const recoveryStart = Date.now();
    // The first request of the recovery is refused (the target share starts at 0).
    expect((await status(snap, url))[0]).toBe(503);
    const during: number[] = [];
    while (Date.now() - recoveryStart < 800) {
      await sleep(50);
      during.push((await status(snap, url))[0]);
    }
    expect(during).toContain(503);
    expect(during).toContain(200);
    await sleep(Math.max(0, 1100 - (Date.now() - recoveryStart)));
    for (let i = 0; i < 5; i++) expect((await status(snap, url))[0]).toBe(200);
    expect(await hits("cb-recover")).toBe(1 + during.filter((s) => s === 200).length + 5);
  });

  it("keeps its state across a config swap while its options are unchanged; new options start closed", async () => {
    const options = { expression: "NetworkErrorRatio() > 0.5" };
    const first = snapshotOf(cfg("r", "cb-swap", options, "http://127.0.0.1:1"));
    expect((await status(first, "https://x.test/"))[0]).toBe(502);
    const swapped = snapshotOf(cfg("r", "cb-swap", options, "http://127.0.0.1:1"), first, 2);
    expect((await status(swapped, "https://x.test/"))[0]).toBe(503);
    const changed = snapshotOf(cfg("r", "cb-swap", { ...options, fallbackDuration: "5s" }, "http://127.0.0.1:1"), swapped, 3);
    expect((await status(changed, "https://x.test/"))[0]).toBe(502);
  });

  it("keeps one breaker per router using the middleware", async () => {
    const base = cfg("a", "cb-routers", { expression: "NetworkErrorRatio() > 0.5" }, "http://127.0.0.1:1");
    const config = { http: { ...base.http, routers: { a: { rule: "Host(`a.test`)", service: "s", middlewares: ["cb-routers"] }, b: { rule: "Host(`b.test`)", service: "s", middlewares: ["cb-routers"] } } } };
    const snap = snapshotOf(config);
    expect((await status(snap, "https://a.test/"))[0]).toBe(502);
    expect((await status(snap, "https://a.test/"))[0]).toBe(503);
    expect((await status(snap, "https://b.test/"))[0]).toBe(502);
  });
});
