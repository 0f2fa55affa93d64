// The fleet summary (providers/store/fleet.ts): grouping by version and by refusal, the oldest
// version served, and which isolates count as heard from, silent, or forgotten.
import { describe, expect, it } from "vitest";
import { summarizeFleet, type FleetReport, type FleetRow } from "../../../providers/store/fleet.ts";
import { checkReport } from "../../../providers/store/fleet-report.ts";

const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);
const INTERVAL = 30_000;
const iso = (ms: number) => new Date(ms).toISOString();

function report(isolate: string, over: Partial<FleetReport> = {}): FleetReport {
  return {
    isolate,
    colo: "LHR",
    source: "kv+file",
    reportIntervalMs: INTERVAL,
    serving: { version: 5, sha256: "aa", since: T0 - 60_000 },
    lastPollAt: T0 - 1_000,
    lastError: null,
    ...over,
  };
}

const row = (r: FleetReport, ageMs = 0): FleetRow => ({ report: r, reportedAt: T0 - ageMs });
const context = (storeVersion: number | null = 6, superseded: Record<number, string> = {}) => ({
  now: T0,
  storeVersion,
  supersededAt: (v: number) => superseded[v] ?? null,
});

describe("summarizeFleet", () => {
  it("counts isolates per version, newest first, with their locations and the earliest since", () => {
    const rows = [
      row(report("a", { serving: { version: 6, sha256: "bb", since: T0 - 5_000 } })),
      row(report("b", { colo: "SJC", serving: { version: 6, sha256: "bb", since: T0 - 9_000 } })),
      row(report("c", { colo: "NRT" })),
      row(report("d", { serving: null })),
    ];
    const status = summarizeFleet(rows, context(6, { 5: iso(T0 - 30_000) }));
    expect(status).toEqual({
      at: iso(T0),
      storeVersion: 6,
      isolates: 4,
      notServing: 1,
      versions: [
        { version: 6, sha256: "bb", isolates: 2, colos: ["LHR", "SJC"], since: iso(T0 - 9_000) },
        { version: 5, sha256: "aa", isolates: 1, colos: ["NRT"], since: iso(T0 - 60_000) },
      ],
      oldest: { version: 5, sha256: "aa", isolates: 1, colos: ["NRT"], since: iso(T0 - 60_000), supersededAt: iso(T0 - 30_000) },
      refused: [],
      errors: [],
      notHeardFrom: { isolates: 0, list: [] },
    });
  });

  it("one version number under two hashes (a hand write to KV) is two groups", () => {
    const rows = [row(report("a", { serving: { version: 5, sha256: "bb", since: T0 } })), row(report("b"))];
    expect(summarizeFleet(rows, context()).versions.map((v) => [v.version, v.sha256, v.isolates])).toEqual([[5, "aa", 1], [5, "bb", 1]]);
  });

  it("groups refusals by version, then by reason, with the isolates that gave it", () => {
    const bad = { at: T0 - 2_000, message: "config version 7 rejected: http.routers.x.rule: invalid rule", version: 7, paths: ["http.routers.x.rule"] };
    const wipe = { at: T0 - 2_000, message: "config version 7 rejected: http.routers: no routers", version: 7, paths: ["http.routers"] };
    const rows = [
      row(report("z", { lastError: bad })),
      row(report("y", { colo: "SJC", lastError: bad })),
      row(report("x", { lastError: wipe })),
      row(report("w", { lastError: { ...bad, version: 8, message: "version 8: snapshot k is missing; keeping the current config", paths: [] } })),
      row(report("v", { lastError: { at: T0, message: "KV GET failed: 503", version: null, paths: [] } })),
      row(report("u", { colo: "AMS", lastError: { at: T0, message: "KV GET failed: 503", version: null, paths: [] } })),
    ];
    const status = summarizeFleet(rows, context());
    expect(status.refused).toEqual([
      { version: 8, isolates: 1, reasons: [{ message: "version 8: snapshot k is missing; keeping the current config", paths: [], isolates: 1, colos: ["LHR"], isolateIds: ["w"] }] },
      {
        version: 7,
        isolates: 3,
        reasons: [
          { message: bad.message, paths: ["http.routers.x.rule"], isolates: 2, colos: ["LHR", "SJC"], isolateIds: ["y", "z"] },
          { message: wipe.message, paths: ["http.routers"], isolates: 1, colos: ["LHR"], isolateIds: ["x"] },
        ],
      },
    ]);
    expect(status.errors).toEqual([{ message: "KV GET failed: 503", isolates: 2, colos: ["AMS", "LHR"] }]);
  });

  it("after 3 intervals an isolate is not heard from (and leaves the counts); after 10 it is forgotten", () => {
    const rows = [
      row(report("live"), 3 * INTERVAL),
      row(report("quiet", { colo: "SJC", serving: { version: 4, sha256: "cc", since: T0 - 900_000 } }), 3 * INTERVAL + 1),
      row(report("cold", { serving: null }), 10 * INTERVAL),
      row(report("gone", { serving: { version: 1, sha256: "dd", since: 0 } }), 10 * INTERVAL + 1),
    ];
    const status = summarizeFleet(rows, context());
    expect(status.isolates).toBe(1);
    expect(status.versions.map((v) => v.version)).toEqual([5]);
    expect(status.oldest?.version).toBe(5);
    expect(status.notHeardFrom).toEqual({
      isolates: 2,
      list: [
        { isolate: "cold", colo: "LHR", version: null, lastReportAt: iso(T0 - 10 * INTERVAL) },
        { isolate: "quiet", colo: "SJC", version: 4, lastReportAt: iso(T0 - 3 * INTERVAL - 1) },
      ],
    });
  });

  it("each isolate is judged by its own report interval", () => {
    const rows = [row(report("slow", { reportIntervalMs: 120_000 }), 300_000), row(report("fast", { reportIntervalMs: 1_000 }), 3_001)];
    const status = summarizeFleet(rows, context());
    expect([status.isolates, status.notHeardFrom.list.map((s) => s.isolate)]).toEqual([1, ["fast"]]);
  });

  it("an empty fleet", () => {
    expect(summarizeFleet([], context(null))).toEqual({
      at: iso(T0), storeVersion: null, isolates: 0, notServing: 0, versions: [], oldest: null, refused: [], errors: [], notHeardFrom: { isolates: 0, list: [] },
    });
  });
});

describe("checkReport", () => {
  it("accepts a report and bounds its strings", () => {
    const long = report("i".repeat(500), { colo: "", lastError: { at: 1, message: "m".repeat(5_000), version: 3, paths: ["a", "b", "c", "d", "e", "f"] } });
    const checked = checkReport(long);
    if (!checked.ok) throw new Error(checked.error);
    expect([checked.value.isolate.length, checked.value.colo, checked.value.lastError?.message.length, checked.value.lastError?.paths]).toEqual([100, "local", 1_000, ["a", "b", "c", "d", "e"]]);
  });

  it("refuses what is not a report, saying which field", () => {
    expect(checkReport(null)).toEqual({ ok: false, error: "a fleet report must be an object" });
    expect(checkReport({ ...report("a"), isolate: "" })).toMatchObject({ ok: false, error: /isolate/ });
    expect(checkReport({ ...report("a"), reportIntervalMs: 0 })).toMatchObject({ ok: false, error: /reportIntervalMs/ });
    expect(checkReport({ ...report("a"), serving: { version: -1, sha256: "x", since: 0 } })).toMatchObject({ ok: false, error: /serving/ });
    expect(checkReport({ ...report("a"), lastError: { at: 0, message: "m", version: "7", paths: [] } })).toMatchObject({ ok: false, error: /lastError/ });
  });
});
