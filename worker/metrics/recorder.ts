// One isolate's metrics since its last flush, recorded on the hot path: a few Map lookups and a
// search over 4 buckets per request, no I/O. Cells are found by the router's (or service's) label,
// a string made once per snapshot whose hash V8 keeps, then by code, method and protocol joined
// into one short key: one string built and hashed per request, not one per metric. `take()` hands the deltas to the
// flusher and starts afresh; `restore()` puts back a batch whose flush failed. Memory is bounded by
// `maxSeries`; what does not fit is counted, not kept.
import { BUCKETS, ENTRYPOINT, FAMILIES, type Family } from "./families.ts";
import { seriesId, type Batch, type Series } from "./series.ts";

/** One request, its labels already resolved (request.ts). */
export interface RequestSample {
  readonly code: string;
  readonly method: string;
  readonly protocol: string;
  /** null: no router matched (only the entry point counts it). */
  readonly router: string | null;
  /** The router's service, as Traefik labels router metrics. */
  readonly routerService: string;
  /** router and routerService joined, made once per snapshot (request.ts): the router cells' key. */
  readonly routerKey: string;
  /** The service that answered, for the service metrics (null: none did). */
  readonly service: string | null;
  readonly seconds: number;
  readonly serviceSeconds: number;
  readonly retries: number;
}

/** A histogram and its twin counter: same labels, so one cell holds both. */
interface Cell {
  readonly labels: string[];
  count: number;
  sum: number;
  readonly buckets: number[];
}

export const DEFAULT_MAX_SERIES = 2_000;

export class Recorder {
  private entry = new Map<string, Cell>();
  private router = new Map<string, Map<string, Cell>>();
  private service = new Map<string, Map<string, Cell>>();
  private retries = new Map<string, number>();
  private gauges = new Map<string, Series>();
  private reloads = 0;
  private lastReloadSuccess = 0;
  private dropped = 0;
  private size = 0;
  private readonly maxSeries: number;

  constructor(maxSeries = DEFAULT_MAX_SERIES) {
    this.maxSeries = maxSeries;
  }

  /** The hot path. */
  request(s: RequestSample): void {
    const head = `${s.code}\u0000${s.method}\u0000${s.protocol}`;
    this.observe(this.entry, head, s.seconds, s, ENTRY);
    if (s.router === null) return;
    this.observe(inner(this.router, s.routerKey), head, s.seconds, s, ROUTER);
    if (s.service === null) return;
    this.observe(inner(this.service, s.service), head, s.serviceSeconds, s, SERVICE);
    if (s.retries > 0) this.count(this.retries, s.service, s.retries);
  }

  /** A config reload this isolate tried: Traefik counts every one; success stamps the gauge (seconds). */
  reload(ok: boolean, nowMs: number): void {
    this.reloads++;
    if (ok) this.lastReloadSuccess = Math.max(this.lastReloadSuccess, nowMs / 1000);
  }

  /** traefik_service_server_up for one server of a health-checked service, as this isolate sees it. */
  serverUp(service: string, url: string, up: boolean, nowMs: number): void {
    const l = [service, url];
    const id = seriesId(FAMILIES.serviceServerUp.name, l);
    if (!this.gauges.has(id) && !this.room()) return;
    this.gauges.set(id, { f: FAMILIES.serviceServerUp.name, l, v: up ? 1 : 0, at: nowMs });
  }

  /** Whether anything was recorded since the last take. */
  get empty(): boolean {
    return this.size === 0 && this.reloads === 0 && this.dropped === 0;
  }

  /** The deltas since the last take, as a batch; the recorder starts afresh. */
  take(): Batch {
    const series: Series[] = [];
    for (const c of this.entry.values()) twins(series, FAMILIES.entryPointRequests, FAMILIES.entryPointDuration, c);
    for (const cells of this.router.values()) for (const c of cells.values()) twins(series, FAMILIES.routerRequests, FAMILIES.routerDuration, c);
    for (const cells of this.service.values()) for (const c of cells.values()) twins(series, FAMILIES.serviceRequests, FAMILIES.serviceDuration, c);
    for (const [service, v] of this.retries) series.push({ f: FAMILIES.serviceRetries.name, l: [service], v });
    series.push(...this.gauges.values());
    if (this.reloads > 0) series.push({ f: FAMILIES.configReloads.name, l: [], v: this.reloads });
    if (this.lastReloadSuccess > 0) series.push({ f: FAMILIES.configLastReloadSuccess.name, l: [], v: this.lastReloadSuccess });
    if (this.dropped > 0) series.push({ f: FAMILIES.droppedSeries.name, l: [], v: this.dropped });
    this.reset();
    return { series };
  }

  /** Puts back a batch that could not be delivered (the next flush sends it with what came since). */
  restore(batch: Batch): void {
    for (const x of batch.series) this.restoreOne(x);
  }

  private restoreOne(x: Series): void {
    const f = x.f;
    const F = FAMILIES;
    if (f === F.entryPointDuration.name) this.addCell(this.entry, x);
    else if (f === F.routerDuration.name) this.addCell(inner(this.router, `${x.l[3]}\u0000${x.l[4]}`), x);
    else if (f === F.serviceDuration.name) this.addCell(inner(this.service, x.l[3]!), x);
    else if (f === F.serviceRetries.name) this.count(this.retries, x.l[0]!, x.v);
    else if (f === F.serviceServerUp.name) this.serverUp(x.l[0]!, x.l[1]!, x.v === 1, Math.max(x.at ?? 0, 0));
    else if (f === F.configReloads.name) this.reloads += x.v;
    else if (f === F.configLastReloadSuccess.name) this.lastReloadSuccess = Math.max(this.lastReloadSuccess, x.v);
    else if (f === F.droppedSeries.name) this.dropped += x.v;
    // The *_requests_total twins are rebuilt from their histogram by take().
  }

  private addCell(map: Map<string, Cell>, x: Series): void {
    const key = x.l.slice(0, 3).join("\u0000");
    let cell = map.get(key);
    if (!cell) {
      if (!this.room(x.v)) return;
      map.set(key, (cell = { labels: [...x.l], count: 0, sum: 0, buckets: BUCKETS.map(() => 0) }));
    }
    cell.count += x.v;
    cell.sum += x.s ?? 0;
    for (let i = 0; i < cell.buckets.length; i++) cell.buckets[i]! += x.b?.[i] ?? 0;
  }

  private observe(map: Map<string, Cell>, key: string, seconds: number, s: RequestSample, level: Level): void {
    let cell = map.get(key);
    if (cell === undefined) {
      if (!this.room()) return;
      map.set(key, (cell = { labels: labelsOf(s, level), count: 0, sum: 0, buckets: BUCKETS.map(() => 0) }));
    }
    cell.count++;
    cell.sum += seconds;
    // Traefik's buckets are upper bounds (le): the first bucket the observation fits in.
    const buckets = cell.buckets;
    for (let i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]!) {
        buckets[i]!++;
        break;
      }
    }
  }

  private count(map: Map<string, number>, key: string, n: number): void {
    const known = map.get(key);
    if (known !== undefined) map.set(key, known + n);
    else if (this.room(n)) map.set(key, n);
  }

  /** Takes a slot for a new series, or counts `lost` observations as dropped. */
  private room(lost = 1): boolean {
    if (this.size < this.maxSeries) {
      this.size++;
      return true;
    }
    this.dropped += lost;
    return false;
  }

  private reset(): void {
    this.entry = new Map();
    this.router = new Map();
    this.service = new Map();
    this.retries = new Map();
    this.gauges = new Map();
    this.reloads = 0;
    this.lastReloadSuccess = 0;
    this.dropped = 0;
    this.size = 0;
  }
}

/** The cells under one router or service label. */
function inner(map: Map<string, Map<string, Cell>>, key: string): Map<string, Cell> {
  let cells = map.get(key);
  if (cells === undefined) map.set(key, (cells = new Map()));
  return cells;
}

const ENTRY = 0;
const ROUTER = 1;
const SERVICE = 2;
type Level = typeof ENTRY | typeof ROUTER | typeof SERVICE;

/** A new cell's label values, in its families' label order (families.ts). */
function labelsOf(s: RequestSample, level: Level): string[] {
  if (level === ENTRY) return [s.code, s.method, s.protocol, ENTRYPOINT];
  if (level === ROUTER) return [s.code, s.method, s.protocol, s.router ?? "", s.routerService];
  return [s.code, s.method, s.protocol, s.service ?? ""];
}

/** A cell as its counter and its histogram. */
function twins(out: Series[], counter: Family, histogram: Family, c: Cell): void {
  out.push({ f: counter.name, l: c.labels, v: c.count });
  out.push({ f: histogram.name, l: c.labels, v: c.count, s: c.sum, b: [...c.buckets] });
}
