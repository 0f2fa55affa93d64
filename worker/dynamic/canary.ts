// The isolate's canary: the candidate snapshot beside the stable one (the switcher's), and which
// of the two a request gets. A client's bucket is a hash of its address (CF-Connecting-IP) or of a
// chosen header's value, 0..9999; the candidate serves the buckets below share × 100, so a client
// keeps its version while the share stays, and as the share grows the candidate's clients only
// gain others. A request reads the pair once: it is served wholly by one snapshot.
import type { Versioned } from "../../providers/types.ts";
import type { Snapshot } from "../compile/snapshot.ts";
import { routerListener, type ListenerOptions } from "./listener.ts";
import { Switcher } from "./switcher.ts";
import type { CanaryListener } from "./watcher.ts";

export const BUCKETS = 10_000;

/** FNV-1a (32 bit) of the UTF-16 code units, mod BUCKETS: cheap, stable across isolates and builds. */
export function bucketOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % BUCKETS;
}

/** Whether the client with this key gets the candidate at `share` percent. */
export function inCanary(key: string, share: number): boolean {
  return bucketOf(key) < Math.round(share * 100);
}

interface Candidate {
  readonly snapshot: Snapshot;
  readonly share: number;
  readonly header: string | null;
}

/**
 * Compiles a stored config into a snapshot of its own (never installed in the isolate's switcher),
 * carrying over the pools of `base` whose services are unchanged. Throws as the listener does.
 */
export async function compileBeside(config: Versioned<unknown>, base: Snapshot | null, options: ListenerOptions): Promise<Snapshot> {
  const work = new Switcher<Snapshot>();
  if (base) work.swap(base);
  await routerListener(work, options)(config);
  return work.current!;
}

export class CanarySwitch {
  private candidate: Candidate | null = null;
  private readonly stable: Switcher<Snapshot>;
  private readonly options: ListenerOptions;

  constructor(stable: Switcher<Snapshot>, options: ListenerOptions) {
    this.stable = stable;
    this.options = options;
  }

  /** Whether a candidate serves some clients now (per-version figures are kept only then). */
  get active(): boolean {
    return this.candidate !== null;
  }

  get current(): { readonly version: number; readonly share: number; readonly header: string | null } | null {
    const c = this.candidate;
    return c ? { version: c.snapshot.meta.version, share: c.share, header: c.header } : null;
  }

  /** The snapshot this request is served by: the candidate for the clients in its share, else `stable`. */
  pick(request: Request, stable: Snapshot): Snapshot {
    const c = this.candidate;
    if (!c || c.snapshot.meta.version === stable.meta.version) return stable;
    const key = (c.header === null ? request.headers.get("cf-connecting-ip") : request.headers.get(c.header)) ?? "";
    return inCanary(key, c.share) ? c.snapshot : stable;
  }

  /** The watcher's CanaryListener: the same candidate only changes share; a new one is loaded and compiled first. */
  readonly listener: CanaryListener = async (ref, load) => {
    if (ref === null) {
      this.candidate = null;
      return;
    }
    const header = ref.header ?? null;
    const kept = this.candidate?.snapshot;
    if (kept && kept.meta.version === ref.version && kept.meta.sha256 === ref.sha256) {
      this.candidate = { snapshot: kept, share: ref.share, header };
      return;
    }
    const loaded = await load(ref);
    if (!loaded.ok) throw new Error(`canary version ${ref.version}: ${loaded.error}; serving the stable version only`);
    // A provider that served another version (signed configs' cold fallback) gave no candidate.
    if (loaded.value.instead !== undefined) throw new Error(`canary version ${ref.version}: ${loaded.value.instead}; serving the stable version only`);
    try {
      this.candidate = { snapshot: await compileBeside(loaded.value, this.stable.current, this.options), share: ref.share, header };
    } catch (err) {
      this.candidate = null;
      throw err;
    }
  };
}

