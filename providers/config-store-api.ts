// The config-store Durable Object's RPC surface: what the admin API (and tests) call on its stub.
import type { FleetReport, FleetStatus } from "./store/fleet.ts";
import type { ShadowState } from "./store/shadow.ts";
import type { CreateTokenResult, TokenRecord } from "./store/tokens.ts";
import type { VersionRef } from "./types.ts";

/**
 * A problem with a write, at a JSON path (`http.routers.r.rule`, `""` for the whole config). The
 * shape of worker/config's ConfigIssue, declared here because providers/ does not import the config
 * model: the admission check's issues pass through unchanged.
 */
export interface StoreIssue {
  path: string;
  message: string;
  severity: "error" | "warning";
}

export interface PutRequest {
  /** Parsed config (the admin API parses YAML/TOML/JSON bodies); validated again here. */
  readonly config: unknown;
  /** Compare-and-set: the version this write was based on; refused (412) when it is not the newest. */
  readonly ifMatch?: number;
  /** Admit a config without routers over one that has some (refused with 409 otherwise). */
  readonly allowEmpty?: boolean;
  /** Who wrote it: the admin token's name (worker/admin/auth.ts). */
  readonly author?: string;
  /** A display note on the author (the X-Switchyard-Author header): what the writer says, not who it is. */
  readonly authorNote?: string;
  readonly message?: string;
}

export interface VersionRecord {
  readonly version: number;
  readonly sha256: string;
  /** The name of the admin token that wrote it ("admin", "ci"...). */
  readonly author: string;
  /** What the writer said about itself (X-Switchyard-Author), when it said something. */
  readonly authorNote?: string;
  readonly message: string;
  /** ISO 8601. */
  readonly createdAt: string;
  /** Set when this version was made by rolling back to an older one. */
  readonly rollbackOf?: number;
}

export type WriteResult =
  | { ok: true; record: VersionRecord; warnings: StoreIssue[] }
  | { ok: false; status: 400; errors: StoreIssue[] }
  | { ok: false; status: 404; message: string }
  | { ok: false; status: 412; current: number | null; message: string }
  /** The write conflicts with what is stored: it would remove every router, or no version is left. */
  | { ok: false; status: 409; current: number | null; message: string };

/** What a write of the config would meet, without writing it (ConfigStoreApi.validate). */
export type ValidateResult =
  | { ok: true; warnings: StoreIssue[]; routers: number; sha256: string; wouldWipe: string | null }
  | { ok: false; errors: StoreIssue[]; warnings: StoreIssue[] };

export interface StoredConfig {
  readonly record: VersionRecord;
  /** The canonical JSON text as stored and published. */
  readonly canonical: string;
  /** Its load facts (JSON text), only when asked for (get's withFacts) and stored. */
  readonly facts?: string;
}

export interface SectionDiff {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: string[];
}

export interface ConfigDiff {
  readonly from: number;
  readonly to: number;
  readonly routers: SectionDiff;
  readonly services: SectionDiff;
  readonly middlewares: SectionDiff;
  readonly serversTransports: SectionDiff;
}

export interface PublishState {
  /** Newest version whose version key is in KV. */
  readonly published: number | null;
  /** Newest committed version (published lags it while KV is failing or rate-limited). */
  readonly latest: number | null;
  readonly lastError: { readonly at: string; readonly message: string } | null;
}

export interface ConfigStoreApi {
  put(request: PutRequest): Promise<WriteResult>;
  /**
   * The admission a put runs (schema, references, compile dry run, size bound), storing nothing:
   * for editors that validate as one types. `wouldWipe`: why a put of it would be refused (409)
   * over the newest version without allowEmpty, or null.
   */
  validate(config: unknown): Promise<ValidateResult>;
  /** Newest version, or a given one while it is retained. */
  get(version?: number, withFacts?: boolean): Promise<StoredConfig | null>;
  /** Newest first. */
  history(limit?: number): Promise<VersionRecord[]>;
  rollback(to: number, options?: { ifMatch?: number; allowEmpty?: boolean; author?: string; authorNote?: string; message?: string }): Promise<WriteResult>;
  diff(from: number, to: number): Promise<ConfigDiff | { error: string }>;
  /** The strongly consistent version (no KV in between), for the "durable-object" watcher source. */
  versionRef(): Promise<VersionRef | null>;
  publishState(): Promise<PublishState>;
  /** One isolate's state (worker/fleet/reporter.ts sends it in ctx.waitUntil); checked, bounded, kept per isolate. */
  report(report: FleetReport): Promise<{ ok: true } | { ok: false; error: string }>;
  /** Every isolate's last report, summed up: <base>/status/fleet. */
  fleet(): Promise<FleetStatus>;
  /** Stores a token by its hash (the admin API makes the token and shows it once; the store never sees it). */
  createToken(token: { name: string; scopes: string[]; hash: string }): Promise<CreateTokenResult>;
  /** Every stored token, by name, without hashes. */
  tokens(): Promise<TokenRecord[]>;
  /** The token whose SHA-256 this is, or null. */
  tokenByHash(hash: string): Promise<TokenRecord | null>;
  /** True when a token of that name was stored (and is gone now). */
  revokeToken(name: string): Promise<boolean>;
  /** Admits a candidate as a put would, keeps it (not as a version) and publishes it to KV's shadow keys. */
  startShadow(request: ShadowRequest): Promise<ShadowResult>;
  /** The running candidate and its summed routing diff. */
  shadow(): Promise<ShadowState>;
  /** Ends it; answers its last state. */
  stopShadow(): Promise<ShadowState>;
  /** One isolate's counts for the running candidate (a stale candidate's are dropped: `kept` false). */
  shadowReport(report: unknown): Promise<{ ok: true; kept: boolean } | { ok: false; error: string }>;
}

export interface ShadowRequest {
  readonly config: unknown;
  /** 0 < rate <= 1; default DEFAULT_SAMPLE_RATE (1 %). */
  readonly sampleRate?: number;
  readonly author?: string;
}

export type ShadowResult =
  | { ok: true; shadow: ShadowState; warnings: StoreIssue[] }
  | { ok: false; status: 400; errors: StoreIssue[] }
  | { ok: false; status: 503; message: string };

/** The one config-store object every writer talks to (a single writer serializes every write). */
export const CONFIG_STORE_NAME = "switchyard-config";
