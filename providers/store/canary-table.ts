// The canary's SQLite rows: at most one canary at a time (its versions, share, step, policy and the
// figures of the current step), and a bounded log of what happened to canaries (started, stepped,
// promoted, rolled back, and why). Synchronous, like every query of the store.
import type { CanaryPolicy } from "./canary-policy.ts";
import { emptyStats, type VersionStats } from "./canary-stats.ts";

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS canary (
     id              INTEGER PRIMARY KEY CHECK (id = 1),
     stable          INTEGER NOT NULL,
     candidate       INTEGER NOT NULL,
     share           REAL    NOT NULL,
     next_step       INTEGER NOT NULL,
     header          TEXT,
     policy          TEXT    NOT NULL,
     started_at      INTEGER NOT NULL,
     step_started_at INTEGER NOT NULL,
     stats           TEXT    NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS canary_events (
     id        INTEGER PRIMARY KEY AUTOINCREMENT,
     at        TEXT    NOT NULL,
     candidate INTEGER NOT NULL,
     stable    INTEGER NOT NULL,
     action    TEXT    NOT NULL,
     share     REAL    NOT NULL,
     author    TEXT    NOT NULL,
     reason    TEXT    NOT NULL
   )`,
];

/** How many events the log keeps. */
export const MAX_EVENTS = 200;

export interface StepStats {
  stable: VersionStats;
  candidate: VersionStats;
}

export interface CanaryState {
  readonly stable: number;
  readonly candidate: number;
  readonly share: number;
  /** Index in policy.steps of the next share. */
  readonly next: number;
  readonly header: string | null;
  readonly policy: CanaryPolicy;
  readonly startedAt: number;
  readonly stepStartedAt: number;
  readonly stats: StepStats;
}

export type CanaryAction = "started" | "step" | "promoted" | "rolled-back" | "aborted";

export interface CanaryEvent {
  readonly at: string;
  readonly candidate: number;
  readonly stable: number;
  readonly action: CanaryAction;
  readonly share: number;
  readonly author: string;
  readonly reason: string;
}

type Row = {
  stable: number; candidate: number; share: number; next_step: number; header: string | null;
  policy: string; started_at: number; step_started_at: number; stats: string;
};

export function freshStats(): StepStats {
  return { stable: emptyStats(), candidate: emptyStats() };
}

export class CanaryTable {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    for (const statement of SCHEMA) sql.exec(statement);
  }

  read(): CanaryState | null {
    const row = this.sql.exec<Row>("SELECT * FROM canary WHERE id = 1").toArray()[0];
    if (!row) return null;
    return {
      stable: row.stable, candidate: row.candidate, share: row.share, next: row.next_step, header: row.header,
      policy: JSON.parse(row.policy) as CanaryPolicy, startedAt: row.started_at, stepStartedAt: row.step_started_at,
      stats: JSON.parse(row.stats) as StepStats,
    };
  }

  write(s: CanaryState): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO canary (id, stable, candidate, share, next_step, header, policy, started_at, step_started_at, stats)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      s.stable, s.candidate, s.share, s.next, s.header, JSON.stringify(s.policy), s.startedAt, s.stepStartedAt, JSON.stringify(s.stats),
    );
  }

  saveStats(stats: StepStats): void {
    this.sql.exec("UPDATE canary SET stats = ? WHERE id = 1", JSON.stringify(stats));
  }

  clear(): void {
    this.sql.exec("DELETE FROM canary WHERE id = 1");
  }

  log(event: CanaryEvent): void {
    this.sql.exec(
      "INSERT INTO canary_events (at, candidate, stable, action, share, author, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
      event.at, event.candidate, event.stable, event.action, event.share, event.author, event.reason,
    );
    this.sql.exec("DELETE FROM canary_events WHERE id <= (SELECT MAX(id) FROM canary_events) - ?", MAX_EVENTS);
  }

  /** Newest first. */
  events(limit = 50): CanaryEvent[] {
    type EventRow = { at: string; candidate: number; stable: number; action: string; share: number; author: string; reason: string };
    return this.sql.exec<EventRow>("SELECT at, candidate, stable, action, share, author, reason FROM canary_events ORDER BY id DESC LIMIT ?", limit).toArray().map((e) => ({ ...e, action: e.action as CanaryAction }));
  }
}
