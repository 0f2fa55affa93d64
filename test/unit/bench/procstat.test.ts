// /proc/<pid>/stat parsing for bench:proxy's CPU per request.
import { describe, expect, it } from "vitest";
import { cpuSeconds, descendantsNamed, parseProcStat } from "../../../bench/procstat.ts";

// A real line's shape: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
const line = (comm: string) => `4503 (${comm}) S 4490 4490 17 0 -1 4194560 52018 0 3 0 1234 567 0 0 20 0 9 0 83121 1491120128 40000 18446744073709551615`;

describe("parseProcStat", () => {
  it("reads the parent pid and utime + stime", () => {
    expect(parseProcStat(line("workerd"))).toEqual({ comm: "workerd", ppid: 4490, cpuTicks: 1234 + 567 });
  });
  it("keeps a command name with spaces and parentheses whole", () => {
    expect(parseProcStat(line("a) b (c")).comm).toBe("a) b (c");
    expect(parseProcStat(line("a) b (c")).cpuTicks).toBe(1801);
  });
  it("refuses what is not a stat line", () => {
    expect(() => parseProcStat("hello")).toThrow();
    expect(() => parseProcStat("1 (x) S")).toThrow(/malformed/);
  });
});

describe("on this machine's /proc", () => {
  it.runIf(process.platform === "linux")("reads this process's CPU time and finds no workerd under a process that has none", () => {
    expect(cpuSeconds(process.pid, 100)).toBeGreaterThan(0);
    expect(descendantsNamed(process.pid, "no-such-command-name")).toEqual([]);
  });
});
