// basicAuth: htpasswd users (bcrypt, {SHA}, MD5-crypt), checked as Traefik does. A missing or wrong
// credential gets go-http-auth's 401 with `Basic realm="..."`; a good one goes on, with the user in
// `headerField` and the Authorization header dropped when `removeHeader` is set.
import { fromBase64, fromUtf8 } from "./auth/bytes.ts";
import { authenticated, unauthorized } from "./auth/challenge.ts";
import { checkSecret } from "./auth/htpasswd.ts";
import { VerifiedCredentials } from "./auth/verified.ts";
import type { MiddlewareFactory } from "./types.ts";

const DEFAULT_REALM = "traefik";

interface Credentials {
  readonly user: string;
  readonly password: Uint8Array;
}

/** `user:hash` entries as a map; a user listed twice keeps the last entry (as Traefik). */
export function htpasswdUsers(entries: readonly string[]): Map<string, string> {
  const users = new Map<string, string>();
  for (const entry of entries) {
    const colon = entry.indexOf(":");
    if (colon > 0) users.set(entry.slice(0, colon), entry.slice(colon + 1));
  }
  return users;
}

/** Go's Request.BasicAuth: "Basic " (any case), standard base64, split at the first colon. */
function basicCredentials(header: string | null): Credentials | null {
  if (!header || header.length < 6 || header.slice(0, 6).toLowerCase() !== "basic ") return null;
  const decoded = fromBase64(header.slice(6));
  if (!decoded) return null;
  const colon = decoded.indexOf(0x3a);
  if (colon < 0) return null;
  return { user: fromUtf8(decoded.subarray(0, colon)), password: decoded.subarray(colon + 1) };
}

export const basicAuth: MiddlewareFactory<"basicAuth"> = (options) => {
  if (options.usersFile !== undefined) return "usersFile cannot be read: there is no filesystem on Workers; inline the users in users instead";
  const users = htpasswdUsers(options.users ?? []);
  const challenge = `Basic realm="${options.realm || DEFAULT_REALM}"`;
  const verified = new VerifiedCredentials(checkSecret);
  // An unknown user costs a hash too, so that timing does not tell which users exist (as Traefik's
  // notFoundSecret: one of the configured hashes, assumed of the same kind as the others).
  const standIn = users.values().next().value;
  async function known(credentials: Credentials): Promise<boolean> {
    const secret = users.get(credentials.user);
    if (secret !== undefined) return verified.check(credentials.user, credentials.password, secret);
    if (standIn !== undefined) await checkSecret(credentials.password, standIn);
    return false;
  }
  return (next) => async (request, rc) => {
    const credentials = basicCredentials(request.headers.get("authorization"));
    if (!credentials || !(await known(credentials))) return unauthorized(challenge);
    return next(authenticated(request, credentials.user, options.headerField, options.removeHeader), rc);
  };
};
