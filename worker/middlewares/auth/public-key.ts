// A PEM public key (`-----BEGIN PUBLIC KEY-----`, SubjectPublicKeyInfo) read far enough to know its
// kind, in pure code, so that a config is refused at validation (not at the first request) and the
// algorithms a key may verify are fixed by the key, never by the token: an RSA key verifies RS*
// and PS*, a P-256 key ES256, a P-384 key ES384, an Ed25519 key EdDSA, and nothing verifies HS*
// (the algorithm-confusion attack, an HS256 token "signed" with the public key as secret).
import { fromBase64 } from "./bytes.ts";

export type PublicKeyKind = "RSA" | "RSA-PSS" | "P-256" | "P-384" | "Ed25519";

export const ALGORITHMS_BY_KEY: Readonly<Record<PublicKeyKind, readonly string[]>> = {
  RSA: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"],
  "RSA-PSS": ["PS256", "PS384", "PS512"],
  "P-256": ["ES256"],
  "P-384": ["ES384"],
  Ed25519: ["EdDSA", "Ed25519"],
};

const OIDS: Readonly<Record<string, PublicKeyKind | "EC">> = {
  "1.2.840.113549.1.1.1": "RSA",
  "1.2.840.113549.1.1.10": "RSA-PSS",
  "1.2.840.10045.2.1": "EC",
  "1.3.101.112": "Ed25519",
};
const CURVES: Readonly<Record<string, PublicKeyKind>> = { "1.2.840.10045.3.1.7": "P-256", "1.3.132.0.34": "P-384" };

interface Der {
  readonly tag: number;
  readonly body: Uint8Array;
  readonly end: number;
}

function readDer(bytes: Uint8Array, at: number): Der | null {
  const tag = bytes[at];
  let length = bytes[at + 1];
  if (tag === undefined || length === undefined) return null;
  let start = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 3) return null;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (bytes[start + i] ?? 0);
    start += n;
  }
  if (start + length > bytes.length) return null;
  return { tag, body: bytes.subarray(start, start + length), end: start + length };
}

function oidText(body: Uint8Array): string {
  const parts = [Math.floor(body[0]! / 40), body[0]! % 40];
  let value = 0;
  for (const b of body.subarray(1)) {
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join(".");
}

/** The DER of a PEM block with the given label, or null. */
export function pemBody(pem: string, label: string): Uint8Array | null {
  const m = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  return m ? fromBase64(m[1]!.replace(/\s+/g, "")) : null;
}

/** The kind of a PEM public key, or a message saying why it cannot be used. */
export function publicKeyKind(pem: string): PublicKeyKind | string {
  if (/-----BEGIN RSA PUBLIC KEY-----/.test(pem)) return 'a PKCS#1 "RSA PUBLIC KEY" is not read: convert it to SubjectPublicKeyInfo ("PUBLIC KEY"), e.g. openssl rsa -RSAPublicKey_in -pubout';
  if (/-----BEGIN (CERTIFICATE|PRIVATE KEY|EC PRIVATE KEY|RSA PRIVATE KEY)-----/.test(pem)) return 'expected a public key in PEM ("-----BEGIN PUBLIC KEY-----"), not a certificate or a private key';
  const der = pemBody(pem, "PUBLIC KEY");
  if (!der) return 'not a PEM public key: expected "-----BEGIN PUBLIC KEY-----" ... "-----END PUBLIC KEY-----"';
  const spki = readDer(der, 0);
  const algorithm = spki && spki.tag === 0x30 ? readDer(spki.body, 0) : null;
  const oid = algorithm && algorithm.tag === 0x30 ? readDer(algorithm.body, 0) : null;
  if (!oid || oid.tag !== 0x06) return "not a SubjectPublicKeyInfo: the PEM does not decode to a public key";
  const kind = OIDS[oidText(oid.body)];
  if (!kind) return `unsupported key type (OID ${oidText(oid.body)}): use an RSA, EC P-256/P-384 or Ed25519 key`;
  if (kind !== "EC") return kind;
  const curve = readDer(algorithm!.body, oid.end);
  const named = curve && curve.tag === 0x06 ? CURVES[oidText(curve.body)] : undefined;
  return named ?? "unsupported elliptic curve: use P-256 (ES256) or P-384 (ES384)";
}

const HASHES: Readonly<Record<string, string>> = { "256": "SHA-256", "384": "SHA-384", "512": "SHA-512" };

/** WebCrypto's parameters for verifying `alg` (jose's mapping), or null for an algorithm not listed. */
function importParams(alg: string): Parameters<SubtleCrypto["importKey"]>[2] | null {
  const hash = HASHES[alg.slice(2)];
  if (alg.startsWith("RS") && hash) return { name: "RSASSA-PKCS1-v1_5", hash };
  if (alg.startsWith("PS") && hash) return { name: "RSA-PSS", hash };
  if (alg === "ES256") return { name: "ECDSA", namedCurve: "P-256" };
  if (alg === "ES384") return { name: "ECDSA", namedCurve: "P-384" };
  if (alg === "EdDSA" || alg === "Ed25519") return { name: "Ed25519" };
  return null;
}

/**
 * The PEM key as a WebCrypto verification key for `alg` (what jose's importSPKI does, without its
 * ASN.1 code: the kind is already known). Rejects an algorithm the key's kind does not allow.
 */
export async function importPublicKey(pem: string, alg: string): Promise<CryptoKey> {
  const kind = publicKeyKind(pem);
  const params = importParams(alg);
  if (!(kind in ALGORITHMS_BY_KEY) || !ALGORITHMS_BY_KEY[kind as PublicKeyKind].includes(alg) || !params) {
    throw new Error(`a ${kind} key does not verify ${alg}`);
  }
  return crypto.subtle.importKey("spki", pemBody(pem, "PUBLIC KEY")!, params, false, ["verify"]);
}
