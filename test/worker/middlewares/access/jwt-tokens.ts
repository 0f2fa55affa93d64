// Keys and tokens for the jwt tests, made with jose as an issuer would (workerd's WebCrypto).
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, SignJWT, type JWK, type JWTPayload } from "jose";

export interface Pair {
  readonly kind: string;
  readonly pkcs8: string;
  readonly spki: string;
  readonly jwk: JWK;
}

const pairs = new Map<string, Promise<Pair>>();

/** One key pair per kind (RSA, P-256, P-384, Ed25519) for the whole file: RSA keys are slow to make. */
export function pair(kind: "RS256" | "ES256" | "ES384" | "EdDSA", tag = ""): Promise<Pair> {
  const id = `${kind}:${tag}`;
  let made = pairs.get(id);
  if (!made) {
    made = (async () => {
      const { privateKey, publicKey } = await generateKeyPair(kind, { extractable: true });
      return { kind, pkcs8: await exportPKCS8(privateKey), spki: await exportSPKI(publicKey), jwk: await exportJWK(publicKey) };
    })();
    pairs.set(id, made);
  }
  return made;
}

export const KEY_OF: Readonly<Record<string, "RS256" | "ES256" | "ES384" | "EdDSA">> = {
  RS256: "RS256",
  RS384: "RS256",
  RS512: "RS256",
  PS256: "RS256",
  PS384: "RS256",
  PS512: "RS256",
  ES256: "ES256",
  ES384: "ES384",
  EdDSA: "EdDSA",
};

export interface TokenOptions {
  readonly kid?: string;
  readonly expiresIn?: string | number;
  readonly claims?: JWTPayload;
}

/** A token signed with `key` (a PKCS#8 PEM, or the secret's bytes for HS*), valid for 5 minutes by default. */
export async function token(alg: string, key: string | Uint8Array, o: TokenOptions = {}): Promise<string> {
  const signingKey = typeof key === "string" ? await importPKCS8(key, alg) : key;
  const jwt = new SignJWT({ sub: "alice", ...o.claims }).setProtectedHeader({ alg, typ: "JWT", ...(o.kid ? { kid: o.kid } : {}) });
  if (o.claims?.iat === undefined) jwt.setIssuedAt();
  if (o.claims?.exp === undefined) jwt.setExpirationTime(o.expiresIn ?? "5m");
  return jwt.sign(signingKey);
}

const b64url = (text: string) => btoa(text).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

/** An unsigned token (`alg: none`), as an attacker would send it. */
export function unsigned(claims: JWTPayload = { sub: "mallory" }): string {
  const exp = Math.floor(Date.now() / 1000) + 300;
  return `${b64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${b64url(JSON.stringify({ exp, ...claims }))}.`;
}

export const now = () => Math.floor(Date.now() / 1000);
