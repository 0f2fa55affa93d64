// What the config store must know about a config's content but may not import: providers/ knows
// storage, versions and hashes; the config model (worker/config) and the compiler (worker/compile)
// sit above it. The Worker's entry hands an Admission in (worker/store-admission.ts); tests may
// hand in their own.
import type { Result } from "../../worker/go/result.ts";
import type { StoreIssue } from "../config-store-api.ts";

/** A config the store may keep: its canonical JSON text (what is stored, hashed and published). */
export interface Admitted {
  readonly canonical: string;
  /** How many routers it has: 0 over a version with routers needs allowEmpty. */
  readonly routers: number;
  readonly warnings: StoreIssue[];
  /**
   * Its load facts as published JSON, given the canonical text's sha256 (they name it): what an
   * isolate needs to serve it without validating it again. Null when the admission makes none.
   */
  readonly facts?: (sha256: string) => string | null;
}

export interface Admission {
  /**
   * The fingerprint of the build that admits (worker/compile/revision.ts): load facts are stamped
   * with it, isolates trust only their own build's, and the store remakes the newest version's
   * facts when it finds them made by another build (after a deploy). Absent: no facts are made.
   */
  readonly revision?: string;
  /**
   * Validates and dry-runs a config as the isolates will (a write the Worker cannot serve is
   * refused). Synchronous, so it can run inside a write's critical section.
   */
  admit(config: unknown): Result<Admitted, StoreIssue[]>;
  /** How many routers a stored canonical text declares (for the wipe check and allowEmpty marks). */
  routers(canonical: string): number;
  /**
   * Null when a config with `next` routers may replace one with `current` (null: nothing stored),
   * else why not: the message every write path gives (store, CLI, listener).
   */
  wipeRefusal(current: number | null, next: number, allowEmpty: boolean, currentName: string | undefined): string | null;
}
