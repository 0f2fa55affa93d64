// The session a browser carries: sealed (seal.ts) in the session cookie, split into parts when long
// (chunks.ts). It holds the ID token (its claims are what forwardHeaders and claims read, and it is
// the id_token_hint at logout), the refresh token, when the tokens expire, when the session ends,
// and the CSRF token. Nothing is kept on the server: see docs/middlewares-oidc.md for revocation.
import { decodeJwt, type JWTPayload } from "jose";
import type { CookieOptions } from "../../services/balancer/cookie.ts";
import { clearChunked, readChunked, writeChunked } from "./chunks.ts";
import type { Sealer } from "./seal.ts";

export interface Session {
  readonly v: 1;
  /** The ID token. */
  readonly idt: string;
  /** The refresh token, when the provider gave one. */
  readonly rt: string | null;
  /** Epoch ms when the tokens expire (a refresh is due). */
  readonly exp: number;
  /** Epoch ms when the session ends. */
  readonly end: number;
  /** The token unsafe requests must echo in the csrf header. */
  readonly csrf: string;
}

function isSession(value: unknown): value is Session {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Record<string, unknown>;
  return s.v === 1 && typeof s.idt === "string" && (s.rt === null || typeof s.rt === "string") && typeof s.exp === "number" && typeof s.end === "number" && typeof s.csrf === "string";
}

/** The request's session, or null when there is none, it does not open (tampered, other key) or it ended. */
export async function readSession(sealer: Sealer, cookie: CookieOptions, request: Headers, now: number): Promise<Session | null> {
  const sealed = readChunked(request, cookie.name);
  if (sealed === null) return null;
  const session = await sealer.open("session", cookie.name, sealed);
  return isSession(session) && session.end > now ? session : null;
}

/** Set-Cookie values for the session (Max-Age: until it ends), or null when it cannot fit. */
export async function writeSession(sealer: Sealer, cookie: CookieOptions, session: Session, request: Headers, now: number): Promise<string[] | null> {
  const sealed = await sealer.seal("session", cookie.name, session);
  return writeChunked({ ...cookie, maxAge: Math.max(1, Math.ceil((session.end - now) / 1000)) }, sealed, request);
}

export function clearSession(cookie: CookieOptions, request: Headers): string[] {
  return clearChunked(cookie, request);
}

/** The ID token's claims (the token was verified before it was sealed). */
export function sessionClaims(session: Session): JWTPayload {
  try {
    return decodeJwt(session.idt);
  } catch {
    return {};
  }
}

export function randomToken(bytes = 32): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  let text = "";
  for (const b of raw) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
