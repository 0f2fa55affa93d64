// Small byte helpers shared by the auth middlewares (Workers have Web Crypto, not Node's Buffer).

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function hex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = "";
  for (const b of view) out += b.toString(16).padStart(2, "0");
  return out;
}

/** Lower-case hex MD5, as go-http-auth's H(). Workers' Web Crypto has MD5 as a non-standard extension. */
export async function md5Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest("MD5", utf8(text)));
}

/** Equal strings, compared in time independent of where they differ (as Go's subtle.ConstantTimeCompare). */
export function sameText(a: string, b: string): boolean {
  const x = utf8(a);
  const y = utf8(b);
  // timingSafeEqual needs equal lengths; a length mismatch is not secret (Go returns early too).
  return x.length === y.length && crypto.subtle.timingSafeEqual(x, y);
}

/** Standard base64 (with padding) to bytes, or null when it is not valid base64, as Go's StdEncoding. */
export function fromBase64(text: string): Uint8Array | null {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null;
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
