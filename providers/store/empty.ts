// What the store knows about a stored version's routers: whether a write would wipe them (see
// worker/config/empty.ts), and the allowEmpty mark on the refs it publishes. The store admits a
// version without routers only when nothing is lost or the writer said so, so every such version
// it publishes is marked: isolates take it even when they serve routers (raw KV writes are not).
// Counting routers reads the config, so the count itself is handed in (Admission.routers).
import type { VersionRef } from "../types.ts";
import { factsKey, type KeyLayout } from "./keys.ts";
import type { StoredRow } from "./sql.ts";

/** Routers in a stored version. */
export type StoredRouterCount = (row: StoredRow) => number;

const MAX_CACHED = 8;

/**
 * `count` cached by content hash: a version's count never changes. Asked on each write and each
 * versionRef (every poll of every isolate in durable-object mode), so the newest version's JSON is
 * parsed once.
 */
export function cachedRouterCount(count: (canonical: string) => number): StoredRouterCount {
  const counts = new Map<string, number>();
  return (row) => {
    const cached = counts.get(row.record.sha256);
    if (cached !== undefined) return cached;
    const n = count(row.canonical);
    if (counts.size >= MAX_CACHED) counts.delete(counts.keys().next().value!);
    counts.set(row.record.sha256, n);
    return n;
  };
}

/** The ref the store publishes for a stored version. */
export function storedRef(keys: KeyLayout, row: StoredRow, routers: StoredRouterCount): VersionRef {
  const { version, sha256 } = row.record;
  const key = keys.snapshotKey(version, sha256);
  const ref = { version, key, sha256 };
  const marked = routers(row) === 0 ? { ...ref, allowEmpty: true } : ref;
  const withFacts = row.facts === null ? marked : { ...marked, facts: factsKey(key, row.factsRevision ?? "unknown") };
  return row.signature === null || row.signature === undefined ? withFacts : { ...withFacts, signature: row.signature };
}
