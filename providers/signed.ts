// A provider whose configs go live only when signed (CONFIG_SIGNING_PUBLIC_KEY): every loaded
// version's ref must carry an Ed25519 signature of its sha256 (store/signature.ts) by the
// matching private key, held by the user's CI. An unsigned or wrongly signed version is refused
// like an unreadable one: the watcher keeps serving the last good snapshot, and the refusal (its
// version and why) is the isolate's lastError, which the fleet status shows. This runs when a new
// version loads (in the watcher's background poll), never per request.
//
// Load facts are dropped: they are made by the config store, not signed, and they steer routing
// (route order, which routes a host leads to) without validation, so with signing on every
// version is validated and compiled in full.
import { importPublicKey, verifySignature } from "./store/signature.ts";
import type { Loaded, Provider, VersionRef } from "./types.ts";

export interface SignedOptions {
  /**
   * Where a cold isolate (nothing loaded yet) finds the newest *signed* version when the newest is
   * refused (the config store: providers/do.ts signedOnly), so a stray write does not leave new
   * isolates with nothing to serve. Its versions are checked like any other.
   */
  readonly coldFallback?: Provider;
}

export class SignedProvider implements Provider {
  readonly name: string;
  private readonly inner: Provider;
  private readonly key: Promise<CryptoKey>;
  private readonly coldFallback: Provider | undefined;
  /** Whether a version was ever loaded: from then on the watcher keeps what it serves. */
  private warm = false;

  /** `publicKey`: CONFIG_SIGNING_PUBLIC_KEY as set (imported once, on the first load). */
  constructor(inner: Provider, publicKey: string, options: SignedOptions = {}) {
    this.inner = inner;
    this.name = inner.name;
    this.key = importPublicKey(publicKey);
    this.key.catch(() => {}); // reported by each load, not as an unhandled rejection
    this.coldFallback = options.coldFallback;
  }

  version(): Promise<VersionRef | null> {
    return this.inner.version();
  }

  async load(ref: VersionRef): Promise<Loaded> {
    const problem = await this.refusal(ref);
    if (problem) {
      const error = `config version ${ref.version} refused: ${problem}`;
      return (!this.warm && (await this.fallback(ref, error))) || { ok: false, error };
    }
    const loaded = await this.inner.load(ref);
    if (!loaded.ok) return loaded;
    this.warm = true;
    const { facts: _unsigned, ...value } = loaded.value;
    return { ok: true, value };
  }

  /** The newest signed version instead of refused `ref`, marked so, or null when there is none. */
  private async fallback(ref: VersionRef, error: string): Promise<Loaded | null> {
    try {
      const older = await this.coldFallback?.version();
      if (!older || older.version === ref.version || (await this.refusal(older))) return null;
      const loaded = await this.coldFallback!.load(older);
      if (!loaded.ok) return null;
      const { facts: _unsigned, ...value } = loaded.value;
      this.warm = true; // served from now on: later refusals keep it
      return { ok: true, value: { ...value, instead: `${error}; serving version ${older.version}, the newest signed one, instead` } };
    } catch {
      return null;
    }
  }

  /** Why `ref` may not go live, or null. Checked before the snapshot is read: a refused one costs no read. */
  private async refusal(ref: VersionRef): Promise<string | null> {
    let key: CryptoKey;
    try {
      key = await this.key;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
    if (ref.signature === undefined) return "not signed (CONFIG_SIGNING_PUBLIC_KEY is set: push with switchyard push --sign KEYFILE)";
    const ok = await verifySignature(key, ref.sha256, ref.signature).catch(() => false);
    return ok ? null : "bad signature (not made by the private key of CONFIG_SIGNING_PUBLIC_KEY over this version's sha256)";
  }
}
