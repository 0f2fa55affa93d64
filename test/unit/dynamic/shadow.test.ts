// The isolate's shadow evaluator on its own (fake KV and store, a clock and a die the test holds):
// it loads the candidate the pointer names, samples at the rate, matches only after afterResponse
// has returned, flushes at most every interval, bounds its samples, and drops a stopped candidate.
import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../../worker/compile/snapshot.ts";
import { routingTable } from "../../../worker/compile/routing-diff.ts";
import { canonicalJSON } from "../../../worker/go/json.ts";
import { DEFAULT_KEYS } from "../../../providers/store/keys.ts";
import type { ShadowReport } from "../../../providers/store/shadow.ts";
import { ShadowEvaluator } from "../../../worker/dynamic/shadow.ts";
import type { KvReader } from "../../../providers/kv.ts";

const routers = (r: Record<string, string>) => ({
  http: { routers: Object.fromEntries(Object.entries(r).map(([name, rule]) => [name, { rule, service: "s" }])), services: { s: { loadBalancer: { servers: [{ url: "http://127.0.0.1:1" }] } } } },
});
const LIVE = routers({ api: "PathPrefix(`/api`)", web: "PathPrefix(`/`)" });
const CANDIDATE = routers({ api: "PathPrefix(`/api`)", v2: "PathPrefix(`/api/v2`)" });
const live = { muxer: routingTable(LIVE) } as unknown as Snapshot;

function setup(sampleRate = 1, maxSamples?: number) {
  const kv = new Map<string, string>();
  const pointer = (id: string) => kv.set("config/shadow", JSON.stringify({ id, key: `config/shadow/${id}`, sha256: "0".repeat(64), sampleRate }));
  kv.set("config/shadow/one", canonicalJSON(CANDIDATE));
  pointer("one");
  const reader = { get: async (key: string, o: { type: string }) => (kv.has(key) ? (o.type === "json" ? JSON.parse(kv.get(key)!) : kv.get(key)) : null) } as unknown as KvReader;
  const reports: ShadowReport[] = [];
  const clock = { now: 1_000_000 };
  const die = { value: 0 };
  const shadow = new ShadowEvaluator(
    { pollIntervalMs: 1_000, flushIntervalMs: 5_000, defaultRuleSyntax: "v3", maxSamples },
    { kv: () => reader, store: () => ({ shadowReport: async (r) => void reports.push(r) }), keys: DEFAULT_KEYS, now: () => clock.now, random: () => die.value },
  );
  const hit = async (path: string) => {
    const url = new URL(`https://a.test${path}`);
    await shadow.afterResponse(new Request(url), live, null, url);
  };
  return { kv, pointer, shadow, reports, clock, die, hit };
}

describe("ShadowEvaluator", () => {
  it("loads the candidate, counts moves per (live, candidate) pair, flushes at once and then every interval", async () => {
    const { shadow, reports, clock, hit } = setup();
    await hit("/x"); // reads the pointer: the first request samples nothing
    expect(shadow.current?.id).toBe("one");
    expect(reports).toEqual([]);
    await hit("/api/v2/a"); // the first sample flushes at once
    expect(reports).toEqual([{ id: "one", sampled: 1, moves: [{ from: "api", to: "v2", count: 1 }] }]);
    for (const p of ["/api/v2/b", "/web", "/api/v1", "/web/x"]) await hit(p);
    expect(reports).toHaveLength(1);
    clock.now += 5_000;
    await hit("/api/v1/y");
    expect(reports[1]).toEqual({ id: "one", sampled: 5, moves: [{ from: "api", to: "v2", count: 1 }, { from: "web", to: null, count: 2 }] });
  });

  it("matches nothing until after afterResponse has returned", async () => {
    const { shadow, reports, hit } = setup();
    await hit("/x");
    const url = new URL("https://a.test/web");
    let matches = 0;
    const counted = { muxer: { match: (v: Parameters<Snapshot["muxer"]["match"]>[0]) => (matches++, live.muxer.match(v)) } } as unknown as Snapshot;
    const work = shadow.afterResponse(new Request(url), counted, null, url);
    expect(work).not.toBeNull();
    await Promise.resolve(); // microtasks run before the response is sent; the match waits for a macrotask
    expect(matches).toBe(0);
    await work;
    expect(matches).toBe(1);
    expect(reports).toEqual([{ id: "one", sampled: 1, moves: [{ from: "web", to: null, count: 1 }] }]);
  });

  it("samples at the pointer's rate: a throw above it takes no sample", async () => {
    const { shadow, die, hit, reports } = setup(0.25);
    await hit("/x");
    die.value = 0.3;
    expect(shadow.afterResponse(new Request("https://a.test/web"), live, null, new URL("https://a.test/web"))).toBeNull();
    die.value = 0.2;
    await hit("/web");
    expect(reports).toEqual([{ id: "one", sampled: 1, moves: [{ from: "web", to: null, count: 1 }] }]);
  });

  it("takes at most maxSamples per flush interval, and flushes at the interval's end even at the cap", async () => {
    const { hit, reports, clock } = setup(1, 3);
    await hit("/x");
    await hit("/web"); // flushed at once
    for (let i = 0; i < 10; i++) await hit("/web");
    clock.now += 5_000;
    await hit("/web"); // at the cap: no sample, but the flush is due
    expect(reports.map((r) => r.sampled)).toEqual([1, 3]);
  });

  it("a stopped candidate ({} in the pointer) is dropped with its counts; a new one is loaded", async () => {
    const { kv, pointer, shadow, hit, clock, reports } = setup();
    await hit("/x");
    await hit("/web");
    await hit("/web");
    kv.set("config/shadow", "{}");
    clock.now += 1_000;
    await hit("/web");
    expect(shadow.current).toBeNull();
    kv.set("config/shadow/two", canonicalJSON(LIVE));
    pointer("two");
    clock.now += 1_000;
    await hit("/web");
    expect(shadow.current?.id).toBe("two");
    clock.now += 5_000;
    await hit("/web");
    expect(reports.map((r) => r.id)).toEqual(["one", "two"]);
    expect(reports[1]).toEqual({ id: "two", sampled: 1, moves: [] });
  });
});
