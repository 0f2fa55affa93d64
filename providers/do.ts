// The Durable Object provider: reads the ConfigStore directly, so it sees a write as soon as it is
// committed (strongly consistent; KV can lag by its cacheTtl plus propagation).
// Cost: one Durable Object request per poll per isolate (version()), plus one per new version
// (load()). Every poll of every isolate lands on the one object: at a 5 s poll interval, 1000 warm
// isolates make ~200 requests/s on it, each billed as a DO request. Prefer the KV provider at scale.
import { CONFIG_STORE_NAME, type ConfigStoreApi } from "./config-store-api.ts";
import type { ConfigStoreObject } from "./config-store.ts";
import { verifySnapshot } from "./store/ref.ts";
import type { Decode, Loaded, Provider, VersionRef } from "./types.ts";

/** The two RPC methods the provider calls; a ConfigStore stub is one. */
export type ConfigStoreReader = Pick<ConfigStoreApi, "versionRef" | "get"> & Partial<Pick<ConfigStoreApi, "signedVersionRef">>;

export class DurableObjectProvider implements Provider {
  readonly name = "durable-object";
  private readonly store: () => ConfigStoreReader;
  private readonly decode: Decode;
  private readonly signedOnly: boolean;

  /**
   * A stub, or a function that makes one per call. Prefer the function (see forNamespace): a stub
   * belongs to the request that made it, and the provider lives as long as the isolate.
   */
  /** `signedOnly`: version() names the newest *signed* version (signed configs' cold fallback). */
  constructor(store: ConfigStoreReader | (() => ConfigStoreReader), decode: Decode, signedOnly = false) {
    this.store = isReader(store) ? () => store : store;
    this.decode = decode;
    this.signedOnly = signedOnly;
  }

  /** A fresh stub for every call (making one is cheap and does no I/O). */
  static forNamespace(namespace: DurableObjectNamespace<ConfigStoreObject>, decode: Decode, name: string = CONFIG_STORE_NAME, signedOnly = false): DurableObjectProvider {
    return new DurableObjectProvider(() => namespace.get(namespace.idFromName(name)), decode, signedOnly);
  }

  async version(): Promise<VersionRef | null> {
    const store = this.store();
    if (!this.signedOnly) return store.versionRef();
    return store.signedVersionRef ? store.signedVersionRef() : null;
  }

  async load(ref: VersionRef): Promise<Loaded> {
    const stored = await this.store().get(ref.version, true);
    if (!stored) return { ok: false, error: `version ${ref.version} is no longer retained by the config store` };
    return verifySnapshot(ref, stored.canonical, "kv", this.decode, stored.facts ?? null);
  }
}

// An RPC stub answers every property with a callable; a plain factory function has no versionRef.
function isReader(store: ConfigStoreReader | (() => ConfigStoreReader)): store is ConfigStoreReader {
  return typeof (store as Partial<ConfigStoreReader>).versionRef === "function";
}
