// Keys kept in a KV namespace the user binds (store.kv): `<prefix><sha256 hex of the key>` → the
// consumer id. Each isolate remembers what it read, a found key for cacheDuration and a missing one
// for missCacheDuration, at most CAPACITY entries (the oldest first out), and concurrent
// lookups of one key share one read: a burst of the same key, right or wrong, is one KV read per
// isolate per duration. Revoking is deleting the entry; it reaches an isolate once its cached entry
// expires (cacheDuration) and KV has propagated the delete (up to ~60 s across locations).
import { durationMs } from "../../go/duration.ts";
import { SingleFlight } from "../../go/singleflight.ts";
import { ExpiringMap } from "../auth/expiring.ts";
import type { MiddlewareOptions } from "../../schema/middlewares.ts";

type StoreOptions = NonNullable<MiddlewareOptions<"apiKey">["store"]>;

/** The part of a KV namespace this reads (a structural type: the middleware runs outside workerd too). */
interface KvReader {
  get(key: string): Promise<string | null>;
}

const CAPACITY = 10_000;

/** The namespace bound as `name`, or null when the Worker has none by that name. */
function kvIn(env: object, name: string): KvReader | null {
  const candidate = (env as Partial<Record<string, unknown>>)[name];
  if (typeof candidate !== "object" || candidate === null) return null;
  return typeof (candidate as { get?: unknown }).get === "function" ? (candidate as KvReader) : null;
}

export class KvKeys {
  private readonly cached = new ExpiringMap<string | null>(CAPACITY);
  private readonly reads = new SingleFlight<string | null>();
  private readonly hitMs: number;
  private readonly missMs: number;
  private readonly options: StoreOptions;

  constructor(options: StoreOptions) {
    this.options = options;
    this.hitMs = Math.max(0, durationMs(options.cacheDuration));
    this.missMs = Math.max(0, durationMs(options.missCacheDuration));
  }

  /** The consumer of the key with this SHA-256, null when KV has none; throws when KV cannot be read. */
  async consumer(env: object, sha256: string, now = Date.now()): Promise<string | null> {
    const cached = this.cached.get(sha256, now);
    if (cached !== undefined) return cached;
    return this.reads.do(sha256, () => this.read(env, sha256, now));
  }

  private async read(env: object, sha256: string, now: number): Promise<string | null> {
    const kv = kvIn(env, this.options.kv);
    if (!kv) throw new Error(`the Worker has no KV namespace bound as ${this.options.kv}`);
    const value = await kv.get(this.options.prefix + sha256);
    const consumer = value === null || value === "" ? null : value;
    const ttl = consumer === null ? this.missMs : this.hitMs;
    if (ttl > 0) this.cached.set(sha256, consumer, now + ttl);
    return consumer;
  }
}
