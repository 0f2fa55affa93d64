// Previews: a request with a valid preview token (preview-token.ts) is served by the stored version
// it names, published or not, rolled back or not, while the config store retains it. The isolate
// loads it from the store and compiles it beside what it serves (pools of unchanged services are
// shared); the first preview request of a version waits for that. At most PREVIEW_CACHE snapshots
// are kept per isolate (least recently used goes). A token that is missing, malformed, expired or
// wrongly signed, or a version that cannot be loaded, changes nothing: the request is served as
// without the header (the entry removes the header before any upstream sees it).
import type { Versioned } from "../../providers/types.ts";
import type { Snapshot } from "../compile/snapshot.ts";
import { compileBeside } from "./canary.ts";
import type { ListenerOptions } from "./listener.ts";
import { PREVIEW_HEADER, verifyPreviewToken } from "./preview-token.ts";

export const PREVIEW_CACHE = 2;

/** A stored version as the config store holds it, checked (null: not retained or not readable). */
export type LoadVersion = (version: number) => Promise<Versioned<unknown> | null>;

export class Previews {
  private readonly cache = new Map<number, Promise<Snapshot | null>>();
  private readonly secret: string | undefined;
  private readonly load: LoadVersion;
  private readonly options: ListenerOptions;
  private readonly now: () => number;

  constructor(secret: string | undefined, load: LoadVersion, options: ListenerOptions, now: () => number = Date.now) {
    this.secret = secret === "" ? undefined : secret;
    this.load = load;
    this.options = options;
    this.now = now;
  }

  /**
   * The previewed snapshot this request asks for with a valid token, or null (serve it normally).
   * Null at once, without a promise, for a request without the header (the hot path's case).
   */
  snapshotFor(request: Request, serving: Snapshot): Promise<Snapshot | null> | null {
    if (this.secret === undefined) return null;
    const token = request.headers.get(PREVIEW_HEADER);
    if (token === null) return null;
    return this.verified(token, serving);
  }

  private async verified(token: string, serving: Snapshot): Promise<Snapshot | null> {
    const version = await verifyPreviewToken(this.secret!, token, this.now());
    if (version === null) return null;
    if (version === serving.meta.version) return serving;
    return this.snapshot(version, serving);
  }

  private snapshot(version: number, base: Snapshot): Promise<Snapshot | null> {
    let entry = this.cache.get(version);
    if (entry) {
      this.cache.delete(version);
    } else {
      entry = this.compile(version, base);
      if (this.cache.size >= PREVIEW_CACHE) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(version, entry);
    return entry;
  }

  private async compile(version: number, base: Snapshot): Promise<Snapshot | null> {
    try {
      const config = await this.load(version);
      return config ? await compileBeside(config, base, this.options) : null;
    } catch (err) {
      console.error(`preview of version ${version}:`, err instanceof Error ? err.message : String(err));
      this.cache.delete(version);
      return null;
    }
  }
}
