// Digest nonces that any isolate can check. go-http-auth keeps issued nonces in one process's memory;
// a Worker runs in many isolates, so a nonce issued by one must be accepted by another. Nonces are
// therefore signed (HMAC-SHA-256 under a key derived from the middleware's config, the same in every
// isolate) and carry their issue time; they expire after NONCE_TTL_MS. The nonce count (nc) that
// go-http-auth uses against replays is tracked per isolate, bounded as go-http-auth bounds its cache.
import { hex, sameText, toBase64, utf8 } from "./bytes.ts";

export const NONCE_TTL_MS = 5 * 60_000;
const CACHE_SIZE = 1000;
const CACHE_TOLERANCE = 100;

interface Seen {
  nc: bigint;
  lastSeen: number;
}

export type NonceCheck = "ok" | "stale";

export class DigestNonces {
  private key: Promise<CryptoKey> | null = null;
  private opaqueValue: Promise<string> | null = null;
  private readonly seen = new Map<string, Seen>();

  private readonly material: string;

  /** `material` must be the same in every isolate and not guessable: the middleware's users are. */
  constructor(material: string) {
    this.material = material;
  }

  /** The opaque value: fixed per middleware config (go-http-auth draws one per process). */
  opaque(): Promise<string> {
    this.opaqueValue ??= this.sign("opaque").then((mac) => toBase64(mac.subarray(0, 12)));
    return this.opaqueValue;
  }

  async issue(now = Date.now()): Promise<string> {
    const body = `${now.toString(36)}.${hex(crypto.getRandomValues(new Uint8Array(9)))}`;
    return `${body}.${hex((await this.sign(body)).subarray(0, 16))}`;
  }

  /** "ok" when the nonce is ours, fresh, and nc grows; "stale" otherwise (the client retries with a new one). */
  async check(nonce: string, nc: bigint, now = Date.now()): Promise<NonceCheck> {
    const dot = nonce.lastIndexOf(".");
    const body = nonce.slice(0, dot);
    const issued = parseInt(body.split(".")[0] ?? "", 36);
    if (dot < 0 || !(await this.verify(body, nonce.slice(dot + 1)))) return "stale";
    if (!(now - issued <= NONCE_TTL_MS && issued <= now + 60_000)) return "stale";
    const seen = this.seen.get(nonce);
    // As go-http-auth: a count that does not grow is a replay (a first count of 0 is let through).
    if (seen && seen.nc !== 0n && seen.nc >= nc) return "stale";
    this.record(nonce, nc, now);
    return "ok";
  }

  private record(nonce: string, nc: bigint, now: number): void {
    this.seen.set(nonce, { nc, lastSeen: now });
    if (this.seen.size <= CACHE_SIZE + CACHE_TOLERANCE) return;
    const oldest = [...this.seen.entries()].sort((a, b) => a[1].lastSeen - b[1].lastSeen).slice(0, CACHE_TOLERANCE * 2);
    for (const [stale] of oldest) this.seen.delete(stale);
  }

  private async verify(body: string, signature: string): Promise<boolean> {
    const expected = hex((await this.sign(body)).subarray(0, 16));
    return sameText(expected, signature);
  }

  private async sign(text: string): Promise<Uint8Array> {
    this.key ??= crypto.subtle
      .digest("SHA-256", utf8(`switchyard digestAuth\n${this.material}`))
      .then((raw) => crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]));
    return new Uint8Array(await crypto.subtle.sign("HMAC", await this.key, utf8(text)));
  }
}
