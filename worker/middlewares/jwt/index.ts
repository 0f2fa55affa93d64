// jwt (Traefik Hub's middleware): a request passes with a JWT whose signature verifies against the
// configured key source and whose exp, nbf and iat hold (within clockSkew); then, when set, the
// `claims` expression must hold too. Upstream gets the claims in forwardHeaders, and no
// Authorization header unless forwardAuthorization. RFC 6750 answers otherwise (auth/bearer.ts).
import { errors, type JWTPayload } from "jose";
import { durationMs } from "../../go/duration.ts";
import type { MiddlewareOptions } from "../../schema/middlewares.ts";
import { claimsRefused, tokenRefused, type TokenFailure } from "../auth/bearer.ts";
import { claimHeaders } from "../auth/claim-headers.ts";
import { claimAt, parseClaims, type ClaimsPredicate } from "../auth/claims.ts";
import { JwksUnavailable } from "../auth/jwks.ts";
import type { MiddlewareFactory } from "../types.ts";
import { keySource } from "./keys.ts";
import { findToken } from "./token.ts";
import { remembering } from "./verified-tokens.ts";

/** Why a token was refused, from jose's error (anything unforeseen is "invalid"). */
export function failureOf(error: unknown): TokenFailure {
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed) return error.claim === "nbf" || error.claim === "iat" ? "not-yet-valid" : "invalid";
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return "malformed";
  return "invalid";
}

function forwardsAuthorization(o: MiddlewareOptions<"jwt">): boolean {
  if (o.forwardAuthorization !== undefined) return o.forwardAuthorization;
  return o.stripAuthorizationHeader === false;
}

function usernameOf(payload: JWTPayload, claim: string | undefined): string | undefined {
  if (!claim) return undefined;
  const value = claimAt(payload, claim);
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

export const jwt: MiddlewareFactory<"jwt"> = (options, ctx) => {
  const source = keySource(options);
  if (typeof source === "string") return source;
  let allowed: ClaimsPredicate | null = null;
  if (options.claims) {
    const parsed = parseClaims(options.claims);
    if (!parsed.ok) return `claims: invalid expression at position ${parsed.position}: ${parsed.message}`;
    allowed = parsed.test;
  }
  const skew = Math.floor(durationMs(options.clockSkew) / 1000);
  const verify = remembering(source, skew);
  const applyHeaders = claimHeaders(options.forwardHeaders);
  const keepAuthorization = forwardsAuthorization(options);
  return (next) => async (request, rc) => {
    const found = await findToken(request, rc.url, options.tokenKey);
    if (found.token === null) return tokenRefused("missing");
    if (found.token === "malformed") return tokenRefused("malformed");
    let payload: JWTPayload;
    try {
      payload = await verify(found.token, rc, { clockTolerance: skew });
    } catch (error) {
      if (!(error instanceof errors.JOSEError || error instanceof JwksUnavailable)) console.error(`jwt ${ctx.name}: verifying a token:`, error);
      return tokenRefused(failureOf(error));
    }
    // jose checks iat only with maxTokenAge; Traefik Hub refuses a token issued in the future.
    if (typeof payload.iat === "number" && payload.iat > Date.now() / 1000 + skew) return tokenRefused("not-yet-valid");
    if (allowed && !allowed(payload)) return claimsRefused();
    const headers = new Headers(found.request.headers);
    applyHeaders(headers, payload);
    if (!keepAuthorization) headers.delete("authorization");
    const username = usernameOf(payload, options.usernameClaim);
    if (username !== undefined && rc.observed) rc.observed.clientUsername = username;
    return next(new Request(found.request, { headers }), rc);
  };
};
