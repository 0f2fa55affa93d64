// How API keys are stored: never as they are, only as a hash. `sha256:<64 hex>` (the SHA-256 of the
// key's bytes) is what Switchyard looks keys up by: an API key is long and random, so one fast hash
// is as safe as a slow one, and the presented key is hashed once and found in a Map (O(1)). bcrypt
// (`$2y$…`, htpasswd -nB, what Traefik Hub's examples use) is accepted for configs pasted from Hub,
// checked one by one; SHA-1 and MD5 (which Hub also takes) and plain keys are refused.
import { hashKind } from "../auth/hash-format.ts";
import { hex } from "../auth/bytes.ts";

export type KeyHash = { readonly kind: "sha256"; readonly hex: string } | { readonly kind: "bcrypt"; readonly hash: string };

const SHA256 = /^sha256:([0-9a-fA-F]{64})$/;

export function parseKeyHash(value: string): KeyHash | null {
  const sha = SHA256.exec(value);
  if (sha) return { kind: "sha256", hex: sha[1]!.toLowerCase() };
  return hashKind(value) === "bcrypt" ? { kind: "bcrypt", hash: value } : null;
}

/** Why a stored key cannot be used, or null. Never echoes the value (it may be a plain key). */
export function keyHashProblem(value: string): string | null {
  if (parseKeyHash(value)) return null;
  const kind = hashKind(value);
  if (kind === "sha1" || kind === "md5crypt") {
    return `${kind === "sha1" ? "{SHA} (SHA-1)" : "MD5-crypt"} is too weak for API keys here: use sha256:<hex> (printf %s "$KEY" | sha256sum) or bcrypt`;
  }
  if (value.startsWith("urn:k8s:secret:")) return "Kubernetes Secret references cannot be read on Workers: write the hash itself (sha256:<hex> or bcrypt)";
  if (/^sha256:/i.test(value)) return "malformed sha256 hash: expected sha256: and 64 hex digits";
  if (/^\$2[abxy]\$/.test(value)) return "malformed bcrypt hash (expected $2y$NN$ and 53 characters of salt and hash)";
  return 'not a hash: keys are stored only as hashes, a plain key is refused; write sha256:<hex> (printf %s "$KEY" | sha256sum) or a bcrypt hash (htpasswd -nbB "" "$KEY" | cut -c 2-)';
}

/** The hex SHA-256 of a presented key: what inline `sha256:` entries and the KV store are keyed by. */
export async function sha256Hex(key: Uint8Array): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", key));
}

/** The consumer id of a Traefik Hub `secretValues` entry, which names none: a short, stable fingerprint. */
export function anonymousConsumer(hash: KeyHash, index: number): string {
  return hash.kind === "sha256" ? `sha256:${hash.hex.slice(0, 16)}` : `secretValues[${index}]`;
}
