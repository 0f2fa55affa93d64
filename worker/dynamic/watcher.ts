// The watcher: per isolate, module scope. It asks the provider for the newest version at most every
// `intervalMs`, off the hot path (the caller hands the poll to ctx.waitUntil), one poll at a time,
// and gives each new version to the listener. A failure keeps what is serving and backs off.
import type { CanaryRef, Loaded, Provider, VersionRef, Versioned } from "../../providers/types.ts";
import { failureDetail, type FailureDetail } from "./failure.ts";

export type Listener = (config: Versioned<unknown>) => Promise<void>;

/**
 * Given the canary the version key names (null: none), after the stable version is in place: it
 * loads and installs the candidate (worker/dynamic/canary.ts). A throw is a failed poll, retried.
 */
export type CanaryListener = (canary: CanaryRef | null, load: (ref: VersionRef) => Promise<Loaded>) => Promise<void>;

export interface WatcherStatus {
  readonly version: number | null;
  readonly lastPollAt: number | null;
  readonly lastChangeAt: number | null;
  readonly lastError: ({ readonly at: number; readonly message: string } & FailureDetail) | null;
  readonly polls: number;
}

export interface WatcherOptions {
  readonly intervalMs: number;
  /** Longest wait between polls after repeated failures. */
  readonly maxBackoffMs?: number;
  readonly now?: () => number;
  readonly canary?: CanaryListener;
}

export class Watcher {
  private readonly provider: Provider;
  private readonly listener: Listener;
  private readonly intervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly now: () => number;
  private inflight: Promise<void> | null = null;
  private nextPollAt = 0;
  private failures = 0;
  private applied: VersionRef | null = null;
  /** The stable part of `applied`, installed even when the canary part then failed. */
  private appliedStable: VersionRef | null = null;
  private readonly canary: CanaryListener | undefined;
  private status: WatcherStatus = { version: null, lastPollAt: null, lastChangeAt: null, lastError: null, polls: 0 };

  constructor(provider: Provider, listener: Listener, options: WatcherOptions) {
    this.provider = provider;
    this.listener = listener;
    this.intervalMs = options.intervalMs;
    this.maxBackoffMs = options.maxBackoffMs ?? Math.max(options.intervalMs * 8, 30_000);
    this.now = options.now ?? Date.now;
    this.canary = options.canary;
  }

  /** Hot path: no I/O. Returns the poll it started (hand it to waitUntil), or null when none is due. */
  maybePoll(): Promise<void> | null {
    if (this.inflight || this.now() < this.nextPollAt) return null;
    return this.poll();
  }

  /** Polls now unless a poll is already running (single flight); resolves when it is done. */
  poll(): Promise<void> {
    if (this.inflight) return this.inflight;
    this.nextPollAt = this.now() + this.intervalMs;
    this.inflight = this.run().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** The poll under way, if any. */
  pending(): Promise<void> | null {
    return this.inflight;
  }

  get state(): WatcherStatus {
    return this.status;
  }

  private async run(): Promise<void> {
    const at = this.now();
    this.status = { ...this.status, lastPollAt: at, polls: this.status.polls + 1 };
    let taking: number | null = null;
    try {
      const ref = await this.provider.version();
      if (ref && !sameRef(ref, this.applied, true)) {
        taking = ref.version;
        await this.apply(ref);
      }
      this.failures = 0;
    } catch (err) {
      this.fail(at, err, taking);
    }
  }

  private async apply(ref: VersionRef): Promise<void> {
    if (!sameRef(ref, this.appliedStable)) {
      const loaded = await this.provider.load(ref);
      if (!loaded.ok) throw new Error(`version ${ref.version}: ${loaded.error}; keeping the current config`);
      await this.listener(loaded.value);
      // Another version than asked for went live (its ref is the snapshot's): the asked one was not taken.
      if (loaded.value.instead !== undefined) throw new Error(loaded.value.instead);
      this.appliedStable = ref;
    }
    await this.canary?.(ref.canary ?? null, (r) => this.provider.load(r));
    this.applied = ref;
    this.status = { ...this.status, version: ref.version, lastChangeAt: this.now(), lastError: null };
  }

  private fail(at: number, err: unknown, version: number | null): void {
    this.failures++;
    // The first failure retries at the next interval (a snapshot may just not have propagated yet);
    // repeated failures back off exponentially.
    const backoff = Math.min(this.intervalMs * 2 ** (this.failures - 1), this.maxBackoffMs);
    this.nextPollAt = at + backoff;
    const message = err instanceof Error ? err.message : String(err);
    this.status = { ...this.status, lastError: { at, message, ...failureDetail(err, version) } };
  }
}

/** Same version (and, with `withCanary`, the same canary and share). */
function sameRef(a: VersionRef, b: VersionRef | null, withCanary = false): boolean {
  if (b === null || a.version !== b.version || a.key !== b.key || a.sha256 !== b.sha256) return false;
  if (!withCanary) return true;
  const [x, y] = [a.canary, b.canary];
  return x === y || (x !== undefined && y !== undefined && x.key === y.key && x.sha256 === y.sha256 && x.share === y.share && x.header === y.header);
}
