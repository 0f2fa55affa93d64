// The metrics store: a Durable Object that sums the deltas isolates flush (push) and answers the
// global figures (read). One object (or one per shard, METRICS_SHARDS) takes one call per isolate
// per flush interval, however many requests those isolates serve. The figures live in memory and
// in SQLite (one row per series), so they survive the object's eviction and restarts. Each push also
// adds its router and service figures into the last hour's 10-second slots (history.ts), in the
// same transaction, for GET <base>/metrics/history.
import { DurableObject } from "cloudflare:workers";
import { BUCKETS } from "./families.ts";
import { admitted, HISTORY_SECONDS, historyRows, ROUTER, SERVICE, slotOf, type HistoryRow } from "./history.ts";
import { SeriesTable, seriesId, STORE_MAX_SERIES, type Batch, type Series, type StoredFigures } from "./series.ts";

/** The binding isolates flush through (wrangler.toml METRICS). */
export interface MetricsBinding {
  readonly METRICS?: DurableObjectNamespace<MetricsStore>;
}

interface Row extends Record<string, SqlStorageValue> {
  id: string;
  body: string;
}

/** What one store answers for a history read: its rows in the range, and the names it left out. */
export interface StoredHistory {
  readonly rows: HistoryRow[];
  readonly dropped: number;
}

const BUCKET_COLUMNS = BUCKETS.map((_, i) => `b${i}`);
const UPSERT_SLOT =
  `INSERT INTO history (t, k, name, req, err, ${BUCKET_COLUMNS.join(", ")}) VALUES (?, ?, ?, ?, ?, ${BUCKET_COLUMNS.map(() => "?").join(", ")}) ` +
  `ON CONFLICT (t, k, name) DO UPDATE SET req = req + excluded.req, err = err + excluded.err, ` +
  BUCKET_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(", ");

export class MetricsStore extends DurableObject<object> {
  private readonly table = new SeriesTable(STORE_MAX_SERIES);
  private readonly sql: SqlStorage;
  private slot: { t: number; names: Set<string> } | null = null;
  private prunedAt: number | null = null;

  constructor(ctx: DurableObjectState, env: object) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec("CREATE TABLE IF NOT EXISTS series (id TEXT PRIMARY KEY, body TEXT NOT NULL)");
    this.sql.exec("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v REAL NOT NULL)");
    const buckets = BUCKET_COLUMNS.map((c) => `${c} REAL NOT NULL`).join(", ");
    this.sql.exec(
      `CREATE TABLE IF NOT EXISTS history (t INTEGER NOT NULL, k INTEGER NOT NULL, name TEXT NOT NULL, req REAL NOT NULL, err REAL NOT NULL, ${buckets}, PRIMARY KEY (t, k, name)) WITHOUT ROWID`,
    );
    this.sql.exec("CREATE TABLE IF NOT EXISTS history_dropped (t INTEGER PRIMARY KEY, n REAL NOT NULL)");
    for (const row of this.sql.exec<Row>("SELECT id, body FROM series")) {
      const series = JSON.parse(row.body) as Series;
      this.table.byId.set(row.id, series);
    }
    const dropped = this.sql.exec<{ v: number }>("SELECT v FROM meta WHERE k = 'dropped'").toArray()[0];
    this.table.dropped = dropped?.v ?? 0;
  }

  /** One isolate's deltas: merged into the sums, the changed rows written in one transaction. */
  push(batch: Batch): number {
    const list = Array.isArray(batch?.series) ? batch.series : [];
    const before = this.table.dropped;
    this.ctx.storage.transactionSync(() => {
      for (const delta of list) {
        const stored = this.table.add(delta);
        if (stored) this.sql.exec("INSERT OR REPLACE INTO series (id, body) VALUES (?, ?)", seriesId(stored.f, stored.l), JSON.stringify(stored));
      }
      if (this.table.dropped !== before) this.sql.exec("INSERT OR REPLACE INTO meta (k, v) VALUES ('dropped', ?)", this.table.dropped);
      this.addHistory(batch, Date.now());
    });
    return list.length;
  }

  /** The history rows with `from <= t < to` (unix s), for a read that sums every shard's. */
  history(from: number, to: number): StoredHistory {
    const rows: HistoryRow[] = [];
    const columns = ["t", "k", "name", "req", "err", ...BUCKET_COLUMNS].join(", ");
    for (const r of this.sql.exec(`SELECT ${columns} FROM history WHERE t >= ? AND t < ?`, from, to).raw()) {
      const [t, k, name, ...n] = r;
      rows.push({ t: Number(t), k: Number(k) === SERVICE ? SERVICE : ROUTER, name: String(name), n: n.map(Number) });
    }
    const dropped = this.sql.exec<{ n: number | null }>("SELECT SUM(n) AS n FROM history_dropped WHERE t >= ? AND t < ?", from, to).one().n;
    return { rows, dropped: dropped ?? 0 };
  }

  /**
   * Adds the batch into the slot of `nowMs` and deletes the slots older than an hour, so the table
   * holds at most HISTORY_SECONDS / SLOT_SECONDS + 1 slots of at most SLOT_MAX_NAMES rows.
   */
  private addHistory(batch: Batch, nowMs: number): void {
    const t = slotOf(nowMs);
    const rows = historyRows(batch, t);
    if (rows.length === 0) return;
    const { rows: kept, dropped } = admitted(rows, this.slotNames(t));
    for (const row of kept) this.sql.exec(UPSERT_SLOT, row.t, row.k, row.name, ...row.n);
    if (dropped > 0) this.sql.exec("INSERT INTO history_dropped (t, n) VALUES (?, ?) ON CONFLICT (t) DO UPDATE SET n = n + excluded.n", t, dropped);
    // Once per slot per object instance: nothing else gets old within a slot.
    if (this.prunedAt === t) return;
    const oldest = t - HISTORY_SECONDS;
    this.sql.exec("DELETE FROM history WHERE t < ?", oldest);
    this.sql.exec("DELETE FROM history_dropped WHERE t < ?", oldest);
    this.prunedAt = t;
  }

  /** The names the current slot holds (read from SQLite once per slot per object instance). */
  private slotNames(t: number): Set<string> {
    if (this.slot?.t === t) return this.slot.names;
    const names = new Set<string>();
    for (const r of this.sql.exec<{ k: number; name: string }>("SELECT k, name FROM history WHERE t = ?", t)) names.add(`${r.k}\u0000${r.name}`);
    this.slot = { t, names };
    return names;
  }

  read(): StoredFigures {
    return { series: this.table.series(), dropped: this.table.dropped };
  }
}
