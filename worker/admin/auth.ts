// Bearer-token auth for everything under the admin base path. The token is compared in constant
// time (both sides hashed first, so neither length nor content leaks through timing).
import { jsonError } from "./responses.ts";

const encoder = new TextEncoder();

/** null when the request may go on; otherwise the refusal to send. */
export async function authorize(request: Request, token: string | undefined): Promise<Response | null> {
  if (!token) {
    return jsonError(403, "the admin API is disabled: no ADMIN_TOKEN is configured (wrangler secret put ADMIN_TOKEN; .dev.vars locally)");
  }
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer ([^\s]+)$/i.exec(header);
  if (!match || !(await sameSecret(match[1]!, token))) {
    return jsonError(401, "missing or wrong bearer token (send Authorization: Bearer <ADMIN_TOKEN>)", {
      "www-authenticate": 'Bearer realm="switchyard"',
    });
  }
  return null;
}

async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

async function digest(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", encoder.encode(text));
}
