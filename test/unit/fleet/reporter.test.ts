// The isolate's reporter (worker/fleet/reporter.ts): when it reports (on change, else once per
// interval), what it sends, and that a failing store is not asked on every request.
import { describe, expect, it } from "vitest";
import type { FleetReport } from "../../../providers/store/fleet.ts";
import type { IsolateStatus } from "../../../worker/admin/isolate.ts";
import { coloOf, fleetReport, FleetReporter, type FleetState } from "../../../worker/fleet/reporter.ts";

function status(over: Partial<IsolateStatus> = {}): IsolateStatus {
  return {
    isolate: "iso-1", source: "kv+file", pollIntervalMs: 5_000,
    serving: { version: 3, sha256: "abc", provider: "kv" },
    version: 3, lastPollAt: 900, lastChangeAt: 800, lastError: null, polls: 2,
    ...over,
  };
}

function setup(intervalMs = 1_000) {
  let now = 1_000;
  let state: FleetState = { status: status(), servingSince: 850 };
  const sent: FleetReport[] = [];
  let fail = false;
  const store = { report: async (r: FleetReport) => { if (fail) throw new Error("store down"); sent.push(r); } };
  const reporter = new FleetReporter(() => state, intervalMs, { store: () => store, now: () => now });
  return {
    reporter, sent,
    advance: (ms: number) => (now += ms),
    set: (s: Partial<IsolateStatus>) => (state = { ...state, status: { ...state.status, ...s } }),
    failing: (f: boolean) => (fail = f),
  };
}

describe("FleetReporter", () => {
  it("sends the first report, then only on change or once per interval", async () => {
    const { reporter, sent, advance, set } = setup(1_000);
    await reporter.send("LHR");
    expect(sent).toEqual([{
      isolate: "iso-1", colo: "LHR", source: "kv+file", reportIntervalMs: 1_000,
      serving: { version: 3, sha256: "abc", since: 850 }, lastPollAt: 900, lastError: null,
    }]);
    // Polls move lastPollAt; that alone is no change.
    set({ lastPollAt: 950, polls: 3 });
    advance(999);
    expect(reporter.due()).toBe(false);
    await reporter.send("LHR");
    expect(sent).toHaveLength(1);
    advance(1);
    expect(reporter.due()).toBe(true);
    await reporter.send("LHR");
    expect(sent).toHaveLength(2);
    // A refusal is a change: reported at once.
    set({ lastError: { at: 2_000, message: "config version 4 rejected: x: bad", version: 4, paths: ["x"] } });
    await reporter.send("LHR");
    expect(sent[2]?.lastError).toEqual({ at: 2_000, message: "config version 4 rejected: x: bad", version: 4, paths: ["x"] });
    // The same refusal on the next poll (a new `at`) is not.
    set({ lastError: { at: 2_100, message: "config version 4 rejected: x: bad", version: 4, paths: ["x"] } });
    expect(reporter.due()).toBe(false);
    // A new version served is.
    set({ serving: { version: 5, sha256: "def", provider: "kv" }, lastError: null });
    expect(reporter.due()).toBe(true);
  });

  it("a failing store is asked again one interval later, not per request", async () => {
    const { reporter, sent, advance, failing, set } = setup(1_000);
    failing(true);
    await reporter.send("LHR");
    set({ serving: null });
    expect(reporter.due()).toBe(false);
    advance(999);
    expect(reporter.due()).toBe(false);
    advance(1);
    failing(false);
    await reporter.send("LHR");
    expect(sent.map((r) => r.serving)).toEqual([null]);
  });

  it("a report the store refuses counts as a failure (asked again an interval later)", async () => {
    const { reporter, advance } = setup(1_000);
    const calls: FleetReport[] = [];
    reporter.seams.store = () => ({ report: async (r: FleetReport) => (calls.push(r), { ok: false as const, error: "isolate must be a non-empty string" }) });
    await reporter.send("LHR");
    await reporter.send("LHR");
    advance(1_000);
    await reporter.send("LHR");
    expect(calls).toHaveLength(2);
  });

  it("one report at a time", async () => {
    const { reporter, set } = setup(1_000);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const calls: FleetReport[] = [];
    reporter.seams.store = () => ({ report: async (r: FleetReport) => { calls.push(r); await gate; } });
    const first = reporter.send("LHR");
    set({ serving: null });
    await reporter.send("LHR");
    release();
    await first;
    expect(calls).toHaveLength(1);
    expect(reporter.due()).toBe(true); // the change made meanwhile is still to send
  });

  it("interval 0 is off: nothing is due, fleetReport hands nothing to waitUntil, not even a poll", () => {
    const { reporter } = setup(0);
    expect(reporter.due()).toBe(false);
    const waited: Promise<unknown>[] = [];
    let polls = 0;
    const watcher = { maybePoll: () => (polls++, Promise.resolve()) };
    fleetReport({ fleet: reporter, watcher }, new Request("https://a.test/"), { waitUntil: (p) => void waited.push(p) });
    expect([waited.length, polls]).toEqual([0, 0]);
  });

  it("a location alone is no change (an isolate does not move): it goes with the next report", async () => {
    const { reporter, sent, advance } = setup(1_000);
    await reporter.send("LHR");
    expect(reporter.due()).toBe(false);
    advance(1_000);
    await reporter.send("SJC");
    expect(sent.map((r) => r.colo)).toEqual(["LHR", "SJC"]);
  });

  it("fleetReport reports after the poll the request starts, and does nothing when it starts none", async () => {
    const { reporter, sent, set } = setup(1_000);
    const waited: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void waited.push(p) };
    const poll = async () => set({ lastError: { at: 1, message: "refused", version: 9, paths: [] } });
    fleetReport({ fleet: reporter, watcher: { maybePoll: () => poll() } }, new Request("https://a.test/"), ctx);
    await Promise.all(waited);
    expect(sent.map((r) => [r.colo, r.lastError?.version])).toEqual([["local", 9]]);
    fleetReport({ fleet: reporter, watcher: { maybePoll: () => null } }, new Request("https://a.test/"), ctx);
    expect(waited).toHaveLength(1);
  });

  it("coloOf: request.cf.colo, else local", () => {
    expect(coloOf(new Request("https://a.test/"))).toBe("local");
    expect(coloOf({ cf: { colo: "SJC" } } as unknown as Request)).toBe("SJC");
  });
});

describe("per-version figures on the reports", () => {
  it("ride on the next report while there are any, every stats interval; are put back when the report fails", async () => {
    const { VersionStatsRecorder } = await import("../../../worker/fleet/version-stats.ts");
    let now = 1_000;
    const recorder = new VersionStatsRecorder();
    const sent: FleetReport[] = [];
    let failing = false;
    const state = (): FleetState => ({ status: status(), servingSince: 850 });
    const reporter = new FleetReporter(state, 30_000, {
      store: () => ({ report: async (r) => { if (failing) throw new Error("down"); sent.push(r); return { ok: true }; } }),
      now: () => now,
    }, { recorder, intervalMs: 500 });
    await reporter.send("LHR");
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toHaveProperty("versionStats");
    recorder.record(3, "api", 200, 4);
    recorder.record(3, "api", 502, 30);
    recorder.record(4, "", 404, 1);
    expect(reporter.due()).toBe(false);
    now += 500;
    expect(reporter.due()).toBe(true);
    await reporter.send("LHR");
    expect(sent[1]!.versionStats).toEqual({
      "3": { requests: 2, errors: 1, buckets: [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0], routers: { api: 1 } },
      "4": { requests: 1, errors: 0, buckets: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], routers: {} },
    });
    expect(recorder.pending).toBe(false);
    now += 500;
    expect(reporter.due()).toBe(false);
    recorder.record(3, "api", 500, 1);
    failing = true;
    await reporter.send("LHR");
    expect(recorder.take()).toEqual({ "3": { requests: 1, errors: 1, buckets: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], routers: { api: 1 } } });
  });
});
