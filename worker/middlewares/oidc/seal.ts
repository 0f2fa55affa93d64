// Sealed cookie values: JSON encrypted with AES-256-GCM, whose tag also signs it (a changed byte,
// another key or another purpose fails to open). Keys come from the configured secret through
// HKDF-SHA-256, one per purpose (session, state), so a state cookie never opens as a session. The
// cookie's name is the additional data: a value moved to another cookie does not open either.
import { base64url } from "jose";

export type Purpose = "session" | "state";

export interface Sealer {
  seal(purpose: Purpose, name: string, value: unknown): Promise<string>;
  /** The value, or null when it was not sealed with this secret, purpose and name. */
  open(purpose: Purpose, name: string, sealed: string): Promise<unknown>;
}

const IV_BYTES = 12;
const encoder = new TextEncoder();

async function deriveKey(secret: string, purpose: Purpose): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: encoder.encode("switchyard-oidc"), info: encoder.encode(`cookie:${purpose}`) },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

export function sealer(secret: string): Sealer {
  const keys = new Map<Purpose, Promise<CryptoKey>>();
  const key = (purpose: Purpose) => {
    let found = keys.get(purpose);
    if (!found) keys.set(purpose, (found = deriveKey(secret, purpose)));
    return found;
  };
  return {
    async seal(purpose, name, value) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const plain = encoder.encode(JSON.stringify(value));
      const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(name) }, await key(purpose), plain));
      const out = new Uint8Array(IV_BYTES + cipher.length);
      out.set(iv);
      out.set(cipher, IV_BYTES);
      return base64url.encode(out);
    },
    async open(purpose, name, sealed) {
      try {
        const bytes = base64url.decode(sealed);
        if (bytes.length <= IV_BYTES + 16) return null;
        const plain = await crypto.subtle.decrypt(
          { name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES), additionalData: encoder.encode(name) },
          await key(purpose),
          bytes.subarray(IV_BYTES),
        );
        return JSON.parse(new TextDecoder().decode(plain)) as unknown;
      } catch {
        return null; // tampered, another key, or not ours: no value
      }
    },
  };
}
