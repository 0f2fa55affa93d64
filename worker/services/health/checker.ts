// Active health checks: a Durable Object per health-checked service (named by the service and a hash
// of its check, so every isolate with the same config shares it). Workers have no background
// threads, so the object's alarm does the probing: it checks the servers that are due, stores the
// results in SQLite, and sets the next alarm (interval for healthy servers, unhealthyInterval for
// the others). Isolates learn the results the way they learn config: each one asks at most every
// POLL_INTERVAL_MS, in the background, with `sync(spec)`, which also tells the object what to probe.
// An object no isolate has asked for in a long while forgets its check and stops its alarm.
import { DurableObject } from "cloudflare:workers";
import { probe } from "./probe.ts";
import type { ProbeSpec } from "./spec.ts";
import type { HealthReport } from "./report.ts";
import { HealthStore } from "./store.ts";

/** Probes run at once per alarm (a Worker invocation has 6 simultaneous connections). */
const CONCURRENCY = 6;
const MIN_IDLE_MS = 10 * 60_000;
/** Servers due within this of an alarm are checked in the same round. */
const ROUND_SLACK_MS = 1_000;

/** How long a check lives on with no isolate asking for it. */
export function idleTtlMs(spec: ProbeSpec): number {
  return Math.max(MIN_IDLE_MS, 10 * spec.intervalMs);
}

/** The binding isolates poll the checkers through (wrangler.toml HEALTH_CHECKER). */
export interface HealthCheckerBinding {
  readonly HEALTH_CHECKER: DurableObjectNamespace<HealthChecker>;
}

// Its env is only searched for service bindings by name (probe.ts): no Env type is needed.
export class HealthChecker extends DurableObject<object> {
  private readonly store: HealthStore;
  /** A round is under way: it schedules the next alarm itself when done (a poll meanwhile must not). */
  private probing = false;

  constructor(ctx: DurableObjectState, env: object) {
    super(ctx, env);
    this.store = new HealthStore(ctx.storage.sql);
  }

  /** An isolate's poll: registers (or refreshes) the check and answers what is known. */
  async sync(spec: ProbeSpec): Promise<HealthReport> {
    this.store.register(spec, Date.now());
    await this.schedule();
    return { servers: this.store.report() };
  }

  override async alarm(): Promise<void> {
    const stored = this.store.spec();
    if (!stored) return;
    const now = Date.now();
    if (now - stored.lastSeen > idleTtlMs(stored.spec)) {
      this.store.clear();
      await this.ctx.storage.deleteAlarm();
      return;
    }
    // An alarm run early (a test's runDurableObjectAlarm) checks what was due at its scheduled time.
    this.probing = true;
    try {
      await this.checkDue(stored.spec, Math.max(now, stored.alarmAt ?? now));
    } finally {
      this.probing = false;
    }
    await this.schedule(true);
  }

  /** Probes the servers due by `at` (or within a second of it, so servers stay in one round), and
   *  schedules each one's next check from `at`: servers checked together stay in phase. */
  private async checkDue(spec: ProbeSpec, at: number): Promise<void> {
    const due = new Set(this.store.due(at + ROUND_SLACK_MS));
    const targets = spec.targets.filter((t) => due.has(t.server));
    for (let i = 0; i < targets.length; i += CONCURRENCY) {
      await Promise.all(
        targets.slice(i, i + CONCURRENCY).map(async (target) => {
          const result = await probe(target, spec, this.env);
          const next = at + (result.up ? spec.intervalMs : spec.unhealthyIntervalMs);
          this.store.record(target.server, result.up, result.error, Date.now(), next);
        }),
      );
    }
  }

  /** Sets the alarm to the earliest next check; unless `replace` (the end of a round), keeps an alarm
   *  already set at or before it. */
  private async schedule(replace = false): Promise<void> {
    const next = this.store.nextAt();
    if (next === null || this.probing) return;
    const current = replace ? null : await this.ctx.storage.getAlarm();
    if (current !== null && current <= next) return;
    await this.ctx.storage.setAlarm(next);
    this.store.setAlarmAt(next);
  }
}
