// Passive health, per isolate: real traffic counts against a server, and a server that fails too
// often leaves this isolate's rotation for a while.
//
// Two rules:
// - Built in (no passiveHealthCheck): 3 transport failures (connection error or timeout) in a row
//   within 10 s take a server out for 10 s. It never takes out the last server a pool could use
//   (fail open): one flaky upstream keeps getting its 502s rather than becoming a 503.
// - Traefik's passiveHealthCheck {failureWindow, maxFailedAttempts}: maxFailedAttempts failures
//   (transport failures and 5xx answers) within failureWindow take the server out for failureWindow,
//   or, when the service also has an active healthCheck, until the active check next sees it UP.
// A success clears the count; a client that went away counts for nothing.
import type { ForwardOutcome } from "../proxy.ts";

export interface PassiveRule {
  readonly maxFailedAttempts: number;
  readonly failureWindowMs: number;
  /** Upstream 5xx answers count as failures (Traefik's rule), not only transport failures. */
  readonly countServerErrors: boolean;
  /** Never leave a pool with no server (the built-in rule). */
  readonly failOpen: boolean;
}

export const BUILT_IN_PASSIVE: PassiveRule = { maxFailedAttempts: 3, failureWindowMs: 10_000, countServerErrors: false, failOpen: true };

export class PassiveState {
  private failures: number[] = [];
  private downSince: number | null = null;
  private downUntil = 0;

  /** Accounts one exchange. `heldByActive`: once down, stay down until the active check clears it. */
  record(rule: PassiveRule, outcome: ForwardOutcome, status: number, now: number, heldByActive: boolean): void {
    if (outcome === "client-abort") return;
    const failed = outcome !== "ok" || (rule.countServerErrors && status >= 500);
    if (!failed) {
      if (this.failures.length > 0) this.failures = [];
      this.downSince = null;
      this.downUntil = 0;
      return;
    }
    this.failures = this.failures.filter((t) => t > now - rule.failureWindowMs);
    this.failures.push(now);
    if (this.failures.length >= rule.maxFailedAttempts && !this.down(now)) {
      this.downSince = now;
      this.downUntil = heldByActive ? Infinity : now + rule.failureWindowMs;
    }
  }

  down(now: number): boolean {
    return this.downUntil > now;
  }

  /** An active check at `checkedAt` found the server UP: a hold placed before it ends. */
  activeUp(checkedAt: number): void {
    if (this.downSince !== null && checkedAt > this.downSince) {
      this.downSince = null;
      this.downUntil = 0;
      this.failures = [];
    }
  }
}
