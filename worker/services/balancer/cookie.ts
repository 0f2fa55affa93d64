// Cookies the way Go's net/http reads and writes them, for sticky sessions: the request's
// `Cookie` header parsed (first value of a name wins), `Set-Cookie` serialized in Go's order.
import { sha1Hex } from "../hash.ts";

export interface CookieOptions {
  readonly name: string;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  /** "none", "lax", "strict" or "" (no SameSite attribute). */
  readonly sameSite: string;
  /** Seconds; 0 means a session cookie, negative expires it at once (Max-Age=0). */
  readonly maxAge: number;
  readonly path: string;
  readonly domain: string;
}

/** The value of cookie `name` in the request, unquoted, or null. */
export function readCookie(headers: Headers, name: string): string | null {
  const header = headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  return null;
}

const SAME_SITE: Record<string, string> = { none: "None", lax: "Lax", strict: "Strict" };

export function serializeCookie(options: CookieOptions, value: string): string {
  const parts = [`${options.name}=${value}`];
  if (options.path) parts.push(`Path=${options.path}`);
  if (options.domain) parts.push(`Domain=${options.domain.replace(/^\./, "")}`);
  if (options.maxAge > 0) parts.push(`Max-Age=${options.maxAge}`);
  else if (options.maxAge < 0) parts.push("Max-Age=0");
  if (options.httpOnly) parts.push("HttpOnly");
  if (options.secure) parts.push("Secure");
  const sameSite = SAME_SITE[options.sameSite.toLowerCase()];
  if (sameSite) parts.push(`SameSite=${sameSite}`);
  return parts.join("; ");
}

/** Traefik's cookie name sanitizer (RFC 2616 token characters kept, others become "_"). */
export function sanitizeCookieName(name: string): string {
  return name.replace(/[^A-Za-z0-9!#$%&'*+\-.^`|~]/g, "_");
}

/** Traefik's default sticky cookie name for a service: "_" and 5 hex digits of a SHA-1. */
export async function defaultCookieName(qualifiedService: string): Promise<string> {
  return `_${await sha1Hex(`_TRAEFIK_BACKEND_${qualifiedService}`)}`.slice(0, 6);
}
