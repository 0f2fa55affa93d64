// Publishing committed versions to KV. A write is durable once it is in SQLite; KV is a copy that
// may lag. Order per version: snapshot key first, version key last, so a reader that sees the
// version key finds its snapshot. KV takes about one write per second per key, so the version key
// is written at most once a second (attempts count) and always ends on the newest version: a write
// that comes too soon is left to an alarm. A failed put is recorded and retried by an alarm with
// exponential backoff. One publish loop at a time per object.
import { storedRef, type StoredRouterCount } from "./empty.ts";
import { encodeVersionRef } from "./ref.ts";
import type { KeyLayout } from "./keys.ts";
import type { PublishMeta, VersionsTable } from "./sql.ts";

/** The writes publishing makes; a KVNamespace binding is one (tests swap in failing ones). */
export interface KvWriter {
  put(key: string, value: string): Promise<void>;
}

export interface PublishTarget {
  readonly kv: KvWriter;
  readonly keys: KeyLayout;
}

export interface PublisherDeps {
  readonly versions: VersionsTable;
  readonly meta: PublishMeta;
  /** Read on every attempt, so a test can swap the KV binding between attempts. */
  readonly target: () => PublishTarget;
  readonly now: () => number;
  /** Makes sure an alarm fires no later than `at`. */
  readonly wakeAt: (at: number) => Promise<void>;
  /** For the allowEmpty mark on a published ref. */
  readonly routers: StoredRouterCount;
}

/** KV's limit on writes to one key. */
export const VERSION_KEY_MIN_INTERVAL_MS = 1_000;
export const RETRY_BASE_MS = 1_000;
export const RETRY_MAX_MS = 60_000;

type Step = "idle" | "published" | "waiting" | "failed";

export class Publisher {
  private readonly deps: PublisherDeps;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(deps: PublisherDeps) {
    this.deps = deps;
  }

  /**
   * Publishes the newest committed version, or schedules an alarm for when it may. Single flight:
   * a call while a loop runs joins it, and the loop looks again before it ends.
   */
  publish(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop();
    return this.running;
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        this.again = false;
        const step = await this.step();
        // After a failure the backoff alarm carries on; otherwise look again if anything changed.
        if (step === "failed" || (step !== "published" && !this.again)) return;
      }
    } finally {
      // Runs in the same turn as the decision to stop: no caller can join a loop that has ended.
      this.running = null;
    }
  }

  private async step(): Promise<Step> {
    const { versions, meta, now } = this.deps;
    const newest = versions.newest();
    const state = meta.read();
    if (newest === null || state.published === newest) return "idle";
    const notBefore = Math.max(
      (state.lastVersionWriteAt ?? -Infinity) + VERSION_KEY_MIN_INTERVAL_MS,
      state.failures > 0 ? (state.nextAttemptAt ?? -Infinity) : -Infinity,
    );
    if (now() < notBefore) {
      await this.deps.wakeAt(notBefore);
      return "waiting";
    }
    try {
      await this.write(newest, state.snapshotWritten === newest);
      return "published";
    } catch (err) {
      const retryAt = now() + backoff(state.failures + 1);
      meta.failed(err instanceof Error ? err.message : String(err), new Date(now()).toISOString(), retryAt);
      await this.deps.wakeAt(retryAt);
      return "failed";
    }
  }

  private async write(version: number, snapshotDone: boolean): Promise<void> {
    const { versions, meta, now } = this.deps;
    const row = versions.get(version);
    if (!row) throw new Error(`version ${version} vanished before it was published`);
    const { kv, keys } = this.deps.target();
    const ref = storedRef(keys, row, this.deps.routers);
    if (!snapshotDone) {
      // Facts first, then the snapshot, then the version key: a reader of the key finds both.
      if (ref.facts !== undefined && row.facts !== null) await kv.put(ref.facts, row.facts);
      await kv.put(ref.key, row.canonical);
      meta.snapshotWritten(version);
    }
    meta.versionAttempted(now());
    await kv.put(keys.versionKey, encodeVersionRef(ref));
    meta.versionWritten(version);
  }
}

/** 1 s, 2 s, 4 s … up to a minute. */
export function backoff(failures: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, failures - 1), RETRY_MAX_MS);
}
