// The config store's canary: one at a time. It keeps which versions are stable and candidate, the
// share, the step and the policy (canary-table.ts), adds up the isolates' per-version figures of the
// current step (canary-stats.ts), and on each alarm takes the policy's decision (canary-policy.ts).
// Writing versions and publishing stay the store's: this class says what to do, the store does it.
import { decide, type CanaryPolicy, type Decision } from "./canary-policy.ts";
import { addStats, errorRatio, p99Ms, type VersionStats, type VersionStatsReport } from "./canary-stats.ts";
import { CanaryTable, freshStats, type CanaryAction, type CanaryEvent, type CanaryState } from "./canary-table.ts";

/** The author of what the policy does by itself, in history and in the event log. */
export const POLICY_AUTHOR = "canary-policy";

/** How often the alarm looks at a running canary: a tenth of a step, from 0.5 s to 10 s. */
export function checkIntervalMs(policy: CanaryPolicy): number {
  return Math.min(10_000, Math.max(500, Math.round(policy.promoteAfterMs / 10)));
}

export interface Figures {
  readonly requests: number;
  readonly errors: number;
  readonly errorRatio: number;
  /** The p99's bucket bound in ms ("+Inf" beyond the last one), null without requests. */
  readonly p99Ms: number | "+Inf" | null;
  /** 5xx per router. */
  readonly routers: Record<string, number>;
}

export type CanaryStatus =
  | { readonly running: false; readonly events: CanaryEvent[] }
  | {
      readonly running: true;
      readonly stable: number;
      readonly candidate: number;
      readonly share: number;
      /** The shares still to come. */
      readonly nextSteps: number[];
      readonly header: string | null;
      readonly policy: CanaryPolicy;
      readonly startedAt: string;
      readonly stepStartedAt: string;
      readonly figures: { readonly stable: Figures; readonly candidate: Figures };
      /** What the policy would decide now. */
      readonly decision: Decision;
      readonly nextCheckAt: string;
      readonly events: CanaryEvent[];
    };

export class Canary {
  private readonly table: CanaryTable;
  private readonly now: () => number;

  constructor(sql: SqlStorage, now: () => number) {
    this.table = new CanaryTable(sql);
    this.now = now;
  }

  state(): CanaryState | null {
    return this.table.read();
  }

  /** What the publisher puts in the version key (publish.ts PublishPlan). */
  plan(newest: number | null): { root: number | null; canary: { version: number; share: number; header: string | null } | null } {
    const s = this.table.read();
    if (!s) return { root: newest, canary: null };
    return { root: s.stable, canary: { version: s.candidate, share: s.share, header: s.header } };
  }

  start(stable: number, candidate: number, share: number, header: string | null, policy: CanaryPolicy, author: string): void {
    const now = this.now();
    this.table.write({ stable, candidate, share, next: 0, header, policy, startedAt: now, stepStartedAt: now, stats: freshStats() });
    this.log("started", author, `candidate ${candidate} at ${share}% of clients${header ? ` (by ${header})` : ""}, stable ${stable}`);
  }

  /** Adds one isolate's figures; versions other than the two are not this canary's. */
  record(report: VersionStatsReport): void {
    const s = this.table.read();
    if (!s) return;
    const stable = report[String(s.stable)];
    const candidate = report[String(s.candidate)];
    if (!stable && !candidate) return;
    if (stable) addStats(s.stats.stable, stable);
    if (candidate) addStats(s.stats.candidate, candidate);
    this.table.saveStats(s.stats);
  }

  decision(): Decision | null {
    const s = this.table.read();
    return s ? decide(s.policy, s, s.stats, this.now()) : null;
  }

  /** The next step: the new share, counted afresh. */
  step(share: number, author: string, reason: string): void {
    const s = this.table.read();
    if (!s) return;
    this.table.write({ ...s, share, next: s.next + 1, stepStartedAt: this.now(), stats: freshStats() });
    this.log("step", author, `${s.share}% → ${share}%: ${reason}`, share);
  }

  /** Ends the canary (the store has written what that means); returns what ended. */
  end(action: Exclude<CanaryAction, "started" | "step">, author: string, reason: string): CanaryState | null {
    const s = this.table.read();
    if (!s) return null;
    this.log(action, author, reason, action === "promoted" ? 100 : 0);
    this.table.clear();
    return s;
  }

  status(): CanaryStatus {
    const events = this.table.events();
    const s = this.table.read();
    if (!s) return { running: false, events };
    const at = (ms: number) => new Date(ms).toISOString();
    return {
      running: true,
      stable: s.stable,
      candidate: s.candidate,
      share: s.share,
      nextSteps: s.policy.steps.slice(s.next),
      header: s.header,
      policy: s.policy,
      startedAt: at(s.startedAt),
      stepStartedAt: at(s.stepStartedAt),
      figures: { stable: figures(s.stats.stable), candidate: figures(s.stats.candidate) },
      decision: decide(s.policy, s, s.stats, this.now()),
      nextCheckAt: at(this.now() + checkIntervalMs(s.policy)),
      events,
    };
  }

  private log(action: CanaryAction, author: string, reason: string, share?: number): void {
    const s = this.table.read();
    if (!s) return;
    this.table.log({ at: new Date(this.now()).toISOString(), candidate: s.candidate, stable: s.stable, action, share: share ?? s.share, author, reason: reason.slice(0, 1000) });
  }
}

function figures(s: VersionStats): Figures {
  const p99 = p99Ms(s);
  return { requests: s.requests, errors: s.errors, errorRatio: errorRatio(s), p99Ms: p99 === Infinity ? "+Inf" : p99, routers: s.routers };
}
