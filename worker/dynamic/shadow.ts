// Shadow evaluation in the isolate (issue 18; docs/safe-changes.md): while the config store keeps
// a candidate, each isolate loads it from KV (off the hot path, in ctx.waitUntil), and after a
// sampled request's response has gone out it matches that request against the candidate too,
// counting where it would have gone instead (live router → candidate router, null for 404). The
// counts go to the config store at most every flush interval, in ctx.waitUntil. The response is
// never touched: the sample is taken after a macrotask turn, once the entry has returned it.
import { KV_MIN_CACHE_TTL, SNAPSHOT_CACHE_TTL, type KvReader } from "../../providers/kv.ts";
import type { KeyLayout } from "../../providers/store/keys.ts";
import { shadowPointerKey, type ShadowMove, type ShadowPointer, type ShadowReport } from "../../providers/store/shadow.ts";
import type { Snapshot } from "../compile/snapshot.ts";
import { routingMove, routingTable, type RoutingTable } from "../compile/routing-diff.ts";
import { loadConfig } from "../config/index.ts";
import { viewFromRequest, type RuleSyntax } from "../rules/index.ts";

/** The one RPC the evaluator makes (a ConfigStore stub is one). */
export interface ShadowSink {
  shadowReport(report: ShadowReport): Promise<unknown>;
}

/** What the evaluator depends on; plain fields so tests can swap them. */
export interface ShadowSeams {
  kv: () => KvReader;
  store: () => ShadowSink;
  keys: KeyLayout;
  now: () => number;
  random: () => number;
}

export interface ShadowOptions {
  /** How often the candidate's pointer is read from KV (SHADOW_POLL_INTERVAL_MS, default 30 s: KV's cache time). */
  readonly pollIntervalMs: number;
  /** How often, at most, counts are sent (SHADOW_FLUSH_INTERVAL_MS, default 10 s). */
  readonly flushIntervalMs: number;
  readonly defaultRuleSyntax: RuleSyntax;
  /** Samples per flush interval at most, whatever the sample rate: a bound on the work. */
  readonly maxSamples?: number;
}

export const DEFAULT_SHADOW_POLL_MS = 30_000;
export const DEFAULT_SHADOW_FLUSH_MS = 10_000;
export const MAX_SAMPLES_PER_FLUSH = 5_000;

interface Candidate {
  readonly pointer: ShadowPointer;
  readonly table: RoutingTable;
}

export class ShadowEvaluator {
  seams: ShadowSeams;
  /** Public so tests can change the pace of a running isolate. */
  options: ShadowOptions;
  private candidate: Candidate | null = null;
  private nextPollAt = 0;
  private polling = false;
  private sampled = 0;
  private moves = new Map<string, ShadowMove>();
  private lastFlushAt = 0;

  constructor(options: ShadowOptions, seams: ShadowSeams) {
    this.options = options;
    this.seams = seams;
  }

  /** The candidate being evaluated here, if any. */
  get current(): ShadowPointer | null {
    return this.candidate?.pointer ?? null;
  }

  /**
   * The entry's one call, after the response is made: the work it hands back (for ctx.waitUntil),
   * or null. No I/O and no matching happen before it returns.
   */
  afterResponse(request: Request, live: Snapshot, clientIP: string | null, url: URL): Promise<void> | null {
    const poll = this.maybePoll();
    const candidate = this.candidate;
    const capped = this.sampled >= (this.options.maxSamples ?? MAX_SAMPLES_PER_FLUSH);
    const sample = candidate !== null && !capped && this.seams.random() < candidate.pointer.sampleRate;
    // At the cap no sample is taken, so none would flush: the interval's end does.
    const work = sample ? nextTurn().then(() => this.sample(candidate, request, live, clientIP, url)) : capped && this.flushDue() ? this.flush() : null;
    if (!work) return poll;
    return poll ? Promise.all([poll, work]).then(() => {}) : work;
  }

  private flushDue(): boolean {
    return this.sampled > 0 && this.seams.now() - this.lastFlushAt >= this.options.flushIntervalMs;
  }

  private async sample(candidate: Candidate, request: Request, live: Snapshot, clientIP: string | null, url: URL): Promise<void> {
    if (this.candidate !== candidate) return;
    const move = routingMove(live.muxer, candidate.table, viewFromRequest(request, clientIP, url));
    this.sampled++;
    if (move) {
      const key = JSON.stringify([move.from, move.to]);
      const known = this.moves.get(key);
      this.moves.set(key, { ...move, count: (known?.count ?? 0) + 1 });
    }
    if (this.flushDue()) await this.flush();
  }

  /** Sends the counts since the last flush (taken first, so samples made meanwhile are not lost). Never throws. */
  async flush(): Promise<void> {
    const candidate = this.candidate;
    if (!candidate || this.sampled === 0) return;
    const report: ShadowReport = { id: candidate.pointer.id, sampled: this.sampled, moves: [...this.moves.values()].slice(0, 200) };
    this.reset();
    this.lastFlushAt = this.seams.now();
    try {
      await this.seams.store().shadowReport(report);
    } catch (err) {
      // Dropped: a share of a sample, and the next flush carries on.
      console.error("shadow report:", err instanceof Error ? err.message : String(err));
    }
  }

  /** Reads the pointer if due (one at a time); loads and compiles a new candidate. Never throws. */
  maybePoll(): Promise<void> | null {
    const now = this.seams.now();
    if (this.polling || now < this.nextPollAt) return null;
    this.polling = true;
    this.nextPollAt = now + this.options.pollIntervalMs;
    return this.poll().finally(() => {
      this.polling = false;
    });
  }

  private async poll(): Promise<void> {
    try {
      const kv = this.seams.kv();
      const pointer = parsePointer(await kv.get(shadowPointerKey(this.seams.keys), { type: "json", cacheTtl: KV_MIN_CACHE_TTL }));
      if (pointer?.id === this.candidate?.pointer.id) return;
      this.reset();
      this.candidate = null;
      if (!pointer) return;
      const text = await kv.get(pointer.key, { type: "text", cacheTtl: SNAPSHOT_CACHE_TTL });
      if (text === null) throw new Error(`${pointer.key} is not in KV yet`);
      const loaded = loadConfig(text, "json", { defaultRuleSyntax: this.options.defaultRuleSyntax });
      if (!loaded.ok) throw new Error(`the candidate does not load: ${loaded.errors[0]?.path}: ${loaded.errors[0]?.message}`);
      this.candidate = { pointer, table: routingTable(loaded.config, loaded.rules, this.options.defaultRuleSyntax) };
    } catch (err) {
      console.error("shadow evaluation:", err instanceof Error ? err.message : String(err));
    }
  }

  private reset(): void {
    this.sampled = 0;
    this.moves = new Map();
  }
}

/** After the current task: the entry has returned its response by then. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function parsePointer(value: unknown): ShadowPointer | null {
  if (typeof value !== "object" || value === null) return null;
  const p = value as Partial<ShadowPointer>;
  const ok = typeof p.id === "string" && typeof p.key === "string" && typeof p.sha256 === "string" && typeof p.sampleRate === "number" && p.sampleRate > 0 && p.sampleRate <= 1;
  return ok ? { id: p.id!, key: p.key!, sha256: p.sha256!, sampleRate: p.sampleRate! } : null;
}
