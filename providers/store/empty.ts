// What the store knows about a stored version's routers: whether a write would wipe them (see
// worker/config/empty.ts), and the allowEmpty mark on the refs it publishes. The store admits a
// version without routers only when nothing is lost or the writer said so, so every such version
// it publishes is marked: isolates take it even when they serve routers (raw KV writes are not).
import { routerCount } from "../../worker/config/index.ts";
import type { VersionRef } from "../types.ts";
import type { KeyLayout } from "./keys.ts";
import type { StoredRow } from "./sql.ts";

// By content hash: a version's count never changes. Asked on each write and each versionRef (every
// poll of every isolate in durable-object mode), so the newest version's JSON is parsed once.
const counts = new Map<string, number>();
const MAX_CACHED = 8;

export function storedRouterCount(row: StoredRow): number {
  const cached = counts.get(row.record.sha256);
  if (cached !== undefined) return cached;
  const count = routerCount(JSON.parse(row.canonical) as unknown);
  if (counts.size >= MAX_CACHED) counts.delete(counts.keys().next().value!);
  counts.set(row.record.sha256, count);
  return count;
}

/** The ref the store publishes for a stored version. */
export function storedRef(keys: KeyLayout, row: StoredRow): VersionRef {
  const { version, sha256 } = row.record;
  const ref = { version, key: keys.snapshotKey(version, sha256), sha256 };
  return storedRouterCount(row) === 0 ? { ...ref, allowEmpty: true } : ref;
}
