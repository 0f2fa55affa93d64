// Bearer-token auth for everything under the admin base path: who the token is (identity.ts: the
// Worker's own tokens compared in constant time, or a stored token by its hash), then whether its
// scopes allow the call (scopes.ts: 403 if not). Failed attempts are throttled per client address
// (throttle.ts); a valid token that lacks a scope is not a failed attempt (it is not a guess).
import type { Env } from "../env.ts";
import { anyTokenConfigured, identify, type Identity, type IdentityEnv } from "./identity.ts";
import { jsonError } from "./responses.ts";
import { describeNeed, type Need } from "./scopes.ts";
import { clientKey, consult, type ThrottleEnv } from "./throttle.ts";

export type AuthEnv = IdentityEnv & Pick<Env, "ADMIN_TOKEN"> & ThrottleEnv;

/** The caller's identity, or the refusal to send (401, 403 when the admin API is off, 429, 503). */
export async function authenticate(request: Request, env: AuthEnv): Promise<Identity | Response> {
  if (!anyTokenConfigured(env)) {
    return jsonError(403, "the admin API is disabled: no ADMIN_TOKEN is configured (wrangler secret put ADMIN_TOKEN; .dev.vars locally)");
  }
  const header = request.headers.get("authorization");
  const match = /^Bearer ([^\s]+)$/i.exec(header ?? "");
  const identity = match === null ? null : await identify(match[1]!, env);
  if (identity === "unavailable") return unavailable("look up the token");
  // Any Authorization header that fails is a guess and takes a failure; no header is none.
  const throttle = await consult(env, clientKey(request), identity === null && header !== null);
  if (throttle === null) return unavailable("check its failed-login throttle");
  if (throttle.blocked) return tooManyFailures(throttle.retryAfterMs);
  if (identity) return identity;
  return jsonError(401, "missing or wrong bearer token (send Authorization: Bearer <ADMIN_TOKEN>)", {
    "www-authenticate": 'Bearer realm="switchyard"',
  });
}

/** null when `identity` may make a call that needs `need`; otherwise the 403 to send. */
export function permit(identity: Identity, need: Need): Response | null {
  if (need.kind === "any") return null;
  if (need.kind === "manage") {
    return identity.admin ? null : jsonError(403, `token '${identity.name}' may not manage tokens: only the ADMIN_TOKEN may`);
  }
  if (need.scopes.some((s) => identity.scopes.includes(s))) return null;
  return jsonError(403, `token '${identity.name}' lacks the '${describeNeed(need)}' scope`);
}

function unavailable(what: string): Response {
  return jsonError(503, `the admin API cannot ${what} right now: try again shortly`, { "retry-after": "1" });
}

function tooManyFailures(retryAfterMs: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return jsonError(429, `too many failed admin logins from this address: try again in ${seconds} s`, { "retry-after": String(seconds) });
}
