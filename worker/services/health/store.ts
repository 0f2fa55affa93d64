// The health checker's SQLite tables: the spec it probes (one per object), when an isolate last
// asked for it, and each server's last result and next check. Synchronous, as DO SQLite calls are.
import type { ServerReport } from "./report.ts";
import type { ProbeSpec } from "./spec.ts";

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS spec (
     id        INTEGER PRIMARY KEY CHECK (id = 1),
     json      TEXT    NOT NULL,
     last_seen INTEGER NOT NULL,
     alarm_at  INTEGER
   )`,
  `CREATE TABLE IF NOT EXISTS targets (
     server     TEXT PRIMARY KEY,
     up         INTEGER,
     checked_at INTEGER,
     next_at    INTEGER NOT NULL,
     error      TEXT
   )`,
];

type TargetRow = { server: string; up: number | null; checked_at: number | null; next_at: number; error: string | null };

export class HealthStore {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    for (const statement of SCHEMA) sql.exec(statement);
  }

  /** Records that an isolate wants `spec` checked (now), keeping the servers' results. */
  register(spec: ProbeSpec, now: number): void {
    this.sql.exec(
      `INSERT INTO spec (id, json, last_seen) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET json = excluded.json, last_seen = excluded.last_seen`,
      JSON.stringify(spec),
      now,
    );
    const servers = spec.targets.map((t) => t.server);
    for (const row of this.rows()) if (!servers.includes(row.server)) this.sql.exec("DELETE FROM targets WHERE server = ?", row.server);
    for (const server of servers) this.sql.exec("INSERT OR IGNORE INTO targets (server, next_at) VALUES (?, ?)", server, now);
  }

  spec(): { spec: ProbeSpec; lastSeen: number; alarmAt: number | null } | null {
    const row = this.sql.exec<{ json: string; last_seen: number; alarm_at: number | null }>("SELECT json, last_seen, alarm_at FROM spec").toArray()[0];
    return row ? { spec: JSON.parse(row.json) as ProbeSpec, lastSeen: row.last_seen, alarmAt: row.alarm_at } : null;
  }

  /** Servers whose next check is at or before `at`. */
  due(at: number): string[] {
    return this.rows().filter((r) => r.next_at <= at).map((r) => r.server);
  }

  record(server: string, up: boolean, error: string | null, checkedAt: number, nextAt: number): void {
    this.sql.exec("UPDATE targets SET up = ?, error = ?, checked_at = ?, next_at = ? WHERE server = ?", up ? 1 : 0, error, checkedAt, nextAt, server);
  }

  /** The earliest next check, or null when there is nothing to check. */
  nextAt(): number | null {
    const rows = this.rows();
    return rows.length === 0 ? null : Math.min(...rows.map((r) => r.next_at));
  }

  setAlarmAt(at: number | null): void {
    this.sql.exec("UPDATE spec SET alarm_at = ?", at);
  }

  report(): ServerReport[] {
    return this.rows().map((r) => ({
      server: r.server,
      status: r.up === null ? "UNKNOWN" : r.up ? "UP" : "DOWN",
      checkedAt: r.checked_at,
      error: r.error,
    }));
  }

  /** Forgets everything (no isolate has asked for this check in a long time). */
  clear(): void {
    this.sql.exec("DELETE FROM targets");
    this.sql.exec("DELETE FROM spec");
  }

  private rows(): TargetRow[] {
    return this.sql.exec<TargetRow>("SELECT server, up, checked_at, next_at, error FROM targets ORDER BY server").toArray();
  }
}
