// Placeholder until the jwt middleware's claims expressions are merged.
import type { JWTPayload } from "jose";

export type ClaimsCheck = (claims: JWTPayload) => boolean;

export function compileClaims(expression: string): ClaimsCheck | string {
  return `claims expressions are not available yet (${JSON.stringify(expression)})`;
}
