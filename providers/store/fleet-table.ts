// The fleet reports, one row per isolate (the newest report replaces the last), bounded: at most
// `limit` rows (a new isolate over the limit evicts the longest silent ones), and a sweep at most
// once a minute forgets isolates not heard from for FORGET_INTERVALS of their report intervals.
import { FORGET_INTERVALS, type FleetReport, type FleetRow } from "./fleet.ts";

export const DEFAULT_FLEET_LIMIT = 10_000;
const SWEEP_EVERY_MS = 60_000;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS fleet_reports (
     isolate     TEXT    PRIMARY KEY,
     reported_at INTEGER NOT NULL,
     interval_ms INTEGER NOT NULL,
     report      TEXT    NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS fleet_reports_by_time ON fleet_reports (reported_at)`,
];

export class FleetTable {
  private readonly sql: SqlStorage;
  private rows: number;
  private sweptAt = -Infinity;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    for (const statement of SCHEMA) sql.exec(statement);
    this.rows = this.count();
  }

  /** Stores `report` as received at `now` (the store's clock). */
  record(report: FleetReport, now: number, limit: number): void {
    if (now - this.sweptAt >= SWEEP_EVERY_MS) this.forget(now);
    const known = this.sql.exec("SELECT 1 FROM fleet_reports WHERE isolate = ?", report.isolate).toArray().length > 0;
    if (!known && this.rows >= limit) this.evict(this.rows - Math.max(1, limit) + 1);
    this.sql.exec(
      `INSERT INTO fleet_reports (isolate, reported_at, interval_ms, report) VALUES (?, ?, ?, ?)
       ON CONFLICT (isolate) DO UPDATE SET reported_at = excluded.reported_at, interval_ms = excluded.interval_ms, report = excluded.report`,
      report.isolate, now, report.reportIntervalMs, JSON.stringify(report),
    );
    if (!known) this.rows++;
  }

  /** Every row not yet forgotten as of `now`. */
  list(now: number): FleetRow[] {
    return this.sql
      .exec<{ reported_at: number; report: string }>("SELECT reported_at, report FROM fleet_reports WHERE reported_at >= ? - interval_ms * ?", now, FORGET_INTERVALS)
      .toArray()
      .map((row) => ({ reportedAt: row.reported_at, report: JSON.parse(row.report) as FleetReport }));
  }

  /** Deletes isolates not heard from for FORGET_INTERVALS of their intervals. */
  forget(now: number): void {
    this.sweptAt = now;
    this.sql.exec("DELETE FROM fleet_reports WHERE reported_at < ? - interval_ms * ?", now, FORGET_INTERVALS);
    this.rows = this.count();
  }

  private evict(n: number): void {
    this.sql.exec("DELETE FROM fleet_reports WHERE isolate IN (SELECT isolate FROM fleet_reports ORDER BY reported_at, isolate LIMIT ?)", n);
    this.rows = this.count();
  }

  private count(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM fleet_reports").one().n;
  }
}
