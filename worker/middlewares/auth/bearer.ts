// RFC 6750's answers for a bearer-token middleware (jwt, oidc's bearer mode). A request with no
// token gets a bare `Bearer` challenge (section 3.1: no error code when no credentials were sent);
// a bad token gets `error="invalid_token"` with a description that names only the category (so it
// tells an attacker nothing a token's own claims do not already say); a good token whose claims do
// not allow the request gets 403 `insufficient_scope`.

export type TokenFailure = "missing" | "malformed" | "expired" | "not-yet-valid" | "invalid";

const DESCRIPTIONS: Readonly<Record<Exclude<TokenFailure, "missing">, string>> = {
  malformed: "The access token is malformed",
  expired: "The access token expired",
  "not-yet-valid": "The access token is not valid yet",
  invalid: "The access token could not be verified",
};

function answer(status: number, challenge: string): Response {
  const body = status === 401 ? "401 Unauthorized\n" : "403 Forbidden\n";
  return new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", "www-authenticate": challenge } });
}

export function tokenRefused(failure: TokenFailure): Response {
  if (failure === "missing") return answer(401, "Bearer");
  return answer(401, `Bearer error="invalid_token", error_description="${DESCRIPTIONS[failure]}"`);
}

export function claimsRefused(): Response {
  return answer(403, 'Bearer error="insufficient_scope", error_description="The access token does not allow this request"');
}

/** The token of an `Authorization: Bearer <token>` header; "malformed" for an empty one; null for none or another scheme. */
export function bearerToken(authorization: string | null): string | "malformed" | null {
  if (!authorization) return null;
  const m = /^bearer(?:\s+(.*))?$/i.exec(authorization.trim());
  if (!m) return null;
  const token = (m[1] ?? "").trim();
  return token === "" || /\s/.test(token) ? "malformed" : token;
}
