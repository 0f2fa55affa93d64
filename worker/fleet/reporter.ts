// The isolate's half of the fleet status: after a request's poll, in ctx.waitUntil, it tells the
// config store what it serves, its last poll and last error and where it runs, when any of that
// changed and otherwise at most every FLEET_REPORT_INTERVAL_MS. One small Durable Object call per
// report; a request that starts no poll does nothing more.
import type { FleetReport } from "../../providers/store/fleet.ts";
import type { IsolateStatus } from "../admin/isolate.ts";
import type { Watcher } from "../dynamic/watcher.ts";
import type { VersionStatsReport } from "../../providers/store/canary-stats.ts";
import type { VersionStatsRecorder } from "./version-stats.ts";

/**
 * While a canary runs, the per-version figures (version-stats.ts) ride on the reports, which are
 * then due every `intervalMs` (CANARY_REPORT_INTERVAL_MS) as long as there are figures to send.
 */
export interface StatsSource {
  readonly recorder: VersionStatsRecorder;
  readonly intervalMs: number;
}

/** The one RPC the reporter makes (a ConfigStore stub is one): it answers whether it kept the report. */
export interface FleetSink {
  report(report: FleetReport): Promise<{ ok: true } | { ok: false; error: string } | void>;
}

/** What the reporter depends on; plain fields so tests can point it at another store or clock. */
export interface FleetSeams {
  store: () => FleetSink;
  now: () => number;
}

export interface FleetState {
  readonly status: IsolateStatus;
  /** When this isolate started serving its snapshot (the snapshot's compiledAt). */
  readonly servingSince: number | null;
}

export class FleetReporter {
  seams: FleetSeams;
  readonly intervalMs: number;
  private readonly state: () => FleetState;
  private sent: string | null = null;
  /** The next report is due at this time even if nothing changed. */
  private dueAt = 0;
  /** After a failure: no report before this time. */
  private holdUntil = 0;
  private sending = false;
  private readonly stats: StatsSource | undefined;
  private statsDueAt = 0;

  /** `intervalMs` 0 turns reporting off. */
  constructor(state: () => FleetState, intervalMs: number, seams: FleetSeams, stats?: StatsSource) {
    this.state = state;
    this.intervalMs = intervalMs;
    this.seams = seams;
    this.stats = stats;
  }

  get enabled(): boolean {
    return this.intervalMs > 0;
  }

  /** Whether a report would be sent now: the state changed since the last one, or the interval is up. */
  due(): boolean {
    if (!this.enabled || this.sending) return false;
    const now = this.seams.now();
    if (now < this.holdUntil) return false;
    if (this.stats?.recorder.pending && now >= this.statsDueAt) return true;
    return now >= this.dueAt || fingerprint(this.state()) !== this.sent;
  }

  /** Sends the report from `colo` if one is due (one at a time); never throws. */
  async send(colo: string): Promise<void> {
    if (!this.due()) return;
    const state = this.state();
    this.sending = true;
    const figures: VersionStatsReport | null = this.stats?.recorder.pending ? this.stats.recorder.take() : null;
    try {
      const report = reportOf(state, colo, this.intervalMs);
      const kept = await this.seams.store().report(figures ? { ...report, versionStats: figures } : report);
      if (kept && !kept.ok) throw new Error(`the config store refused the report: ${kept.error}`);
      this.sent = fingerprint(state);
      this.dueAt = this.seams.now() + this.intervalMs;
      if (this.stats) this.statsDueAt = this.seams.now() + this.stats.intervalMs;
    } catch (err) {
      if (figures) this.stats?.recorder.restore(figures);
      // A failing store is asked again one interval later, not after every poll.
      this.holdUntil = this.dueAt = this.seams.now() + this.intervalMs;
      console.error("fleet report:", err instanceof Error ? err.message : String(err));
    } finally {
      this.sending = false;
    }
  }
}

/**
 * What a report says, beside the times that move on every poll (those alone are no change). The
 * location is left out: an isolate does not move (a new one goes with the next report).
 */
function fingerprint({ status }: FleetState): string {
  const { serving, lastError } = status;
  return JSON.stringify([serving?.version, serving?.sha256, lastError?.message, lastError?.version]);
}

export function reportOf({ status, servingSince }: FleetState, colo: string, intervalMs: number): FleetReport {
  const { serving, lastError } = status;
  return {
    isolate: status.isolate,
    colo,
    source: status.source,
    reportIntervalMs: intervalMs,
    serving: serving ? { version: serving.version, sha256: serving.sha256, since: servingSince ?? status.lastChangeAt ?? 0 } : null,
    lastPollAt: status.lastPollAt,
    lastError: lastError ? { at: lastError.at, message: lastError.message, version: lastError.version, paths: [...lastError.paths] } : null,
  };
}

/** Cloudflare's location of this request ("local" under wrangler dev and in tests without one). */
export function coloOf(request: Request): string {
  const colo: unknown = request.cf?.colo;
  return typeof colo === "string" && colo !== "" ? colo : "local";
}

/** What fleetReport reads of the runtime (worker/runtime.ts Runtime is one). */
export interface Reporting {
  readonly fleet: FleetReporter;
  readonly watcher: Pick<Watcher, "maybePoll">;
}

/**
 * The entry's one call, first thing for every request. The state only changes in a poll, so the
 * reporter acts only after one: this starts the poll the request would start anyway (the entry's
 * own maybePoll then finds it running) and hands poll-then-report to ctx.waitUntil, so a refused
 * version is reported by the request whose poll refused it. A request that starts no poll costs
 * that one maybePoll check and nothing else; heartbeats are thus checked at each poll
 * (POLL_INTERVAL_MS, below the report interval by default).
 */
export function fleetReport(runtime: Reporting, request: Request, ctx: Pick<ExecutionContext, "waitUntil">): void {
  const { fleet, watcher } = runtime;
  if (!fleet.enabled) return;
  const poll = watcher.maybePoll();
  if (!poll) return;
  const colo = coloOf(request);
  ctx.waitUntil(poll.then(() => fleet.send(colo), () => fleet.send(colo)));
}
