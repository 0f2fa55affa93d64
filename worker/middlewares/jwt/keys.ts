// The jwt middleware's key source, one of four (Traefik Hub's): a shared secret (HS*), a PEM public
// key (the algorithms its kind allows), an inline JWK set or one fetched from jwksUrl (asymmetric
// algorithms only, as jose's JWK sets). Keys are imported once per algorithm and kept.
import { createLocalJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyOptions } from "jose";
import type { MiddlewareOptions } from "../../schema/middlewares.ts";
import type { RequestContext } from "../../services/types.ts";
import { clientGet } from "../auth/client.ts";
import { parseJwks, remoteJwks, type KeySet } from "../auth/jwks.ts";
import { ALGORITHMS_BY_KEY, importPublicKey, publicKeyKind, type PublicKeyKind } from "../auth/public-key.ts";
import { signingSecretBytes } from "../checks/jwt.ts";

export const HMAC_ALGORITHMS = ["HS256", "HS384", "HS512"] as const;
export const ASYMMETRIC_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA", "Ed25519"] as const;

type Options = MiddlewareOptions<"jwt">;
type Resolve = (header: { alg?: string }) => Promise<CryptoKey>;

/** Verifies a token's signature and its exp/nbf against the key source; throws jose's errors. */
export type Verify = (token: string, rc: RequestContext, options: JWTVerifyOptions) => Promise<JWTPayload>;

/** One import per algorithm, kept: the first request pays it, the others reuse the key. */
function perAlgorithm(importFor: (alg: string) => Promise<CryptoKey>): Resolve {
  const keys = new Map<string, Promise<CryptoKey>>();
  return (header) => {
    const alg = header.alg ?? "";
    let key = keys.get(alg);
    if (!key) {
      key = importFor(alg);
      keys.set(alg, key);
      key.catch(() => keys.delete(alg));
    }
    return key;
  };
}

/**
 * jwtVerify, and for a token without `kid` that several keys of a set could have signed (jose's
 * JWKSMultipleMatchingKeys, which lists them), each of those keys in turn.
 */
async function verifyWith(token: string, key: Resolve | KeySet, options: JWTVerifyOptions): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, key, options)).payload;
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    for await (const candidate of error) {
      try {
        return (await jwtVerify(token, candidate, options)).payload;
      } catch (failed) {
        if (!(failed instanceof errors.JWSSignatureVerificationFailed)) throw failed;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}

function withKey(resolve: Resolve | KeySet, algorithms: readonly string[]): Verify {
  return (token, _rc, options) => verifyWith(token, resolve, { ...options, algorithms: [...algorithms] });
}

function secretSource(o: Options): Verify | string {
  const bytes = signingSecretBytes(o);
  if (!bytes) return "signingSecret is not valid base64";
  const hashes: Record<string, string> = { HS256: "SHA-256", HS384: "SHA-384", HS512: "SHA-512" };
  const resolve = perAlgorithm((alg) => crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: hashes[alg] ?? "SHA-256" }, false, ["verify"]));
  return withKey(resolve, HMAC_ALGORITHMS);
}

function publicKeySource(pem: string): Verify | string {
  const kind = publicKeyKind(pem);
  if (!(kind in ALGORITHMS_BY_KEY)) return `publicKey: ${kind}`;
  const algorithms = ALGORITHMS_BY_KEY[kind as PublicKeyKind];
  return withKey(perAlgorithm((alg) => importPublicKey(pem, alg)), algorithms);
}

function jwksFileSource(text: string): Verify | string {
  const jwks = parseJwks(text);
  if (typeof jwks === "string") return `jwksFile: ${jwks}`;
  return withKey(createLocalJWKSet(jwks), ASYMMETRIC_ALGORITHMS);
}

const isNoMatchingKey = (e: unknown) => e instanceof errors.JWKSNoMatchingKey;

function jwksUrlSource(url: string, o: Options): Verify {
  const client = o.clientConfig ?? { timeoutSeconds: 5, maxRetries: 3 };
  const get = clientGet(url, client);
  const jwks = remoteJwks(url);
  const algorithms = [...ASYMMETRIC_ALGORITHMS];
  return async (token, rc, options) => {
    const fetcher = () => get(rc);
    const set = await jwks.keys(fetcher);
    try {
      return await verifyWith(token, set, { ...options, algorithms });
    } catch (error) {
      if (!isNoMatchingKey(error)) throw error;
      // An unknown kid: the issuer may have rotated its keys since this isolate fetched them.
      const newer = await jwks.refreshForUnknownKid(fetcher, set);
      if (!newer) throw error;
      return await verifyWith(token, newer, { ...options, algorithms });
    }
  };
}

/** The verifier for the one key source configured, or why it cannot be built. */
export function keySource(o: Options): Verify | string {
  if (o.signingSecret) return secretSource(o);
  if (o.publicKey) return publicKeySource(o.publicKey);
  if (o.jwksFile) return jwksFileSource(o.jwksFile);
  if (o.jwksUrl) return jwksUrlSource(o.jwksUrl, o);
  return "one of signingSecret, publicKey, jwksFile or jwksUrl must be set";
}
