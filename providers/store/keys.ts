// Where published config lives in KV. One layout for the writer (the ConfigStore Durable Object),
// the readers (KvProvider), the CLI and the docs:
//
//   config/version    {"version":N,"key":"config/v/N","sha256":"<hex of the snapshot text>"}
//   config/v/<N>-<h>  the canonical JSON of version N, <h> the first 16 hex digits of its sha256;
//                     immutable: a key names exactly one content, so edge caches can keep it for a day
//                     even if two writers (the store, `switchyard push --kv`) ever pick the same N
//   config/v/<N>-<h>.facts.<r>
//                     its load facts (worker/compile/facts.ts) as build <r> made them, named by the
//                     version key's "facts"; a new build's facts get a new key (edge caches keep keys)
//
// A prefix (default none) lets several stores share one namespace; tests use it to stay apart.

export const KEY_ROOT = "config/";
export const VERSION_KEY = `${KEY_ROOT}version`;
export const SNAPSHOT_KEY_PREFIX = `${KEY_ROOT}v/`;

export interface KeyLayout {
  readonly prefix: string;
  /** The one small, mutable key that names the newest published version. */
  readonly versionKey: string;
  /** The immutable snapshot key of one version with this content. */
  snapshotKey(version: number, sha256: string): string;
}

export function snapshotKey(version: number, sha256: string, prefix = ""): string {
  return `${prefix}${SNAPSHOT_KEY_PREFIX}${version}-${sha256.slice(0, 16)}`;
}

/** Where a snapshot's load facts made by build `revision` live, beside it. */
export function factsKey(snapshot: string, revision: string): string {
  return `${snapshot}.facts.${revision}`;
}

export function keyLayout(prefix = ""): KeyLayout {
  return {
    prefix,
    versionKey: `${prefix}${VERSION_KEY}`,
    snapshotKey: (version, sha256) => snapshotKey(version, sha256, prefix),
  };
}

export const DEFAULT_KEYS: KeyLayout = keyLayout();
