// Per served version, what the isolate saw since its last fleet report: requests, 5xx, a latency
// histogram and 5xx per router (providers/store/canary-stats.ts). Kept only while a canary runs
// (the entry asks), sent with the next report and then started afresh: the config store adds the
// isolates' figures up to judge the candidate against the stable version.
import { addStats, bucketOf, emptyStats, MAX_ROUTERS, type VersionStats, type VersionStatsReport } from "../../providers/store/canary-stats.ts";

/** Versions kept at once (stable, candidate, and one being swapped in). */
const MAX_VERSIONS = 4;

export class VersionStatsRecorder {
  private stats = new Map<number, VersionStats>();

  /** One response: its version, router ("" when none matched), status and time in ms. No I/O. */
  record(version: number, router: string, status: number, ms: number): void {
    let s = this.stats.get(version);
    if (!s) {
      if (this.stats.size >= MAX_VERSIONS) return;
      this.stats.set(version, (s = emptyStats()));
    }
    s.requests++;
    s.buckets[bucketOf(ms)]!++;
    if (status < 500) return;
    s.errors++;
    if (router !== "" && (Object.hasOwn(s.routers, router) || Object.keys(s.routers).length < MAX_ROUTERS)) s.routers[router] = (s.routers[router] ?? 0) + 1;
  }

  get pending(): boolean {
    return this.stats.size > 0;
  }

  /** The figures so far, and a fresh start. */
  take(): VersionStatsReport {
    const out: VersionStatsReport = {};
    for (const [version, s] of this.stats) out[String(version)] = s;
    this.stats = new Map();
    return out;
  }

  /** Puts figures back after a report failed, so none are lost. */
  restore(report: VersionStatsReport): void {
    for (const [version, s] of Object.entries(report)) {
      const v = Number(version);
      const kept = this.stats.get(v);
      if (kept) addStats(kept, s);
      else if (this.stats.size < MAX_VERSIONS) this.stats.set(v, s);
    }
  }
}
