// jwt options the schema alone cannot judge, refused at validation with their path as Traefik Hub
// refuses them when it builds the middleware: one key source, keys that can be read, a claims
// expression that parses, and the HTTP client settings a Worker cannot honour.
import { durationMs } from "../../go/duration.ts";
import type { Path } from "../../schema/issues.ts";
import type { MiddlewareOptions } from "../../schema/middlewares.ts";
import { fromBase64, utf8 } from "../auth/bytes.ts";
import { parseClaims } from "../auth/claims.ts";
import { parseJwks } from "../auth/jwks.ts";
import { publicKeyKind } from "../auth/public-key.ts";
import type { IssueSink, OptionCheck } from "./types.ts";

export const JWT_SOURCES = ["signingSecret", "publicKey", "jwksFile", "jwksUrl"] as const;

type JwtOptions = MiddlewareOptions<"jwt">;

/** The secret's bytes (base64-decoded when so configured), or null when it does not decode. */
export function signingSecretBytes(o: Pick<JwtOptions, "signingSecret" | "signingSecretBase64Encoded">): Uint8Array | null {
  const secret = o.signingSecret ?? "";
  return o.signingSecretBase64Encoded ? fromBase64(secret.trim()) : utf8(secret);
}

function checkSecret(issues: IssueSink, path: Path, o: JwtOptions): void {
  if (o.signingSecretBase64Encoded && !o.signingSecret) issues.warn([...path, "signingSecretBase64Encoded"], "has no effect without signingSecret");
  if (!o.signingSecret) return;
  const bytes = signingSecretBytes(o);
  if (!bytes) issues.error([...path, "signingSecret"], "is not valid base64 (signingSecretBase64Encoded is true); the value is not shown");
  else if (bytes.length < 32) issues.warn([...path, "signingSecret"], `is ${bytes.length} bytes: HS256 wants at least 32 (RFC 7518 section 3.2), or a guessed secret forges tokens`);
}

function checkJwksFile(issues: IssueSink, path: Path, text: string): void {
  if (!text.trim().startsWith("{")) {
    issues.error(path, "is read as the JWK set itself (JSON): there is no filesystem on Workers to read a path from; inline the file's content");
    return;
  }
  const jwks = parseJwks(text);
  if (typeof jwks === "string") return issues.error(path, jwks);
  jwks.keys.forEach((key, i) => {
    if ("d" in key || "k" in key) issues.error(path, `keys[${i}]${key.kid ? ` (kid ${JSON.stringify(key.kid)})` : ""} holds private or secret key material: a JWK set here holds public keys only`);
  });
}

function checkClient(issues: IssueSink, path: Path, o: JwtOptions): void {
  const client = o.clientConfig;
  if (!client) return;
  if (!o.jwksUrl) issues.warn([...path, "clientConfig"], "is only used to fetch jwksUrl");
  const tls = client.tls;
  if (tls?.cert !== undefined || tls?.key !== undefined) issues.error([...path, "clientConfig", "tls"], "cert and key cannot be used: fetch() on Workers cannot present a client certificate (use an mTLS binding behind binding://)");
  if (tls?.ca !== undefined) issues.warn([...path, "clientConfig", "tls", "ca"], "is ignored: Workers check servers against the platform's trust store");
  if (tls?.insecureSkipVerify) issues.warn([...path, "clientConfig", "tls", "insecureSkipVerify"], "is ignored: Workers always verify the server's certificate");
}

export const checkJwt: OptionCheck<"jwt"> = (issues, path, o) => {
  const sources = JWT_SOURCES.filter((k) => o[k] !== undefined && o[k] !== "");
  if (sources.length === 0) issues.error(path, `one of ${JWT_SOURCES.join(", ")} must be set`);
  if (sources.length > 1) issues.error([...path, sources[1]!], `only one key source may be set, found ${sources.join(" and ")}`);
  checkSecret(issues, path, o);
  if (o.publicKey) {
    const kind = publicKeyKind(o.publicKey);
    if (!["RSA", "RSA-PSS", "P-256", "P-384", "Ed25519"].includes(kind)) issues.error([...path, "publicKey"], kind);
  }
  if (o.jwksFile) checkJwksFile(issues, [...path, "jwksFile"], o.jwksFile);
  if (o.jwksUrl?.startsWith("http://")) issues.warn([...path, "jwksUrl"], "is plain http: whoever sits on the path can serve their own keys and sign any token; use https:// or binding://");
  if (o.forwardAuthorization !== undefined && o.stripAuthorizationHeader !== undefined && o.forwardAuthorization === o.stripAuthorizationHeader) {
    issues.error([...path, "stripAuthorizationHeader"], `contradicts forwardAuthorization: ${o.forwardAuthorization}; set one of them`);
  }
  if (o.claims) {
    const parsed = parseClaims(o.claims);
    if (!parsed.ok) issues.error([...path, "claims"], `invalid expression at position ${parsed.position}: ${parsed.message} (in ${JSON.stringify(o.claims)})`);
  }
  for (const [header, claim] of Object.entries(o.forwardHeaders ?? {})) {
    if (claim === "") issues.error([...path, "forwardHeaders", header], "names no claim");
  }
  if (durationMs(o.clockSkew) < 0) issues.error([...path, "clockSkew"], "cannot be negative");
  checkClient(issues, path, o);
};
