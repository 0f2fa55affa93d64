// CPU time of a process from /proc (Linux): bench/proxy.ts charges workerd's CPU to the requests
// of a round. /proc/<pid>/stat counts every thread of the process, exited ones included.
import { readdirSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

export interface ProcStat {
  readonly comm: string;
  readonly ppid: number;
  /** utime + stime, in clock ticks. */
  readonly cpuTicks: number;
}

/** Parses /proc/<pid>/stat. The command name sits in parentheses and may itself hold spaces and ')'. */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) throw new Error("not a /proc/<pid>/stat line");
  // Fields after the name, from field 3 (state): ppid is field 4, utime 14, stime 15.
  const rest = text.slice(close + 2).trim().split(/\s+/);
  const field = (n: number) => Number(rest[n - 3]);
  const ppid = field(4);
  const cpuTicks = field(14) + field(15);
  if (!Number.isFinite(ppid) || !Number.isFinite(cpuTicks)) throw new Error("malformed /proc/<pid>/stat line");
  return { comm: text.slice(open + 1, close), ppid, cpuTicks };
}

/** Clock ticks per second (USER_HZ), almost always 100. */
export function clockTicksPerSecond(): number {
  try {
    const n = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8", timeout: 2_000 }).trim());
    return Number.isInteger(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
}

/** CPU seconds used so far by a process. */
export function cpuSeconds(pid: number, ticksPerSecond: number): number {
  return parseProcStat(readFileSync(`/proc/${pid}/stat`, "utf8")).cpuTicks / ticksPerSecond;
}

/** Pids of the descendants of `root` (any depth) whose command name is `comm`. */
export function descendantsNamed(root: number, comm: string): number[] {
  const parents = new Map<number, ProcStat>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      parents.set(Number(entry), parseProcStat(readFileSync(`/proc/${entry}/stat`, "utf8")));
    } catch {
      // The process exited while we looked.
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
      const ppid = parents.get(p)?.ppid;
      if (ppid === root) return true;
      if (ppid === undefined) return false;
      p = ppid;
    }
    return false;
  };
  return [...parents].filter(([pid, s]) => s.comm === comm && descends(pid)).map(([pid]) => pid);
}
