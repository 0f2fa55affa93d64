// What a compile produces: the immutable snapshot the switcher swaps in and the meta it carries.
// Its own file so that the compile's parts (internal.ts: internal services read the snapshot they
// serve) can name it without importing snapshot.ts, which imports them.
import type { ConfigIssue, DynamicConfig } from "../config/index.ts";
import type { Muxer } from "../rules/index.ts";
import type { Handler } from "../services/types.ts";
import type { ServiceEntry } from "./services.ts";

export interface SnapshotMeta {
  readonly version: number;
  readonly sha256: string;
  /** Where the config was read (a KV key, a bundled file). */
  readonly source: string;
  /** Provider name for `name@provider` in the API. */
  readonly provider: string;
  /** Validation warnings (e.g. router fields that do not apply on Workers), shown per item by the API. */
  readonly warnings: readonly ConfigIssue[];
  /**
   * How it was loaded: "facts" (the config store's load facts: neither validated nor compiled
   * here, routes built on first use) or "validated" (in full, in this isolate). Absent: a dry run.
   */
  readonly load?: "facts" | "validated";
}

export interface Snapshot {
  readonly meta: SnapshotMeta;
  readonly config: DynamicConfig;
  readonly muxer: Muxer<Handler>;
  readonly services: ReadonlyMap<string, ServiceEntry>;
  readonly compiledAt: number;
  /**
   * A snapshot from load facts only: what failed to build on first use (a route or service whose
   * config does not fit its facts), each at its path, as the API shows it (the item is disabled).
   * Grows as requests reach such items; at most MAX_FAILURES are kept.
   */
  readonly failures?: readonly ConfigIssue[];
}

/** Failures a snapshot keeps (each item fails once: this bounds a config of many broken ones). */
export const MAX_FAILURES = 1_000;
