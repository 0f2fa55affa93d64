// Preview tokens: `<version>.<expiry>.<mac>`, where expiry is unix seconds and mac the unpadded
// base64url HMAC-SHA256, keyed with the Worker's PREVIEW_SECRET, of "<version>.<expiry>". A request
// carrying a valid one in X-Switchyard-Preview is served by that stored version. Verification uses
// crypto.subtle.verify (constant time); any fault (format, expiry, mac) is the same null, so a
// caller learns nothing from how a bad token fails.

export const PREVIEW_HEADER = "x-switchyard-preview";
/** The longest a token may live (also the most a verifier accepts, so a leaked secret's old tokens die). */
export const MAX_PREVIEW_TTL_S = 86_400;
export const DEFAULT_PREVIEW_TTL_S = 3_600;

const TOKEN = /^(\d{1,16})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size > 4) keys.clear();
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

/** A token for `version` that expires at `expiry` (unix seconds). */
export async function mintPreviewToken(secret: string, version: number, expiry: number): Promise<string> {
  const payload = `${version}.${expiry}`;
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await keyFor(secret), encoder.encode(payload)));
  return `${payload}.${base64url(mac)}`;
}

/** The version a token names when it is well formed, unexpired, not too long-lived and signed with `secret`; else null. */
export async function verifyPreviewToken(secret: string, token: string, nowMs: number): Promise<number | null> {
  const m = TOKEN.exec(token.trim());
  if (!m) return null;
  const version = Number(m[1]);
  const expiry = Number(m[2]);
  const now = Math.floor(nowMs / 1000);
  const mac = fromBase64url(m[3]!);
  if (!mac || !Number.isSafeInteger(version) || version < 1) return null;
  const signed = await crypto.subtle.verify("HMAC", await keyFor(secret), mac, encoder.encode(`${m[1]}.${m[2]}`));
  // Checked after the mac, so a well-formed token costs the same whether or not it has expired.
  return signed && expiry > now && expiry <= now + MAX_PREVIEW_TTL_S ? version : null;
}

function base64url(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array | null {
  try {
    const raw = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=");
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
