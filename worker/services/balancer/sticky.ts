// Sticky sessions with Traefik v3's cookie scheme: the cookie's value is the first 16 hex digits of
// SHA-256 of the member's name (a server's URL as configured, or a child service's name). Older
// Traefik values (the plain name, its FNV-1 hash, the FNV-1 hash of that) are still recognised and
// rewritten to the current form. Hashes need Web Crypto, so the table is built on first use.
import { fnv1Hex, sha256Hex16 } from "../hash.ts";
import { defaultCookieName, readCookie, sanitizeCookieName, serializeCookie, type CookieOptions } from "./cookie.ts";

export interface StickyConfig extends Omit<CookieOptions, "name"> {
  /** As configured; empty means Traefik's default name derived from the service. */
  readonly name: string;
  /** `name@file`: what the default cookie name is derived from (as Traefik's file provider). */
  readonly qualifiedService: string;
}

interface Table<T> {
  readonly cookie: CookieOptions;
  readonly byHash: ReadonlyMap<string, T>;
  readonly legacy: ReadonlyMap<string, T>;
  readonly hashOf: ReadonlyMap<T, string>;
}

export interface StickyChoice<T> {
  readonly member: T;
  /** The cookie used an old value scheme: set it again in the current one. */
  readonly rewrite: boolean;
}

export class Sticky<T> {
  private readonly config: StickyConfig;
  private readonly members: readonly (readonly [string, T])[];
  private table: Promise<Table<T>> | null = null;

  constructor(config: StickyConfig, members: readonly (readonly [name: string, member: T])[]) {
    this.config = config;
    this.members = members;
  }

  /** The member the request's cookie names, if any (healthy or not: the caller decides). */
  async fromRequest(request: Request): Promise<StickyChoice<T> | null> {
    const table = await this.ready();
    const value = readCookie(request.headers, table.cookie.name);
    if (value === null) return null;
    const current = table.byHash.get(value);
    if (current !== undefined) return { member: current, rewrite: false };
    const legacy = table.legacy.get(value);
    return legacy === undefined ? null : { member: legacy, rewrite: true };
  }

  /** The Set-Cookie value that sticks the client to `member`. */
  async cookieFor(member: T): Promise<string> {
    const table = await this.ready();
    return serializeCookie(table.cookie, table.hashOf.get(member) ?? "");
  }

  async cookieName(): Promise<string> {
    return (await this.ready()).cookie.name;
  }

  private ready(): Promise<Table<T>> {
    this.table ??= this.build();
    return this.table;
  }

  private async build(): Promise<Table<T>> {
    const name = this.config.name ? sanitizeCookieName(this.config.name) : await defaultCookieName(this.config.qualifiedService);
    const byHash = new Map<string, T>();
    const legacy = new Map<string, T>();
    const hashOf = new Map<T, string>();
    for (const [memberName, member] of this.members) {
      const hash = await sha256Hex16(memberName);
      byHash.set(hash, member);
      hashOf.set(member, hash);
      legacy.set(memberName, member);
      legacy.set(fnv1Hex(memberName), member);
      legacy.set(fnv1Hex(fnv1Hex(memberName)), member);
    }
    return { cookie: { ...this.config, name }, byHash, legacy, hashOf };
  }
}

/** Adds a Set-Cookie to a response, copying it first when its headers are immutable. */
export function withCookie(response: Response, cookie: string): Response {
  try {
    response.headers.append("set-cookie", cookie);
    return response;
  } catch {
    const copy = response.webSocket
      ? new Response(null, { status: 101, webSocket: response.webSocket, headers: response.headers })
      : new Response(response.body, response);
    copy.headers.append("set-cookie", cookie);
    return copy;
  }
}
