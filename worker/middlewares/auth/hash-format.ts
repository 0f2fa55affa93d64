// htpasswd hash formats Traefik's basicAuth can match (go-http-auth's CheckSecret): bcrypt
// (`$2a$`, `$2b$`, `$2x$`, `$2y$`), `{SHA}` (base64 SHA-1) and MD5-crypt (`$apr1$`, `$1$`).
// Anything else, plain-text passwords included, never matches in Traefik; validation refuses it here.

export type HashKind = "bcrypt" | "sha1" | "md5crypt";

const FORMATS: readonly [HashKind, RegExp][] = [
  ["bcrypt", /^\$2[abxy]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/],
  ["sha1", /^\{SHA\}[A-Za-z0-9+/]{27}=$/],
  ["md5crypt", /^\$(apr1|1)\$[./0-9A-Za-z]{0,8}\$[./0-9A-Za-z]{22}$/],
];

export function hashKind(secret: string): HashKind | null {
  return FORMATS.find(([, format]) => format.test(secret))?.[0] ?? null;
}

/** Why an htpasswd secret cannot be used, or null. Never echoes the secret. */
export function hashProblem(secret: string): string | null {
  if (hashKind(secret)) return null;
  if (/^\$(5|6)\$/.test(secret)) return "SHA-crypt ($5$/$6$) hashes are not supported by Traefik's basicAuth: use bcrypt (htpasswd -nB)";
  if (/^\$2[abxy]\$/.test(secret)) return "malformed bcrypt hash (expected $2y$NN$ and 53 characters of salt and hash)";
  if (secret.startsWith("{SHA}")) return "malformed {SHA} hash (expected 28 characters of base64 after {SHA})";
  if (/^\$(apr1|1)\$/.test(secret)) return "malformed MD5 hash (expected $apr1$salt$ and 22 characters)";
  return "not an htpasswd hash: Traefik compares every entry as a hash, so a plain-text password never matches; use bcrypt ($2y$, htpasswd -nB), {SHA} (htpasswd -s) or MD5 ($apr1$, htpasswd -m)";
}
