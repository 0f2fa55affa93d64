// The ConfigStore's SQLite tables and every query on them. All calls are synchronous: a Durable
// Object runs them without yielding, which is what makes compare-and-set safe.
import type { VersionRecord } from "../config-store-api.ts";
import { MAX_VERSION } from "./version.ts";

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS versions (
     version     INTEGER PRIMARY KEY,
     sha256      TEXT    NOT NULL,
     canonical   TEXT    NOT NULL,
     author      TEXT    NOT NULL,
     message     TEXT    NOT NULL,
     created_at  TEXT    NOT NULL,
     rollback_of INTEGER
   )`,
  // One row: how far publishing to KV has got. Survives restarts, so an alarm can pick up.
  `CREATE TABLE IF NOT EXISTS publish_meta (
     id                    INTEGER PRIMARY KEY CHECK (id = 1),
     published             INTEGER,
     snapshot_written      INTEGER,
     last_version_write_at INTEGER,
     failures              INTEGER NOT NULL DEFAULT 0,
     last_error_at         TEXT,
     last_error            TEXT,
     next_attempt_at       INTEGER
   )`,
  `INSERT OR IGNORE INTO publish_meta (id) VALUES (1)`,
];

export function migrate(sql: SqlStorage): void {
  for (const statement of SCHEMA) sql.exec(statement);
  // Load facts (worker/compile/facts.ts) came later: rows written before have none.
  const columns = sql.exec<{ name: string }>("PRAGMA table_info(versions)").toArray();
  if (!columns.some((c) => c.name === "facts")) sql.exec("ALTER TABLE versions ADD COLUMN facts TEXT");
  if (!columns.some((c) => c.name === "facts_revision")) sql.exec("ALTER TABLE versions ADD COLUMN facts_revision TEXT");
  // The author became the admin token's name (issue 18); what the writer says of itself is a note.
  if (!columns.some((c) => c.name === "author_note")) sql.exec("ALTER TABLE versions ADD COLUMN author_note TEXT");
}

type VersionRow = {
  version: number;
  sha256: string;
  canonical: string;
  author: string;
  message: string;
  created_at: string;
  rollback_of: number | null;
  facts: string | null;
  facts_revision: string | null;
  author_note?: string | null;
};

export interface NewVersion {
  readonly sha256: string;
  readonly canonical: string;
  readonly author: string;
  /** X-Switchyard-Author, when sent (null: none). */
  readonly authorNote: string | null;
  readonly message: string;
  readonly createdAt: string;
  readonly rollbackOf: number | null;
  /** The load facts published beside it (null: none, e.g. rows from before facts existed). */
  readonly facts: string | null;
  /** The build that made them (Admission.revision). */
  readonly factsRevision: string | null;
}

export interface StoredRow {
  readonly record: VersionRecord;
  readonly canonical: string;
  readonly facts: string | null;
  readonly factsRevision: string | null;
}

export class VersionsTable {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
  }

  /** The newest version in range (a row past MAX_VERSION is repaired on the next write). */
  newest(): number | null {
    const row = this.sql.exec<{ v: number | null }>("SELECT MAX(version) AS v FROM versions WHERE version BETWEEN 1 AND ?", MAX_VERSION).one();
    return row.v;
  }

  /** Inserts `version` (the caller picked it: see nextVersion) and returns the record. */
  insert(version: number, entry: NewVersion): VersionRecord {
    this.sql.exec(
      "INSERT INTO versions (version, sha256, canonical, author, author_note, message, created_at, rollback_of, facts, facts_revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      version, entry.sha256, entry.canonical, entry.author, entry.authorNote, entry.message, entry.createdAt, entry.rollbackOf, entry.facts, entry.factsRevision,
    );
    return toRecord({ version, sha256: entry.sha256, canonical: entry.canonical, author: entry.author, author_note: entry.authorNote, message: entry.message, created_at: entry.createdAt, rollback_of: entry.rollbackOf, facts: null, facts_revision: null });
  }

  /** Replaces a version's load facts (remade by another build: see ConfigStoreObject.freshFacts). */
  setFacts(version: number, facts: string, revision: string): void {
    this.sql.exec("UPDATE versions SET facts = ?, facts_revision = ? WHERE version = ?", facts, revision, version);
  }

  /**
   * Renumbers rows whose version is out of range (written by a build that followed a version key
   * of 2^53 - 1 in KV: the next one, 2^53, has no successor) to follow the newest good one, oldest
   * first, so no config is lost and the newest stays newest. Returns how many were renumbered.
   */
  repair(): number {
    const bad = this.sql
      .exec<{ version: number }>("SELECT version FROM versions WHERE version > ? OR version < 1 ORDER BY version", MAX_VERSION)
      .toArray();
    let next = (this.newest() ?? 0) + 1;
    for (const { version } of bad) {
      this.sql.exec("UPDATE versions SET version = ? WHERE version = ?", next, version);
      this.sql.exec("UPDATE versions SET rollback_of = ? WHERE rollback_of = ?", next, version);
      next++;
    }
    return bad.length;
  }

  get(version: number): StoredRow | null {
    const rows = this.sql.exec<VersionRow>("SELECT * FROM versions WHERE version = ?", version).toArray();
    const row = rows[0];
    return row ? { record: toRecord(row), canonical: row.canonical, facts: row.facts, factsRevision: row.facts_revision } : null;
  }

  /** When the first retained version after `version` was made (ISO 8601), or null. */
  createdAfter(version: number): string | null {
    const rows = this.sql.exec<{ created_at: string }>("SELECT created_at FROM versions WHERE version > ? ORDER BY version LIMIT 1", version).toArray();
    return rows[0]?.created_at ?? null;
  }

  /** Newest first, without the config text. */
  list(limit: number): VersionRecord[] {
    return this.sql
      .exec<VersionRow>(
        "SELECT version, sha256, '' AS canonical, author, author_note, message, created_at, rollback_of, NULL AS facts, NULL AS facts_revision FROM versions ORDER BY version DESC LIMIT ?",
        limit,
      )
      .toArray()
      .map(toRecord);
  }

  /** Keeps the newest `keep` versions (at least one: the newest is never pruned). Returns how many went. */
  prune(keep: number): number {
    const newest = this.newest();
    if (newest === null) return 0;
    return this.sql.exec("DELETE FROM versions WHERE version <= ?", newest - Math.max(1, keep)).rowsWritten;
  }
}

function toRecord(row: VersionRow): VersionRecord {
  const base = { version: row.version, sha256: row.sha256, author: row.author };
  const record = { ...base, ...(row.author_note ? { authorNote: row.author_note } : {}), message: row.message, createdAt: row.created_at };
  return row.rollback_of === null ? record : { ...record, rollbackOf: row.rollback_of };
}

export interface PublishRow {
  readonly published: number | null;
  readonly snapshotWritten: number | null;
  readonly lastVersionWriteAt: number | null;
  readonly failures: number;
  readonly lastError: { readonly at: string; readonly message: string } | null;
  readonly nextAttemptAt: number | null;
}

type PublishMetaRow = {
  published: number | null;
  snapshot_written: number | null;
  last_version_write_at: number | null;
  failures: number;
  last_error_at: string | null;
  last_error: string | null;
  next_attempt_at: number | null;
};

export class PublishMeta {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
  }

  read(): PublishRow {
    const row = this.sql.exec<PublishMetaRow>("SELECT * FROM publish_meta WHERE id = 1").one();
    return {
      published: row.published,
      snapshotWritten: row.snapshot_written,
      lastVersionWriteAt: row.last_version_write_at,
      failures: row.failures,
      lastError: row.last_error === null ? null : { at: row.last_error_at ?? "", message: row.last_error },
      nextAttemptAt: row.next_attempt_at,
    };
  }

  /** Forgets published/snapshot marks that are out of range (see VersionsTable.repair): publishing starts over. */
  repair(): void {
    this.sql.exec("UPDATE publish_meta SET published = NULL WHERE id = 1 AND (published > ? OR published < 1)", MAX_VERSION);
    this.sql.exec("UPDATE publish_meta SET snapshot_written = NULL WHERE id = 1 AND (snapshot_written > ? OR snapshot_written < 1)", MAX_VERSION);
  }

  /** Publishes `version` again from its snapshot on (its load facts changed), if it is the one published. */
  republish(version: number): void {
    this.sql.exec("UPDATE publish_meta SET published = NULL, snapshot_written = NULL WHERE id = 1 AND published = ?", version);
  }

  snapshotWritten(version: number): void {
    this.sql.exec("UPDATE publish_meta SET snapshot_written = ? WHERE id = 1", version);
  }

  /** Called just before the version key is put: KV's one-write-per-second counts attempts too. */
  versionAttempted(at: number): void {
    this.sql.exec("UPDATE publish_meta SET last_version_write_at = ? WHERE id = 1", at);
  }

  versionWritten(version: number): void {
    this.sql.exec(
      `UPDATE publish_meta SET published = ?, failures = 0, last_error = NULL, last_error_at = NULL,
         next_attempt_at = NULL WHERE id = 1`,
      version,
    );
  }

  /** Records a failed attempt and when the next one may be made. */
  failed(message: string, at: string, nextAttemptAt: number): void {
    this.sql.exec(
      "UPDATE publish_meta SET failures = failures + 1, last_error = ?, last_error_at = ?, next_attempt_at = ? WHERE id = 1",
      message, at, nextAttemptAt,
    );
  }
}
