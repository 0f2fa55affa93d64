// What the upstream learns of the user: the forwardHeaders, each set to a claim of the ID token
// (a header the client sent under that name is removed first, so it cannot be forged).
import type { JWTPayload } from "jose";

function claimText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(",");
  return JSON.stringify(value);
}

export function withClaimHeaders(headers: Headers, forward: readonly (readonly [string, string])[], claims: JWTPayload): Headers {
  const out = new Headers(headers);
  for (const [header] of forward) out.delete(header);
  for (const [header, claim] of forward) {
    const text = claimText(claims[claim]);
    // A value with CR, LF or NUL could not be a header value: left out rather than failing the request.
    if (text !== null && !/[\r\n\0]/.test(text)) out.set(header, text);
  }
  return out;
}
