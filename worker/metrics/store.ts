// The metrics store: a Durable Object that sums the deltas isolates flush (push) and answers the
// global figures (read). One object (or one per shard, METRICS_SHARDS) takes one call per isolate
// per flush interval, however many requests those isolates serve. The figures live in memory and
// in SQLite (one row per series), so they survive the object's eviction and restarts.
import { DurableObject } from "cloudflare:workers";
import { SeriesTable, seriesId, STORE_MAX_SERIES, type Batch, type Series, type StoredFigures } from "./series.ts";

/** The binding isolates flush through (wrangler.toml METRICS). */
export interface MetricsBinding {
  readonly METRICS?: DurableObjectNamespace<MetricsStore>;
}

interface Row extends Record<string, SqlStorageValue> {
  id: string;
  body: string;
}

export class MetricsStore extends DurableObject<object> {
  private readonly table = new SeriesTable(STORE_MAX_SERIES);
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: object) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec("CREATE TABLE IF NOT EXISTS series (id TEXT PRIMARY KEY, body TEXT NOT NULL)");
    this.sql.exec("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v REAL NOT NULL)");
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
    });
    return list.length;
  }

  read(): StoredFigures {
    return { series: this.table.series(), dropped: this.table.dropped };
  }
}
