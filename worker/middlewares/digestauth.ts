// digestAuth: RFC 2617 Digest (MD5, qop=auth) with htdigest users `user:realm:HA1`, checked as Traefik
// does through go-http-auth: opaque, algorithm and qop must match, the uri must be the request's (or a
// path prefix of it), the response must match, and a nonce that is unknown, expired or replayed gets a
// challenge with stale=true so the client retries without asking the user again.
import { md5Hex, sameText } from "./auth/bytes.ts";
import { authenticated, unauthorized } from "./auth/challenge.ts";
import { digestParams } from "./auth/digest-params.ts";
import { DigestNonces } from "./auth/digest-nonces.ts";
import type { MiddlewareFactory } from "./types.ts";

const DEFAULT_REALM = "traefik";

type Outcome = { user: string } | "fail" | "stale";

/** `user:realm:HA1` entries keyed by `user:realm`, the last entry winning (as Traefik). */
function digestUsers(entries: readonly string[]): Map<string, string> {
  const users = new Map<string, string>();
  for (const entry of entries) {
    const last = entry.lastIndexOf(":");
    if (last > 0) users.set(entry.slice(0, last), entry.slice(last + 1));
  }
  return users;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The uri parameter names this request: equal to its request-target, or a path prefix of it. */
function uriMatches(uri: string, requestURL: URL): boolean {
  if (uri === requestURL.pathname + requestURL.search) return true;
  let claimed: URL;
  try {
    claimed = new URL(uri, requestURL.origin);
  } catch {
    return false;
  }
  return safeDecode(requestURL.pathname).startsWith(safeDecode(claimed.pathname));
}

/** The nonce count: hexadecimal, as go-http-auth reads it (strconv.ParseUint base 16). */
function nonceCount(nc: string): bigint | null {
  return /^[0-9a-fA-F]{1,16}$/.test(nc) ? BigInt(`0x${nc}`) : null;
}

export const digestAuth: MiddlewareFactory<"digestAuth"> = (options, ctx) => {
  if (options.usersFile !== undefined) return "usersFile cannot be read: there is no filesystem on Workers; inline the users in users instead";
  const realm = options.realm || DEFAULT_REALM;
  const users = digestUsers(options.users ?? []);
  const nonces = new DigestNonces(JSON.stringify([ctx.name, realm, [...users]]));

  async function check(request: Request): Promise<Outcome> {
    const p = digestParams(request.headers.get("authorization"));
    if (!p) return "fail";
    const [nonce = "", nc = "", cnonce = "", qop = "", uri = "", response = ""] = ["nonce", "nc", "cnonce", "qop", "uri", "response"].map((k) => p.get(k));
    // Clients that leave algorithm out mean MD5 (go-http-auth tolerates them).
    if (p.get("opaque") !== (await nonces.opaque()) || (p.get("algorithm") ?? "MD5") !== "MD5" || qop !== "auth") return "fail";
    if (!uriMatches(uri, new URL(request.url))) return "fail";
    const user = p.get("username") ?? "";
    const ha1 = users.get(`${user}:${realm}`);
    if (ha1 === undefined) return "fail";
    const ha2 = await md5Hex(`${request.method}:${uri}`);
    if (!sameText(await md5Hex([ha1, nonce, nc, cnonce, qop, ha2].join(":")), response)) return "fail";
    const count = nonceCount(nc);
    if (count === null) return "fail";
    return (await nonces.check(nonce, count)) === "ok" ? { user } : "stale";
  }

  async function challenge(stale: boolean): Promise<Response> {
    const value = `Digest realm="${realm}", nonce="${await nonces.issue()}", opaque="${await nonces.opaque()}", algorithm="MD5", qop="auth"`;
    return unauthorized(stale ? `${value}, stale=true` : value);
  }

  return (next) => async (request, rc) => {
    const outcome = await check(request);
    if (typeof outcome === "string") return challenge(outcome === "stale");
    return next(authenticated(request, outcome.user, options.headerField, options.removeHeader), rc);
  };
};
