// One interface for every config source (file, KV, the config-store Durable Object).
// The watcher owns timing; a provider owns storage and integrity.
import type { Result } from "../worker/go/result.ts";

/** Names one published config: which version, where it is stored, and the sha256 of its canonical JSON. */
export interface VersionRef {
  readonly version: number;
  readonly key: string;
  readonly sha256: string;
  /**
   * The writer means this config to have no routers (see worker/config/empty.ts): without it, an
   * isolate that serves routers refuses a config that has none. Absent means false.
   */
  readonly allowEmpty?: boolean;
  /**
   * The KV key of the version's load facts (worker/compile/facts.ts): what the config store learned
   * admitting it, so an isolate need not validate it again. Absent on refs written by hand.
   */
  readonly facts?: string;
  /**
   * Ed25519 signature (base64url) of this sha256 by the user's CI (store/signature.ts): isolates
   * with CONFIG_SIGNING_PUBLIC_KEY take only versions whose signature checks. Absent: unsigned.
   */
  readonly signature?: string;
  /**
   * A canary running (providers/store/canary.ts): this ref names the *stable* version, which
   * serves every request outside the candidate's share; a reader that does not know canaries
   * serves stable to everyone.
   */
  readonly canary?: CanaryRef;
}

/** The candidate version of a canary, and who gets it (docs/safe-changes.md). */
export interface CanaryRef {
  readonly version: number;
  readonly key: string;
  readonly sha256: string;
  readonly allowEmpty?: boolean;
  readonly facts?: string;
  /** Percent of clients (0 < share < 100, at most two decimals) served by the candidate. */
  readonly share: number;
  /** The request header whose value picks a client's bucket; absent: CF-Connecting-IP. */
  readonly header?: string;
  /** Its signature, as on the stable ref (signed configs). */
  readonly signature?: string;
}

/** A config as stored: not yet validated (the listener validates before anything goes live). */
export interface Versioned<T> {
  readonly ref: VersionRef;
  readonly value: T;
  /** Which provider it came from ("file", "kv"…): shown as `name@provider` in the API. */
  readonly provider?: string;
  /**
   * The load facts published with it, parsed but unchecked (the listener decides whether to trust
   * them); absent when there are none or they could not be read.
   */
  readonly facts?: unknown;
  /**
   * Set when the provider gave another version than the ref it was asked for, and why (a signed
   * provider's cold isolate, handed a refused newest version, gets the newest signed one): the
   * watcher serves it, reports this as the poll's error and asks for the ref again next poll.
   */
  readonly instead?: string;
}

export interface Provider {
  readonly name: string;
  /** The newest published version, cheaply (one small read), or null when nothing is published. */
  version(): Promise<VersionRef | null>;
  /**
   * The config a ref names, or why it is not (yet) readable (missing snapshot, hash mismatch):
   * "keep serving what you have and try again next poll", never an error page; the watcher shows
   * the reason in the status. A snapshot published broken (it hashes right but cannot be parsed)
   * throws.
   */
  load(ref: VersionRef): Promise<Loaded>;
}

/** What a load gives: the config, or the problem (a sentence naming the key and the version). */
export type Loaded = Result<Versioned<unknown>, string>;

/**
 * Stored text → config data (YAML, TOML or JSON), or why it cannot be read. The config model's
 * parser, handed in by whoever builds a provider (worker/runtime.ts: worker/config configDecoder):
 * providers store and hash text, they do not know config syntax.
 */
export type Decode = (text: string) => Result<unknown, string>;
