// Where published config lives in KV. One layout for the writer (the ConfigStore Durable Object),
// the readers (KvProvider), the CLI and the docs:
//
//   config/version    {"version":N,"key":"config/v/N","sha256":"<hex of the snapshot text>"}
//   config/v/<N>      the canonical JSON of version N; immutable once written
//
// A prefix (default none) lets several stores share one namespace; tests use it to stay apart.

export const KEY_ROOT = "config/";
export const VERSION_KEY = `${KEY_ROOT}version`;
export const SNAPSHOT_KEY_PREFIX = `${KEY_ROOT}v/`;

export interface KeyLayout {
  readonly prefix: string;
  /** The one small, mutable key that names the newest published version. */
  readonly versionKey: string;
  /** The immutable snapshot key of one version. */
  snapshotKey(version: number): string;
}

export function snapshotKey(version: number, prefix = ""): string {
  return `${prefix}${SNAPSHOT_KEY_PREFIX}${version}`;
}

export function keyLayout(prefix = ""): KeyLayout {
  return {
    prefix,
    versionKey: `${prefix}${VERSION_KEY}`,
    snapshotKey: (version) => snapshotKey(version, prefix),
  };
}

export const DEFAULT_KEYS: KeyLayout = keyLayout();
