// Shadow evaluation (issue 18; docs/safe-changes.md): a candidate config the config store keeps
// beside the live one without serving it. The store publishes it to KV under its own keys (the
// live version key is never touched), isolates match a sample of real requests against it in the
// background and report how many they sampled and which would have moved (live router → shadow
// router, null for 404); the store sums the reports of the running candidate and forgets the rest.
import type { KeyLayout } from "./keys.ts";

/** One small mutable key naming the running candidate: `{"id","key","sha256","sampleRate"}`, or `{}` for none. */
export function shadowPointerKey(keys: KeyLayout): string {
  return `${keys.prefix}config/shadow`;
}

/** The candidate's text: immutable, named by its id and hash. */
export function shadowSnapshotKey(keys: KeyLayout, id: string, sha256: string): string {
  return `${keys.prefix}config/shadow/${id}-${sha256.slice(0, 16)}`;
}

export interface ShadowPointer {
  readonly id: string;
  readonly key: string;
  readonly sha256: string;
  /** The share of requests each isolate matches against it, 0 < rate <= 1. */
  readonly sampleRate: number;
}

export const DEFAULT_SAMPLE_RATE = 0.01;
/** Distinct (from, to) pairs one report may carry, and the store keeps per candidate. */
export const MAX_REPORT_MOVES = 200;
export const MAX_STORED_MOVES = 1_000;
const MAX_COUNT = 1e9;
const MAX_NAME = 300;

export interface ShadowMove {
  /** The live router, null for a 404. */
  readonly from: string | null;
  /** The candidate's router, null for a 404. */
  readonly to: string | null;
  readonly count: number;
}

/** What an isolate sends: since its last report, `sampled` requests matched, of which these moved. */
export interface ShadowReport {
  readonly id: string;
  readonly sampled: number;
  readonly moves: readonly ShadowMove[];
}

export interface ShadowMoveShare extends ShadowMove {
  /** count / sampled × 100, to two decimals. */
  readonly percent: number;
}

export type ShadowState =
  | { readonly active: false }
  | {
      readonly active: true;
      readonly id: string;
      readonly sha256: string;
      readonly sampleRate: number;
      /** ISO 8601. */
      readonly startedAt: string;
      /** The admin token that started it. */
      readonly author: string;
      /** The newest live version when it started (null: none). */
      readonly basedOn: number | null;
      readonly sampled: number;
      readonly moved: number;
      /** Most moved first. */
      readonly moves: ShadowMoveShare[];
      /** The moves in words: "3.2 % of requests would move from router `api` to `api-v2`". */
      readonly summary: string[];
    };

/** The report, or why it is not one (another Worker with the binding may send anything). */
export function checkShadowReport(raw: unknown): { ok: true; value: ShadowReport } | { ok: false; error: string } {
  if (typeof raw !== "object" || raw === null) return { ok: false, error: "a shadow report is an object" };
  const r = raw as { id?: unknown; sampled?: unknown; moves?: unknown };
  if (typeof r.id !== "string" || r.id.length > 100) return { ok: false, error: "id must be a string" };
  if (!count(r.sampled)) return { ok: false, error: "sampled must be a whole number" };
  if (!Array.isArray(r.moves) || r.moves.length > MAX_REPORT_MOVES) return { ok: false, error: `moves must be a list of at most ${MAX_REPORT_MOVES}` };
  const moves: ShadowMove[] = [];
  let moved = 0;
  for (const m of r.moves as unknown[]) {
    const move = m as { from?: unknown; to?: unknown; count?: unknown } | null;
    if (typeof move !== "object" || move === null || !routerName(move.from) || !routerName(move.to) || !count(move.count) || move.from === move.to) {
      return { ok: false, error: "each move is {from, to, count}: router names or null, different, and a whole number" };
    }
    moves.push({ from: move.from, to: move.to, count: move.count });
    moved += move.count;
  }
  if (moved > r.sampled) return { ok: false, error: "more moves than requests sampled" };
  return { ok: true, value: { id: r.id, sampled: r.sampled, moves } };
}

function count(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= MAX_COUNT;
}

function routerName(v: unknown): v is string | null {
  return v === null || (typeof v === "string" && v.length <= MAX_NAME);
}

/** The moves in words, for people (the API, the CLI and the dashboard show these). */
export function describeMoves(moves: readonly ShadowMoveShare[]): string[] {
  return moves.map(({ from, to, percent }) => {
    const share = `${percent} %`;
    if (to === null) return `${share} of requests would get 404 (they go to router \`${from}\` now)`;
    if (from === null) return `${share} of requests would go to router \`${to}\` (they get 404 now)`;
    return `${share} of requests would move from router \`${from}\` to \`${to}\``;
  });
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS shadow (
     id          INTEGER PRIMARY KEY CHECK (id = 1),
     shadow_id   TEXT    NOT NULL,
     sha256      TEXT    NOT NULL,
     canonical   TEXT    NOT NULL,
     sample_rate REAL    NOT NULL,
     started_at  TEXT    NOT NULL,
     author      TEXT    NOT NULL,
     based_on    INTEGER,
     sampled     INTEGER NOT NULL DEFAULT 0
   )`,
  // Router names as JSON ("null" for 404), so no name can collide with the 404 marker.
  `CREATE TABLE IF NOT EXISTS shadow_moves (
     from_router TEXT    NOT NULL,
     to_router   TEXT    NOT NULL,
     count       INTEGER NOT NULL,
     PRIMARY KEY (from_router, to_router)
   )`,
];

type ShadowRow = { shadow_id: string; sha256: string; canonical: string; sample_rate: number; started_at: string; author: string; based_on: number | null; sampled: number };

export interface NewShadow {
  readonly id: string;
  readonly sha256: string;
  readonly canonical: string;
  readonly sampleRate: number;
  readonly startedAt: string;
  readonly author: string;
  readonly basedOn: number | null;
}

export class ShadowTable {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    for (const statement of SCHEMA) sql.exec(statement);
  }

  /** Replaces the running candidate (its counts start over). */
  start(s: NewShadow): void {
    this.stop();
    this.sql.exec(
      "INSERT INTO shadow (id, shadow_id, sha256, canonical, sample_rate, started_at, author, based_on) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
      s.id, s.sha256, s.canonical, s.sampleRate, s.startedAt, s.author, s.basedOn,
    );
  }

  stop(): void {
    this.sql.exec("DELETE FROM shadow");
    this.sql.exec("DELETE FROM shadow_moves");
  }

  /** Adds a report of the running candidate; false (nothing added) for another one's. */
  add(report: ShadowReport): boolean {
    const row = this.row();
    if (!row || row.shadow_id !== report.id) return false;
    this.sql.exec("UPDATE shadow SET sampled = sampled + ? WHERE id = 1", report.sampled);
    for (const m of report.moves) {
      const [from, to] = [JSON.stringify(m.from), JSON.stringify(m.to)];
      const known = this.sql.exec("SELECT 1 FROM shadow_moves WHERE from_router = ? AND to_router = ?", from, to).toArray().length > 0;
      // Past the bound a new pair is dropped; its requests still count in `sampled`.
      if (!known && this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM shadow_moves").one().n >= MAX_STORED_MOVES) continue;
      this.sql.exec(
        "INSERT INTO shadow_moves (from_router, to_router, count) VALUES (?, ?, ?) ON CONFLICT (from_router, to_router) DO UPDATE SET count = count + excluded.count",
        from, to, m.count,
      );
    }
    return true;
  }

  canonical(): string | null {
    return this.row()?.canonical ?? null;
  }

  pointer(keys: KeyLayout): ShadowPointer | null {
    const row = this.row();
    return row ? { id: row.shadow_id, key: shadowSnapshotKey(keys, row.shadow_id, row.sha256), sha256: row.sha256, sampleRate: row.sample_rate } : null;
  }

  state(): ShadowState {
    const row = this.row();
    if (!row) return { active: false };
    const rows = this.sql.exec<{ from_router: string; to_router: string; count: number }>("SELECT * FROM shadow_moves ORDER BY count DESC, from_router, to_router").toArray();
    const percent = (n: number) => (row.sampled === 0 ? 0 : Math.round((n / row.sampled) * 10_000) / 100);
    const moves = rows.map((r) => ({ from: JSON.parse(r.from_router) as string | null, to: JSON.parse(r.to_router) as string | null, count: r.count, percent: percent(r.count) }));
    return {
      active: true,
      id: row.shadow_id,
      sha256: row.sha256,
      sampleRate: row.sample_rate,
      startedAt: row.started_at,
      author: row.author,
      basedOn: row.based_on,
      sampled: row.sampled,
      moved: moves.reduce((n, m) => n + m.count, 0),
      moves,
      summary: describeMoves(moves),
    };
  }

  private row(): ShadowRow | null {
    return this.sql.exec<ShadowRow>("SELECT * FROM shadow WHERE id = 1").toArray()[0] ?? null;
  }
}
