// A JWKS fetched from a URL and kept per isolate, shared by every middleware that names the same URL
// (jwt's jwksUrl; oidc's jwks_uri). Never one fetch per request:
//   - kept as long as the answer's Cache-Control max-age says, within [JWKS_TTL_MIN_MS, JWKS_TTL_MAX_MS]
//     (JWKS_TTL_DEFAULT_MS without one; no-store/no-cache count as the minimum);
//   - a token naming an unknown `kid` may refresh it (a key was added), at most once per JWKS_COOLDOWN_MS;
//   - a failed fetch is not retried before JWKS_COOLDOWN_MS, and the keys from before stay in use;
//   - concurrent requests share one fetch (single flight).
//
//   remoteJwks(key) -> RemoteJwks (the isolate's one for that key, usually the URL)
//   jwks.keys(fetcher) -> the key set to verify with (fetching when none or expired), or throws
//   jwks.refreshForUnknownKid(fetcher, seen) -> a newer key set, or null when the cooldown forbids a fetch
import { createLocalJWKSet, type JSONWebKeySet } from "jose";
import { collect } from "../../http/body.ts";

export const JWKS_TTL_MIN_MS = 60_000;
export const JWKS_TTL_MAX_MS = 24 * 3600_000;
export const JWKS_TTL_DEFAULT_MS = 10 * 60_000;
export const JWKS_COOLDOWN_MS = 30_000;
export const JWKS_MAX_BYTES = 512 * 1024;

export type KeySet = ReturnType<typeof createLocalJWKSet>;

/** No keys to verify with (never fetched successfully); the failed fetch itself was logged once. */
export class JwksUnavailable extends Error {}
/** One JWKS request (made by the caller: fetch() or a service binding, with its timeout). */
export type JwksFetcher = () => Promise<Response>;

/** The lifetime Cache-Control grants, bounded (see the module comment). */
export function jwksTtlMs(cacheControl: string | null): number {
  const directives = (cacheControl ?? "").toLowerCase();
  if (/(^|[\s,])(no-store|no-cache)([\s,=]|$)/.test(directives)) return JWKS_TTL_MIN_MS;
  const maxAge = /(?:^|[\s,])(?:s-maxage|max-age)\s*=\s*"?(\d+)/.exec(directives);
  if (!maxAge) return JWKS_TTL_DEFAULT_MS;
  return Math.min(JWKS_TTL_MAX_MS, Math.max(JWKS_TTL_MIN_MS, Number(maxAge[1]) * 1000));
}

/** A JWKS document as jose takes it, or a message saying why not. */
export function parseJwks(text: string): JSONWebKeySet | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  if (typeof parsed !== "object" || parsed === null || !Array.isArray((parsed as { keys?: unknown }).keys)) return 'not a JWK set: no "keys" array';
  const keys = (parsed as { keys: unknown[] }).keys;
  if (!keys.every((k) => typeof k === "object" && k !== null && !Array.isArray(k))) return 'not a JWK set: every member of "keys" must be an object';
  return parsed as JSONWebKeySet;
}

async function download(fetcher: JwksFetcher): Promise<{ set: KeySet; ttl: number }> {
  const response = await fetcher();
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(`answered ${response.status}`);
  }
  const body = response.body ? await collect(response.body, JWKS_MAX_BYTES) : { ok: true as const, bytes: new Uint8Array() };
  if (!body.ok) throw new Error(`answered more than ${JWKS_MAX_BYTES} bytes`);
  const jwks = parseJwks(new TextDecoder().decode(body.bytes));
  if (typeof jwks === "string") throw new Error(`answered ${jwks}`);
  return { set: createLocalJWKSet(jwks), ttl: jwksTtlMs(response.headers.get("cache-control")) };
}

export class RemoteJwks {
  private set: KeySet | null = null;
  private expiresAt = 0;
  /** When the last fetch started, and whether it failed: a failure is not retried before the cooldown. */
  private lastAttempt = -Infinity;
  private lastError: string | null = null;
  /** When an unknown kid last caused a fetch (-Infinity: never). */
  private lastKidRefresh = -Infinity;
  private inflight: Promise<void> | null = null;
  /** Fetches started, for tests and the bench. */
  fetches = 0;
  private readonly label: string;
  private readonly now: () => number;

  constructor(label: string, now: () => number = Date.now) {
    this.label = label;
    this.now = now;
  }

  private backingOff(now: number): boolean {
    return this.lastError !== null && now - this.lastAttempt < JWKS_COOLDOWN_MS;
  }

  /** The keys to verify with: the cached set, or a fresh one when none is cached or it expired. */
  async keys(fetcher: JwksFetcher): Promise<KeySet> {
    const now = this.now();
    if (this.set && now < this.expiresAt) return this.set;
    if (this.inflight || !this.backingOff(now)) await this.refresh(fetcher);
    if (this.set) return this.set; // stale while a refresh fails
    throw new JwksUnavailable(`JWKS ${this.label} is not available: ${this.lastError ?? "no keys"}`);
  }

  /**
   * A token's kid is not in `seen`: a newer set if another request already fetched one, else a
   * fetch unless one was made for an unknown kid within the cooldown (or the last one failed
   * within it); null when there is nothing newer to try.
   */
  async refreshForUnknownKid(fetcher: JwksFetcher, seen: KeySet): Promise<KeySet | null> {
    if (this.set && this.set !== seen) return this.set;
    const now = this.now();
    if (!this.inflight) {
      if (now - this.lastKidRefresh < JWKS_COOLDOWN_MS || this.backingOff(now)) return null;
      this.lastKidRefresh = now;
    }
    await this.refresh(fetcher);
    return this.set && this.set !== seen ? this.set : null;
  }

  private refresh(fetcher: JwksFetcher): Promise<void> {
    if (this.inflight) return this.inflight;
    this.lastAttempt = this.now();
    this.fetches++;
    this.inflight = download(fetcher)
      .then(({ set, ttl }) => {
        this.set = set;
        this.expiresAt = this.now() + ttl;
        this.lastError = null;
      })
      .catch((error: unknown) => {
        this.lastError = error instanceof Error ? error.message : String(error);
        console.error(`JWKS ${this.label}: fetch failed (${this.lastError}); ${this.set ? "keeping the keys from before" : "no keys yet"}`);
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }
}

const isolate = new Map<string, RemoteJwks>();

/** The isolate's cache for a JWKS, by key (its URL): every middleware naming it shares one. */
export function remoteJwks(key: string): RemoteJwks {
  let jwks = isolate.get(key);
  if (!jwks) isolate.set(key, (jwks = new RemoteJwks(key)));
  return jwks;
}
