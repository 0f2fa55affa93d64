// Publishing committed versions to KV. A write is durable once it is in SQLite; KV is a copy that
// may lag. Order per version: snapshot key first, version key last, so a reader that sees the
// version key finds its snapshot. KV takes about one write per second per key, so the version key
// is written at most once a second (attempts count) and always ends on the newest version: a write
// that comes too soon is left to an alarm. A failed put is recorded and retried by an alarm with
// exponential backoff. One publish loop at a time per object.
import { storedRef, type StoredRouterCount } from "./empty.ts";
import { canaryFields, encodeVersionRef } from "./ref.ts";
import type { CanaryRef, VersionRef } from "../types.ts";
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
  /** What the version key names (absent: the newest version alone); see PublishPlan. */
  readonly plan?: () => PublishPlan;
}

/**
 * The version key's content: normally the newest version; while a canary runs, the stable version
 * (`root`) and the candidate with its share, so isolates load both (providers/store/canary.ts).
 */
export interface PublishPlan {
  readonly root: number | null;
  readonly canary: { readonly version: number; readonly share: number; readonly header: string | null } | null;
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
    const plan = this.deps.plan?.() ?? { root: versions.newest(), canary: null };
    const newest = plan.root;
    const canary = plan.canary ? this.canaryRef(plan.canary) : null;
    const canaryText = canary ? JSON.stringify(canaryFields(canary)) : null;
    const state = meta.read();
    if (newest === null || (state.published === newest && state.publishedCanary === canaryText)) return "idle";
    const notBefore = Math.max(
      (state.lastVersionWriteAt ?? -Infinity) + VERSION_KEY_MIN_INTERVAL_MS,
      state.failures > 0 ? (state.nextAttemptAt ?? -Infinity) : -Infinity,
    );
    if (now() < notBefore) {
      await this.deps.wakeAt(notBefore);
      return "waiting";
    }
    try {
      await this.write(newest, state.snapshotWritten === newest, canary);
      return "published";
    } catch (err) {
      const retryAt = now() + backoff(state.failures + 1);
      meta.failed(err instanceof Error ? err.message : String(err), new Date(now()).toISOString(), retryAt);
      await this.deps.wakeAt(retryAt);
      return "failed";
    }
  }

  /** The ref the version key should hold now (the durable-object source reads it directly). */
  plannedRef(): VersionRef | null {
    const plan = this.deps.plan?.() ?? { root: this.deps.versions.newest(), canary: null };
    const row = plan.root === null ? null : this.deps.versions.get(plan.root);
    if (!row) return null;
    const ref = storedRef(this.deps.target().keys, row, this.deps.routers);
    const canary = plan.canary ? this.canaryRef(plan.canary) : null;
    return canary ? { ...ref, canary } : ref;
  }

  /** The candidate's ref (its row must exist: a canary's versions are never pruned while it runs). */
  private canaryRef(c: NonNullable<PublishPlan["canary"]>): CanaryRef | null {
    const row = this.deps.versions.get(c.version);
    if (!row) return null;
    const ref = { ...storedRef(this.deps.target().keys, row, this.deps.routers), share: c.share };
    return c.header === null ? ref : { ...ref, header: c.header };
  }

  private async write(version: number, snapshotDone: boolean, canary: CanaryRef | null): Promise<void> {
    const { versions, meta, now } = this.deps;
    const row = versions.get(version);
    if (!row) throw new Error(`version ${version} vanished before it was published`);
    const { kv, keys } = this.deps.target();
    const ref = storedRef(keys, row, this.deps.routers);
    if (canary) {
      // The candidate's facts and snapshot first too (immutable keys: writing them again is harmless).
      const candidate = versions.get(canary.version)!;
      if (canary.facts !== undefined && candidate.facts !== null) await kv.put(canary.facts, candidate.facts);
      await kv.put(canary.key, candidate.canonical);
    }
    if (!snapshotDone) {
      // Facts first, then the snapshot, then the version key: a reader of the key finds both.
      if (ref.facts !== undefined && row.facts !== null) await kv.put(ref.facts, row.facts);
      await kv.put(ref.key, row.canonical);
      meta.snapshotWritten(version);
    }
    meta.versionAttempted(now());
    await kv.put(keys.versionKey, encodeVersionRef(canary ? { ...ref, canary } : ref));
    meta.versionWritten(version, canary ? JSON.stringify(canaryFields(canary)) : null);
  }
}

/** 1 s, 2 s, 4 s … up to a minute. */
export function backoff(failures: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, failures - 1), RETRY_MAX_MS);
}
