// Bearer-token auth for everything under the admin base path. The token is compared in constant
// time (both sides hashed first, so neither length nor content leaks through timing), and failed
// attempts are throttled per client address (throttle.ts). METRICS_TOKEN, when set, is a second,
// read-only token that opens GET <base>/metrics and nothing else (what a Prometheus scraper holds).
import type { Env } from "../env.ts";
import { jsonError } from "./responses.ts";
import { clientKey, consult, type ThrottleEnv } from "./throttle.ts";

const encoder = new TextEncoder();

export type AuthEnv = Pick<Env, "ADMIN_TOKEN" | "METRICS_TOKEN"> & ThrottleEnv;

/** null when the request may go on; otherwise the refusal to send. `metricsRead`: the request is a read of <base>/metrics. */
export async function authorize(request: Request, env: AuthEnv, metricsRead = false): Promise<Response | null> {
  const token = env.ADMIN_TOKEN;
  const tokens = [token, metricsRead ? env.METRICS_TOKEN : undefined].filter((t): t is string => !!t);
  if (tokens.length === 0) {
    return jsonError(403, "the admin API is disabled: no ADMIN_TOKEN is configured (wrangler secret put ADMIN_TOKEN; .dev.vars locally)");
  }
  const header = request.headers.get("authorization");
  const match = /^Bearer ([^\s]+)$/i.exec(header ?? "");
  const valid = match !== null && (await anySecret(match[1]!, tokens));
  // Any Authorization header that fails is a guess and takes a failure; no header is none.
  const throttle = await consult(env, clientKey(request), !valid && header !== null);
  if (throttle === null) return jsonError(503, "the admin API cannot check its failed-login throttle right now: try again shortly", { "retry-after": "1" });
  if (throttle.blocked) return tooManyFailures(throttle.retryAfterMs);
  if (valid) return null;
  return jsonError(401, "missing or wrong bearer token (send Authorization: Bearer <ADMIN_TOKEN>)", {
    "www-authenticate": 'Bearer realm="switchyard"',
  });
}

function tooManyFailures(retryAfterMs: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return jsonError(429, `too many failed admin logins from this address: try again in ${seconds} s`, { "retry-after": String(seconds) });
}

/** Compares against every token (no early exit: which one matched does not show in the timing). */
async function anySecret(given: string, expected: readonly string[]): Promise<boolean> {
  const results = await Promise.all(expected.map((t) => sameSecret(given, t)));
  return results.includes(true);
}

async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

async function digest(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", encoder.encode(text));
}
