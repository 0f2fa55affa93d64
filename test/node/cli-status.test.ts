// `switchyard status` prints the fleet for a person (cli/commands/status.ts describeFleet): every
// section, and how an empty one reads.
import { describe, expect, it } from "vitest";
import { describeFleet } from "../../cli/commands/status.ts";
import type { FleetStatus } from "../../providers/store/fleet.ts";

const empty: FleetStatus = {
  at: "2026-12-03T12:00:00.000Z", storeVersion: null, isolates: 0, notServing: 0, versions: [], oldest: null, refused: [], errors: [], notHeardFrom: { isolates: 0, list: [] },
};

describe("describeFleet", () => {
  it("an empty fleet", () => {
    expect(describeFleet(empty)).toEqual([
      "config store: no version stored (as of 2026-12-03T12:00:00.000Z)",
      "isolates heard from: 0",
      "versions served: none",
      "refused: none",
      "not heard from: none",
    ]);
  });

  it("two versions, a refusal, an error without a version, and more silent isolates than listed", () => {
    const v = (version: number, colos: string[], isolates: number) => ({ version, sha256: `${version}`.repeat(64), isolates, colos, since: "2026-12-03T11:00:00.000Z" });
    const fleet: FleetStatus = {
      ...empty,
      storeVersion: 8,
      isolates: 4,
      notServing: 1,
      versions: [v(8, ["LHR", "SJC"], 2), v(7, ["NRT"], 1)],
      oldest: { ...v(7, ["NRT"], 1), supersededAt: "2026-12-03T11:30:00.000Z" },
      refused: [{ version: 9, isolates: 1, reasons: [{ message: "config version 9 rejected: x: bad", paths: ["x"], isolates: 1, colos: ["SJC"], isolateIds: ["i-3"] }] }],
      errors: [{ message: "KV GET failed", isolates: 2, colos: ["AMS"] }],
      notHeardFrom: { isolates: 3, list: [{ isolate: "i-9", colo: "AMS", version: null, lastReportAt: "2026-12-03T11:58:00.000Z" }] },
    };
    expect(describeFleet(fleet)).toEqual([
      "config store: version 8 (as of 2026-12-03T12:00:00.000Z)",
      "isolates heard from: 4 (1 serving nothing)",
      "versions served:",
      `  version 8  888888888888  2 isolates in LHR, SJC, since 2026-12-03T11:00:00.000Z`,
      `  version 7  777777777777  1 isolate in NRT, since 2026-12-03T11:00:00.000Z`,
      "oldest served: version 7 in NRT, since 2026-12-03T11:00:00.000Z, out of date since 2026-12-03T11:30:00.000Z",
      "refused:",
      "  version 9: 1 isolate",
      "    config version 9 rejected: x: bad",
      "      at x; 1 isolate in SJC: i-3",
      "error: KV GET failed (2 isolates in AMS)",
      "not heard from: 3 isolates",
      "  i-9  AMS  serving nothing, last report 2026-12-03T11:58:00.000Z",
      "  (and 2 more)",
    ]);
  });
});
