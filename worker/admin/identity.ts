// Who a bearer token is: one of the Worker's own tokens (ADMIN_TOKEN, ADMIN_READ_TOKEN,
// METRICS_TOKEN, compared in constant time, no I/O), or a stored token (issue 18), found in the
// config store by its SHA-256. Only a token of the stored shape (`syt_` + 43 base64url characters)
// is looked up, so a deployment using the Worker's own tokens never pays a store call for auth.
// A stored token found is remembered by this isolate for STORED_TOKEN_CACHE_MS: admin calls in a
// burst (the dashboard, a CI job) make one store call, and a revoked token stops working in every
// isolate within that time (at once in the isolate that revoked it). Misses are never remembered.
import type { ConfigStoreBinding } from "../../providers/config-store.ts";
import { sha256Hex } from "../../providers/store/hash.ts";
import type { TokenRecord } from "../../providers/store/tokens.ts";
import type { Env } from "../env.ts";
import { store } from "./store.ts";
import { SCOPES, type Scope } from "./scopes.ts";

export interface Identity {
  /** The history's author: "admin", "read-only", "metrics", or a stored token's name. */
  readonly name: string;
  readonly scopes: readonly Scope[];
  /** The ADMIN_TOKEN: the one that may manage tokens. */
  readonly admin: boolean;
}

export type IdentityEnv = Pick<Env, "ADMIN_TOKEN" | "ADMIN_READ_TOKEN" | "METRICS_TOKEN"> & ConfigStoreBinding;

export const STORED_TOKEN_PREFIX = "syt_";
const STORED_SHAPE = /^syt_[A-Za-z0-9_-]{43}$/;
export const STORED_TOKEN_CACHE_MS = 10_000;
const CACHE_LIMIT = 256;

const encoder = new TextEncoder();

/** The Worker's own tokens that are set, each with its fixed name and scopes. */
function envTokens(env: IdentityEnv): { secret: string; identity: Identity }[] {
  const all: { secret: string | undefined; identity: Identity }[] = [
    { secret: env.ADMIN_TOKEN, identity: { name: "admin", scopes: SCOPES, admin: true } },
    { secret: env.ADMIN_READ_TOKEN, identity: { name: "read-only", scopes: ["read", "metrics"], admin: false } },
    { secret: env.METRICS_TOKEN, identity: { name: "metrics", scopes: ["metrics"], admin: false } },
  ];
  return all.flatMap((t) => (t.secret ? [{ secret: t.secret, identity: t.identity }] : []));
}

/** Whether any admin token is configured at all (none: the admin API is off). */
export function anyTokenConfigured(env: IdentityEnv): boolean {
  return envTokens(env).length > 0;
}

/**
 * The token's identity; null for no valid token; "unavailable" when a stored-shape token could not
 * be looked up (the store failed): the caller answers 503, not 401, and takes no throttle failure.
 */
export async function identify(token: string, env: IdentityEnv): Promise<Identity | null | "unavailable"> {
  const own = envTokens(env);
  // Every configured token is compared (no early exit): which one matched does not show in the timing.
  const given = await digest(token);
  const matches = await Promise.all(own.map(async (t) => crypto.subtle.timingSafeEqual(given, await digest(t.secret))));
  const index = matches.indexOf(true);
  if (index >= 0) return own[index]!.identity;
  // Stored tokens are made and revoked with the ADMIN_TOKEN: without it they are off too.
  if (!env.ADMIN_TOKEN || !STORED_SHAPE.test(token)) return null;
  return storedIdentity(await sha256Hex(token), env);
}

type Cached = { readonly identity: Identity; readonly until: number };
const cache = new Map<string, Cached>();

async function storedIdentity(hash: string, env: IdentityEnv): Promise<Identity | null | "unavailable"> {
  const now = Date.now();
  const hit = cache.get(hash);
  if (hit && hit.until > now) return hit.identity;
  cache.delete(hash);
  let record: TokenRecord | null;
  try {
    record = await store(env).tokenByHash(hash);
  } catch (err) {
    console.error("admin auth: the config store could not look up a token:", err);
    return "unavailable";
  }
  if (!record) return null;
  const identity: Identity = { name: record.name, scopes: record.scopes, admin: false };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(hash, { identity, until: now + STORED_TOKEN_CACHE_MS });
  return identity;
}

/** Forgets a revoked token in this isolate at once (other isolates within STORED_TOKEN_CACHE_MS). */
export function forgetStoredToken(name: string): void {
  for (const [hash, entry] of cache) if (entry.identity.name === name) cache.delete(hash);
}

/** A new stored token: 256 random bits, base64url, with a prefix that says what it is. */
export function newStoredToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const base64 = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return STORED_TOKEN_PREFIX + base64;
}

async function digest(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", encoder.encode(text));
}
