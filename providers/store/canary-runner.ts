// What the config store does for a canary, apart from its storage (canary.ts): refuse other writes
// while one runs, check a canary push, end it (promote; abort or roll back as a new version with
// stable's content), and the alarm's look at it. The store hands in its writes and its alarm, so
// config-store.ts keeps one-line hooks.
import type { PutRequest, VersionRecord, WriteResult } from "../config-store-api.ts";
import { Canary, checkIntervalMs, POLICY_AUTHOR } from "./canary.ts";
import { policyOf } from "./canary-policy.ts";
import { checkStatsReport } from "./canary-stats.ts";

export interface RunnerDeps {
  readonly canary: Canary;
  newest(): number | null;
  /** The newest version below `version`. */
  before(version: number): number | null;
  record(version: number): VersionRecord | null;
  /** The store's rollback write; `afterInsert` runs in the insert's synchronous section. */
  rollbackWrite(to: number, options: { author: string; message: string; allowEmpty: boolean }, afterInsert: () => void): Promise<WriteResult>;
  publish(): Promise<void>;
  wakeAt(at: number): Promise<void>;
  now(): number;
}

/** Before a put: a refusal, or what to run with the insert (a canary's start) when it asks for one. */
export type Preflight = { readonly refused: WriteResult } | { readonly afterInsert?: (record: VersionRecord) => void };

export class CanaryRunner {
  private readonly deps: RunnerDeps;

  constructor(deps: RunnerDeps) {
    this.deps = deps;
  }

  /** 409 while a canary runs (every write waits for promote or abort), else null. */
  refuseWrite(): WriteResult | null {
    const s = this.deps.canary.state();
    if (!s) return null;
    return { ok: false, status: 409, current: this.deps.newest(), message: `a canary of version ${s.candidate} is running (${s.share}% of clients): promote or abort it first` };
  }

  preflight(request: PutRequest): Preflight {
    const running = this.refuseWrite();
    if (running) return { refused: running };
    if (!request.canary) return {};
    const policy = policyOf(request.canary);
    if (!policy.ok) return { refused: { ok: false, status: 400, errors: [{ ...policy.error, severity: "error" }] } };
    const stable = this.deps.newest();
    if (stable === null) return { refused: { ok: false, status: 409, current: null, message: "a canary needs a stable version to run beside: nothing is stored yet" } };
    const { share } = request.canary;
    const header = request.canary.header?.toLowerCase() ?? null;
    // Stable is the version before this one, as found in the insert's synchronous section.
    return { afterInsert: (record) => this.deps.canary.start(this.deps.before(record.version) ?? stable, record.version, share, header, policy.value, request.author || "unknown") };
  }

  /** After a write: a canary that started gets its first look scheduled. */
  async written(result: WriteResult): Promise<void> {
    const s = this.deps.canary.state();
    if (result.ok && s && s.candidate === result.record.version) await this.deps.wakeAt(this.deps.now() + checkIntervalMs(s.policy));
  }

  /** A fleet report's per-version figures; a candidate the policy would roll back is looked at now. */
  async report(raw: unknown): Promise<{ ok: true } | { ok: false; error: string }> {
    const stats = checkStatsReport((raw as { versionStats?: unknown } | null)?.versionStats);
    if (!stats.ok) return stats;
    this.deps.canary.record(stats.value);
    if (this.deps.canary.decision()?.action === "rollback") await this.deps.wakeAt(this.deps.now());
    return { ok: true };
  }

  async promote(options: { author?: string; reason?: string } = {}): Promise<WriteResult> {
    const ended = this.deps.canary.end("promoted", options.author || "unknown", options.reason || "promoted by hand");
    if (!ended) return { ok: false, status: 409, current: this.deps.newest(), message: "no canary is running" };
    await this.deps.publish();
    return { ok: true, record: this.deps.record(ended.candidate)!, warnings: [] };
  }

  abort(options: { author?: string; reason?: string } = {}): Promise<WriteResult> {
    return this.end("aborted", options.author || "unknown", options.reason || "aborted by hand");
  }

  /** The alarm's look: roll back, step, promote or hold; then the next look while it runs. */
  async check(): Promise<void> {
    const decision = this.deps.canary.decision();
    if (!decision) return;
    if (decision.action === "rollback") {
      const done = await this.end("rolled-back", POLICY_AUTHOR, decision.reason);
      if (!done.ok) console.error(`canary rollback failed (${done.status}): ${"message" in done ? done.message : JSON.stringify(done.errors)}`);
    } else if (decision.action === "promote") {
      await this.promote({ author: POLICY_AUTHOR, reason: decision.reason });
    } else if (decision.action === "step") {
      this.deps.canary.step(decision.share, POLICY_AUTHOR, decision.reason);
      await this.deps.publish();
    }
    const s = this.deps.canary.state();
    if (s) await this.deps.wakeAt(this.deps.now() + checkIntervalMs(s.policy));
  }

  /** Stable's content as a new version, its message saying why; the canary ends with the insert. */
  private async end(action: "aborted" | "rolled-back", author: string, reason: string): Promise<WriteResult> {
    const s = this.deps.canary.state();
    if (!s) return { ok: false, status: 409, current: this.deps.newest(), message: "no canary is running" };
    const message = `canary of version ${s.candidate} ${action === "aborted" ? "aborted" : "rolled back"}: ${reason}`;
    return this.deps.rollbackWrite(s.stable, { author, message, allowEmpty: true }, () => void this.deps.canary.end(action, author, reason));
  }
}
