// Remembers tokens that already verified, per middleware instance (so per config version), as
// basicAuth remembers credentials (auth/verified.ts): a signature check is tens of microseconds of
// CPU a Worker pays per request, and clients send the same token for minutes. A token is kept under
// its exact text (signature included: any other byte is another token, verified in full) until its
// exp (plus clockSkew) or TOKEN_MEMORY_MS, whichever is first, so a key removed from a JWKS stops
// being honoured within the JWKS's own shortest lifetime. Failures are never remembered.
import type { JWTPayload } from "jose";
import { ExpiringMap } from "../auth/expiring.ts";
import type { Verify } from "./keys.ts";

const CAPACITY = 1024;
/** At most as long as a JWKS is kept at the least (auth/jwks.ts JWKS_TTL_MIN_MS). */
export const TOKEN_MEMORY_MS = 60_000;

export function remembering(verify: Verify, skewSeconds: number, now: () => number = Date.now): Verify {
  const passed = new ExpiringMap<JWTPayload>(CAPACITY);
  return async (token, rc, options) => {
    const t = now();
    const hit = passed.get(token, t);
    if (hit !== undefined) return hit;
    const payload = await verify(token, rc, options);
    const exp = typeof payload.exp === "number" ? (payload.exp + skewSeconds) * 1000 : Infinity;
    // A token not yet valid (nbf, iat ahead within the skew) is checked again, not remembered.
    const early = (typeof payload.nbf === "number" && payload.nbf * 1000 > t) || (typeof payload.iat === "number" && payload.iat * 1000 > t);
    if (!early) passed.set(token, payload, Math.min(exp, t + TOKEN_MEMORY_MS));
    return payload;
  };
}
