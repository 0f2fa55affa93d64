// The config-store Durable Object: the single writer of config. It admits a config through the
// Admission it is handed (the Worker's: schema, references and a compile dry run; see
// worker/store-admission.ts), versions, keeps history in SQLite, refuses stale writes
// (compare-and-set) and publishes each new version to KV for the isolates to poll.
//
// Concurrency: a write's check-compare-insert section makes no await, and SQLite calls are
// synchronous, so concurrent RPCs cannot interleave inside it. Publishing to KV happens after, in
// one loop at a time (see store/publish.ts); a write is durable before KV sees it.
import { DurableObject } from "cloudflare:workers";
import type {
  ConfigDiff,
  ConfigStoreApi,
  PublishState,
  PutRequest,
  ShadowRequest,
  ShadowResult,
  StoredConfig,
  StoreIssue,
  ValidateResult,
  VersionRecord,
  WriteResult,
} from "./config-store-api.ts";
import type { Admission } from "./store/admission.ts";
import { diffConfigs } from "./store/diff.ts";
import { summarizeFleet, type FleetStatus } from "./store/fleet.ts";
import { checkReport } from "./store/fleet-report.ts";
import { DEFAULT_FLEET_LIMIT, FleetTable } from "./store/fleet-table.ts";
import { cachedRouterCount, storedRef, type StoredRouterCount } from "./store/empty.ts";
import { sha256Hex } from "./store/hash.ts";
import { DEFAULT_KEYS, type KeyLayout } from "./store/keys.ts";
import { Publisher, type KvWriter } from "./store/publish.ts";
import { migrate, PublishMeta, VersionsTable, type StoredRow } from "./store/sql.ts";
import { checkShadowReport, DEFAULT_SAMPLE_RATE, shadowPointerKey, shadowSnapshotKey, ShadowTable, type ShadowState } from "./store/shadow.ts";
import { TokensTable, type CreateTokenResult, type TokenRecord } from "./store/tokens.ts";
import { isVersion, MAX_VERSION, nextVersion } from "./store/version.ts";
import type { VersionRef } from "./types.ts";

export { CONFIG_STORE_NAME } from "./config-store-api.ts";

/** The bindings the object reads (a narrow view of the Worker's Env). */
export interface ConfigStoreEnv {
  readonly CONFIG_KV: KVNamespace;
  /** How many versions history keeps (the newest is always kept). Default 100. */
  readonly HISTORY_LIMIT?: string;
}

/** The binding of the object's namespace, for the code that makes stubs (the admin API, the runtime). */
export interface ConfigStoreBinding {
  readonly CONFIG_STORE: DurableObjectNamespace<ConfigStoreObject>;
}

export const DEFAULT_HISTORY_LIMIT = 100;
export const MAX_HISTORY_PAGE = 1_000;

/** What the object depends on besides SQLite. Plain fields, not RPC methods: tests swap them via runInDurableObject. */
export interface StoreSeams {
  kv: KvWriter;
  /**
   * The version KV's version key names now (unchecked: it may have been written by hand), so a
   * version published with `push --kv` is not reused. nextVersion decides whether to follow it.
   */
  publishedInKv: () => Promise<unknown>;
  keys: KeyLayout;
  now: () => number;
  historyLimit: number;
  /** How many isolates the fleet table keeps at most (the longest silent go first). */
  fleetLimit: number;
}

/** PublishState plus how the next attempt is scheduled. */
export interface PublishStatus extends PublishState {
  readonly failures?: number;
  /** When the version key was last written or a write was attempted (ms since the epoch). */
  readonly lastVersionWriteAt?: number | null;
  /** After a failure: the earliest retry (ms since the epoch). */
  readonly nextAttemptAt?: number | null;
}

export interface WriteOptions {
  readonly ifMatch?: number;
  readonly allowEmpty?: boolean;
  readonly author?: string;
  readonly authorNote?: string;
  readonly message?: string;
}

interface Entry {
  readonly canonical: string;
  /** How many routers it has: 0 over a version with routers needs allowEmpty. */
  readonly routers: number;
  readonly sha256: string;
  readonly rollbackOf: number | null;
  readonly facts: string | null;
}

/** Whether the newest version's load facts were found to be this build's (checked once per object). */
type FactsCheck = "unchecked" | "checked";

/**
 * The object without its admission check: the runtime constructs a Durable Object with (ctx, env)
 * only, so the entry exports a subclass that passes one (worker/store-admission.ts ConfigStore).
 */
export class ConfigStoreObject extends DurableObject<ConfigStoreEnv> implements ConfigStoreApi {
  seams: StoreSeams;
  private readonly versions: VersionsTable;
  private readonly meta: PublishMeta;
  private readonly publisher: Publisher;
  private readonly admission: Admission;
  private readonly routers: StoredRouterCount;
  private readonly fleetReports: FleetTable;
  private readonly storedTokens: TokensTable;
  private readonly shadows: ShadowTable;
  private factsCheck: FactsCheck = "unchecked";

  constructor(ctx: DurableObjectState, env: ConfigStoreEnv, admission: Admission) {
    super(ctx, env);
    this.admission = admission;
    this.routers = cachedRouterCount((canonical) => admission.routers(canonical));
    // Synchronous, so it completes before any request is delivered (no blockConcurrencyWhile needed).
    migrate(ctx.storage.sql);
    this.versions = new VersionsTable(ctx.storage.sql);
    this.meta = new PublishMeta(ctx.storage.sql);
    this.fleetReports = new FleetTable(ctx.storage.sql);
    this.storedTokens = new TokensTable(ctx.storage.sql);
    this.shadows = new ShadowTable(ctx.storage.sql);
    this.repair();
    this.seams = {
      kv: env.CONFIG_KV,
      publishedInKv: () => kvVersion(env.CONFIG_KV, this.seams.keys.versionKey),
      keys: DEFAULT_KEYS,
      now: () => Date.now(),
      historyLimit: parseHistoryLimit(env.HISTORY_LIMIT),
      fleetLimit: DEFAULT_FLEET_LIMIT,
    };
    this.publisher = new Publisher({
      versions: this.versions,
      meta: this.meta,
      target: () => ({ kv: this.seams.kv, keys: this.seams.keys }),
      now: () => this.seams.now(),
      wakeAt: (at) => this.wakeAt(at),
      routers: this.routers,
    });
  }

  async put(request: PutRequest): Promise<WriteResult> {
    const bad = argumentIssues({ ifMatch: request.ifMatch });
    if (bad.length > 0) return { ok: false, status: 400, errors: bad };
    const admitted = this.admission.admit(request.config);
    if (!admitted.ok) return { ok: false, status: 400, errors: admitted.error };
    const checked = admitted.value;
    const sha256 = await sha256Hex(checked.canonical);
    const entry = { canonical: checked.canonical, routers: checked.routers, sha256, rollbackOf: null, facts: checked.facts?.(sha256) ?? null };
    return this.write(entry, request, checked.warnings);
  }

  async validate(config: unknown): Promise<ValidateResult> {
    const admitted = this.admission.admit(config);
    if (!admitted.ok) return { ok: false, errors: admitted.error, warnings: [] };
    const { canonical, routers, warnings } = admitted.value;
    const newest = this.newestRow();
    const current = newest ? this.routers(newest) : null;
    const wouldWipe = this.admission.wipeRefusal(current, routers, false, newest ? `version ${newest.record.version}` : undefined);
    return { ok: true, warnings, routers, sha256: await sha256Hex(canonical), wouldWipe };
  }

  async rollback(to: number, options: WriteOptions = {}): Promise<WriteResult> {
    const bad = argumentIssues({ version: to, ifMatch: options.ifMatch });
    if (bad.length > 0) return { ok: false, status: 400, errors: bad };
    const target = this.versions.get(to);
    if (!target) return { ok: false, status: 404, message: `version ${to} is not in the retained history` };
    // Re-checked: this build must still be able to serve it.
    const admitted = this.admission.admit(JSON.parse(target.canonical));
    if (!admitted.ok) return { ok: false, status: 400, errors: admitted.error };
    const checked = admitted.value;
    const same = checked.canonical === target.canonical;
    const sha256 = same ? target.record.sha256 : await sha256Hex(checked.canonical);
    const request = { ...options, message: options.message || `rollback to version ${to}` };
    const entry = { canonical: checked.canonical, routers: checked.routers, sha256, rollbackOf: to, facts: checked.facts?.(sha256) ?? null };
    return this.write(entry, request, checked.warnings);
  }

  async get(version?: number, withFacts = false): Promise<StoredConfig | null> {
    await this.freshFacts();
    const wanted = version ?? this.versions.newest();
    const row = wanted === null ? null : this.versions.get(wanted);
    if (!row) return null;
    const stored = { record: row.record, canonical: row.canonical };
    return withFacts && row.facts !== null ? { ...stored, facts: row.facts } : stored;
  }

  /** Newest first; without a limit, everything retained. */
  async history(limit?: number): Promise<VersionRecord[]> {
    const wanted = limit !== undefined && Number.isInteger(limit) && limit > 0 ? limit : this.seams.historyLimit;
    const n = Math.min(wanted, MAX_HISTORY_PAGE);
    return this.versions.list(n);
  }

  async diff(from: number, to: number): Promise<ConfigDiff | { error: string }> {
    const a = this.versions.get(from);
    const b = this.versions.get(to);
    const missing = [a ? null : from, b ? null : to].filter((v) => v !== null);
    if (!a || !b) return { error: `version ${missing.join(" and ")} is not in the retained history` };
    return diffConfigs({ version: from, canonical: a.canonical }, { version: to, canonical: b.canonical });
  }

  async versionRef(): Promise<VersionRef | null> {
    await this.freshFacts();
    const row = this.newestRow();
    return row ? storedRef(this.seams.keys, row, this.routers) : null;
  }

  async publishState(): Promise<PublishStatus> {
    const state = this.meta.read();
    return {
      published: state.published,
      latest: this.versions.newest(),
      lastError: state.lastError,
      failures: state.failures,
      lastVersionWriteAt: state.lastVersionWriteAt,
      nextAttemptAt: state.nextAttemptAt,
    };
  }

  async report(raw: unknown): Promise<{ ok: true } | { ok: false; error: string }> {
    await this.freshFacts();
    const checked = checkReport(raw);
    if (!checked.ok) return checked;
    this.fleetReports.record(checked.value, this.seams.now(), this.seams.fleetLimit);
    return { ok: true };
  }

  async fleet(): Promise<FleetStatus> {
    const now = this.seams.now();
    const context = { now, storeVersion: this.versions.newest(), supersededAt: (v: number) => this.versions.createdAfter(v) };
    return summarizeFleet(this.fleetReports.list(now), context);
  }

  /**
   * After a deploy the newest version's load facts are another build's, which isolates do not
   * trust (they validate in full): remade with this build and published again (a new KV key), on
   * the first call the object gets (an isolate's fleet report, a poll, an admin read). A version
   * this build no longer admits keeps its old facts; the isolates refuse it as the store would.
   */
  private async freshFacts(): Promise<void> {
    if (this.factsCheck === "checked") return;
    this.factsCheck = "checked";
    const row = this.newestRow();
    const revision = this.admission.revision;
    if (!row || revision === undefined || row.factsRevision === revision) return;
    const admitted = this.admission.admit(JSON.parse(row.canonical));
    if (!admitted.ok || admitted.value.canonical !== row.canonical) return;
    const facts = admitted.value.facts?.(row.record.sha256);
    if (!facts) return;
    this.versions.setFacts(row.record.version, facts, revision);
    this.meta.republish(row.record.version);
    await this.publisher.publish();
  }

  /** Publishes the newest version not yet in KV (after a rate-limit wait or a failed put). */
  override async alarm(): Promise<void> {
    await this.publisher.publish();
  }

  async createToken(token: { name: string; scopes: string[]; hash: string }): Promise<CreateTokenResult> {
    return this.storedTokens.create(token, new Date(this.seams.now()).toISOString());
  }

  async tokens(): Promise<TokenRecord[]> {
    return this.storedTokens.list();
  }

  async tokenByHash(hash: string): Promise<TokenRecord | null> {
    return typeof hash === "string" ? this.storedTokens.byHash(hash) : null;
  }

  async revokeToken(name: string): Promise<boolean> {
    return typeof name === "string" && this.storedTokens.revoke(name);
  }

  async startShadow(request: ShadowRequest): Promise<ShadowResult> {
    const rate = request.sampleRate ?? DEFAULT_SAMPLE_RATE;
    if (typeof rate !== "number" || !(rate > 0 && rate <= 1)) {
      return { ok: false, status: 400, errors: [{ path: "sampleRate", message: `must be a number above 0 and at most 1, got ${String(rate)}`, severity: "error" }] };
    }
    const admitted = this.admission.admit(request.config);
    if (!admitted.ok) return { ok: false, status: 400, errors: admitted.error };
    const { canonical, warnings } = admitted.value;
    const sha256 = await sha256Hex(canonical);
    const id = crypto.randomUUID();
    const author = typeof request.author === "string" && request.author !== "" ? request.author.slice(0, 200) : "unknown";
    const keys = this.seams.keys;
    try {
      // The text first, the pointer last: an isolate that sees the pointer finds the text.
      await this.seams.kv.put(shadowSnapshotKey(keys, id, sha256), canonical);
      this.shadows.start({ id, sha256, canonical, sampleRate: rate, startedAt: new Date(this.seams.now()).toISOString(), author, basedOn: this.versions.newest() });
      await this.seams.kv.put(shadowPointerKey(keys), JSON.stringify(this.shadows.pointer(keys)));
    } catch (err) {
      return { ok: false, status: 503, message: `could not publish the candidate to KV: ${err instanceof Error ? err.message : String(err)}` };
    }
    return { ok: true, shadow: this.shadows.state(), warnings };
  }

  async shadow(): Promise<ShadowState> {
    return this.shadows.state();
  }

  async stopShadow(): Promise<ShadowState> {
    const last = this.shadows.state();
    this.shadows.stop();
    // Isolates stop sampling when they next read the pointer; reports of the old id are dropped meanwhile.
    try {
      await this.seams.kv.put(shadowPointerKey(this.seams.keys), "{}");
    } catch (err) {
      console.error("shadow: could not clear the pointer in KV (isolates keep sampling, their reports are dropped):", err);
    }
    return last;
  }

  async shadowReport(raw: unknown): Promise<{ ok: true; kept: boolean } | { ok: false; error: string }> {
    const checked = checkShadowReport(raw);
    if (!checked.ok) return checked;
    return { ok: true, kept: this.shadows.add(checked.value) };
  }

  /** Compare-and-set, insert, prune: no await until the version is committed. Then publish. */
  private async write(entry: Entry, options: WriteOptions, warnings: StoreIssue[]): Promise<WriteResult> {
    const inKv = await this.seams.publishedInKv();
    this.repair();
    const refused = this.refuseStale(options.ifMatch) ?? this.refuseWipe(entry.routers, options.allowEmpty === true);
    if (refused) return refused;
    const next = nextVersion(this.versions.newest(), inKv);
    if (next.version === null) {
      return { ok: false, status: 409, current: this.versions.newest(), message: `no version is left after ${MAX_VERSION}` };
    }
    const record = this.versions.insert(next.version, {
      sha256: entry.sha256,
      canonical: entry.canonical,
      rollbackOf: entry.rollbackOf,
      facts: entry.facts,
      factsRevision: entry.facts === null ? null : (this.admission.revision ?? null),
      author: options.author || "unknown",
      authorNote: typeof options.authorNote === "string" && options.authorNote !== "" ? options.authorNote.slice(0, 200) : null,
      message: options.message ?? "",
      createdAt: new Date(this.seams.now()).toISOString(),
    });
    this.versions.prune(this.seams.historyLimit);
    // Durable now; KV failures are recorded in publish state and retried by an alarm.
    await this.publisher.publish();
    const notes = next.ignored === undefined ? warnings : [...warnings, { path: "", message: next.ignored, severity: "warning" as const }];
    return { ok: true, record, warnings: notes };
  }

  /** Rows and publish marks out of the version range (see VersionsTable.repair) are put right. */
  private repair(): void {
    this.versions.repair();
    this.meta.repair();
  }

  private refuseStale(ifMatch: number | undefined): WriteResult | null {
    if (ifMatch === undefined || ifMatch === null) return null;
    const current = this.versions.newest();
    if (ifMatch === (current ?? 0)) return null;
    const now = current === null ? "nothing is stored yet" : `the newest version is ${current}`;
    return { ok: false, status: 412, current, message: `ifMatch ${JSON.stringify(ifMatch)} is stale: ${now}` };
  }

  /** 409 for a config without routers over a newest version that has some, unless allowEmpty. */
  private refuseWipe(routers: number, allowEmpty: boolean): WriteResult | null {
    const newest = this.newestRow();
    const current = newest ? this.routers(newest) : null;
    const why = this.admission.wipeRefusal(current, routers, allowEmpty, newest ? `version ${newest.record.version}` : undefined);
    return why === null ? null : { ok: false, status: 409, current: newest?.record.version ?? null, message: why };
  }

  private newestRow(): StoredRow | null {
    const newest = this.versions.newest();
    return newest === null ? null : this.versions.get(newest);
  }

  /** Makes sure an alarm fires no later than `at` (there is one alarm per object). */
  private async wakeAt(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }
}

/**
 * The version bounds for callers of the RPC methods (the admin API checks first; another Worker
 * with the binding may not): `version` must be a version, `ifMatch` a version or 0 when given.
 */
function argumentIssues(args: { version?: unknown; ifMatch?: unknown }): StoreIssue[] {
  const issues: StoreIssue[] = [];
  if ("version" in args && !isVersion(args.version)) {
    issues.push({ path: "version", message: `must be a whole number from 1 to ${MAX_VERSION}, got ${String(args.version)}`, severity: "error" });
  }
  const { ifMatch } = args;
  if (ifMatch !== undefined && ifMatch !== null && ifMatch !== 0 && !isVersion(ifMatch)) {
    issues.push({ path: "ifMatch", message: `must be a whole number from 0 to ${MAX_VERSION}, got ${String(ifMatch)}`, severity: "error" });
  }
  return issues;
}

/** HISTORY_LIMIT: a whole number >= 1, else the default. */
export function parseHistoryLimit(value: string | undefined): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isInteger(n) && n >= 1 ? n : DEFAULT_HISTORY_LIMIT;
}

/** The version the KV version key names, as found (null when absent or unreadable: the store's own count rules). */
async function kvVersion(kv: KVNamespace, key: string): Promise<unknown> {
  try {
    const ref = await kv.get<{ version?: unknown }>(key, "json");
    return ref?.version ?? null;
  } catch {
    return null;
  }
}
