// The KV provider: what every isolate polls. One small read of the version key per poll (cached
// at the edge for `versionCacheTtl` seconds), and one read of an immutable snapshot per new version.
// The ConfigStore Durable Object is the only writer: snapshot key first, version key last.
import { DEFAULT_KEYS, type KeyLayout } from "./store/keys.ts";
import { parseVersionRef, verifySnapshot } from "./store/ref.ts";
import type { Decode, Loaded, Provider, VersionRef } from "./types.ts";

export { DEFAULT_KEYS, KEY_ROOT, SNAPSHOT_KEY_PREFIX, VERSION_KEY, keyLayout, snapshotKey, type KeyLayout } from "./store/keys.ts";

/**
 * Cloudflare KV's smallest cacheTtl, in seconds (a smaller one makes the read fail): 30 since
 * Cloudflare's KV changelog of 2026-01-20 (it was 60), as miniflare enforces it locally. KV's
 * default cacheTtl stays 60, so it is always passed.
 */
export const KV_MIN_CACHE_TTL = 30;
/** Snapshots never change once written, so the edge may keep them for a day. */
export const SNAPSHOT_CACHE_TTL = 86_400;

/** The reads KvProvider makes; a KVNamespace binding is one (tests wrap it to count reads). */
export interface KvReader {
  get(key: string, options: { type: "json"; cacheTtl?: number }): Promise<unknown>;
  get(key: string, options: { type: "text"; cacheTtl?: number }): Promise<string | null>;
}

export interface KvProviderOptions {
  /** Snapshot text → config (the store publishes JSON; one written by hand may be YAML or TOML). */
  readonly decode: Decode;
  readonly keys?: KeyLayout;
  /** Seconds the edge may cache the version key: how stale a poll can be. Default and minimum: 30. */
  readonly versionCacheTtl?: number;
  /** Seconds the edge may cache a snapshot. Default 86400. */
  readonly snapshotCacheTtl?: number;
}

export class KvProvider implements Provider {
  readonly name = "kv";
  private readonly kv: KvReader;
  private readonly keys: KeyLayout;
  private readonly versionCacheTtl: number;
  private readonly snapshotCacheTtl: number;
  private readonly decode: Decode;

  constructor(kv: KvReader, options: KvProviderOptions) {
    this.kv = kv;
    this.decode = options.decode;
    this.keys = options.keys ?? DEFAULT_KEYS;
    this.versionCacheTtl = cacheTtl("versionCacheTtl", options.versionCacheTtl ?? KV_MIN_CACHE_TTL);
    this.snapshotCacheTtl = cacheTtl("snapshotCacheTtl", options.snapshotCacheTtl ?? SNAPSHOT_CACHE_TTL);
  }

  /** One KV read. Null when nothing is published; throws when the version key holds garbage. */
  async version(): Promise<VersionRef | null> {
    const key = this.keys.versionKey;
    let value: unknown;
    try {
      value = await this.kv.get(key, { type: "json", cacheTtl: this.versionCacheTtl });
    } catch (err) {
      const why = err instanceof SyntaxError ? "is not valid JSON" : "could not be read";
      throw new Error(`KV ${key} ${why}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return value === null ? null : parseVersionRef(value, `KV ${key}`);
  }

  /**
   * One KV read, two in parallel when the ref names load facts; the problem when the snapshot is
   * missing or its hash is wrong. Facts that cannot be read are no facts (the listener validates).
   */
  async load(ref: VersionRef): Promise<Loaded> {
    const options = { type: "text", cacheTtl: this.snapshotCacheTtl } as const;
    const facts = ref.facts === undefined ? Promise.resolve(null) : this.kv.get(ref.facts, options).catch(() => null);
    const [text, factsText] = await Promise.all([this.kv.get(ref.key, options), facts]);
    return verifySnapshot(ref, text, this.name, this.decode, factsText);
  }
}

function cacheTtl(name: string, seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < KV_MIN_CACHE_TTL) {
    throw new RangeError(`KvProvider ${name} must be a whole number of seconds >= ${KV_MIN_CACHE_TTL}, got ${seconds}`);
  }
  return seconds;
}
