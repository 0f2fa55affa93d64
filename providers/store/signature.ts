// Signed configs (CONFIG_SIGNING_PUBLIC_KEY): what is signed and how a signature is checked, shared
// by the CLI that signs (switchyard push --sign) and the isolates that verify (providers/signed.ts).
//
// The signature covers the sha256 of the snapshot's canonical text: the text an isolate loads is
// checked against that sha256 (ref.ts verifySnapshot) before anything else, so a signature over
// the hash vouches for the exact bytes, costs the same for any config size, and a rollback to an
// unchanged text keeps its signature. The message has a fixed context prefix so a signature made
// for something else with the same key can never pass as a config signature.

/** What is signed: this prefix and the sha256 in lower-case hex, as UTF-8. */
export const SIGNATURE_CONTEXT = "switchyard-config-v1 sha256:";

export function signedMessage(sha256: string): Uint8Array {
  return new TextEncoder().encode(`${SIGNATURE_CONTEXT}${sha256}`);
}

/** base64 or base64url (padding optional) to bytes, or null. */
export function fromBase64Any(text: string): Uint8Array | null {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(trimmed)) return null;
  const std = trimmed.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  if (std.length % 4 === 1) return null;
  try {
    return Uint8Array.from(atob(std + "=".repeat((4 - (std.length % 4)) % 4)), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** An Ed25519 signature is 64 bytes: its bytes, or why the text is not one. */
export function parseSignature(text: string): { ok: true; value: Uint8Array } | { ok: false; error: string } {
  const bytes = fromBase64Any(text);
  if (!bytes) return { ok: false, error: "the signature is not base64 or base64url" };
  if (bytes.length !== 64) return { ok: false, error: `an Ed25519 signature is 64 bytes, this one is ${bytes.length}` };
  return { ok: true, value: bytes };
}

const PEM = /^-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----\s*$/;

/**
 * CONFIG_SIGNING_PUBLIC_KEY as a WebCrypto key: the raw 32-byte key in base64 or base64url, or a
 * PEM "PUBLIC KEY" (SPKI, what `openssl pkey -pubout` writes). Throws an Error saying which.
 */
export async function importPublicKey(text: string): Promise<CryptoKey> {
  const pem = PEM.exec(text.trim());
  const der = pem ? fromBase64Any(pem[1]!.replace(/\s+/g, "")) : null;
  const raw = pem ? null : fromBase64Any(text);
  const problem = "CONFIG_SIGNING_PUBLIC_KEY must be an Ed25519 public key: 32 bytes in base64 or base64url, or a PEM PUBLIC KEY";
  if (pem && !der) throw new Error(`${problem} (the PEM body is not base64)`);
  if (!pem && (!raw || raw.length !== 32)) throw new Error(`${problem} (got ${raw ? `${raw.length} bytes` : "neither"})`);
  try {
    return await crypto.subtle.importKey(pem ? "spki" : "raw", (der ?? raw)!, { name: "Ed25519" }, false, ["verify"]);
  } catch (err) {
    throw new Error(`${problem}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Whether `signature` (base64/base64url text) is the key's signature of the config with this sha256. */
export async function verifySignature(key: CryptoKey, sha256: string, signature: string): Promise<boolean> {
  const parsed = parseSignature(signature);
  if (!parsed.ok) return false;
  return crypto.subtle.verify({ name: "Ed25519" }, key, parsed.value, signedMessage(sha256));
}
