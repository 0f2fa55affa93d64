// The token endpoint (authorization code and refresh token grants) and ID token verification:
// signature against the provider's key set (jose), iss, aud, exp, and azp, nonce and sub where
// they apply (OpenID Connect Core 1.0 §3.1.3.7, §12.2).
import { errors, jwtVerify, type JWTPayload } from "jose";
import type { Discovery, ProviderClient } from "./provider.ts";

/** Seconds of clock difference with the provider accepted on exp, iat and nbf. */
const CLOCK_TOLERANCE_S = 30;

export interface Client {
  readonly provider: ProviderClient;
  readonly clientID: string;
  /** null: a public client (PKCE only). */
  readonly clientSecret: string | null;
}

export interface Tokens {
  readonly idToken: string;
  readonly claims: JWTPayload;
  readonly refreshToken: string | null;
  /** Epoch ms when the tokens expire: the ID token's exp, or the access token's if sooner. */
  readonly expiresAt: number;
}

export type TokenResult = { readonly ok: true; readonly tokens: Tokens } | { readonly ok: false; readonly status: number; readonly error: string };

/** client_secret_basic unless the provider lists only client_secret_post (Core §9: basic is the default). */
function authenticate(client: Client, doc: Discovery, params: URLSearchParams): Headers {
  const headers = new Headers({ "content-type": "application/x-www-form-urlencoded", accept: "application/json" });
  if (client.clientSecret === null) {
    params.set("client_id", client.clientID);
    return headers;
  }
  const methods = doc.token_endpoint_auth_methods_supported ?? ["client_secret_basic"];
  if (!methods.includes("client_secret_basic") && methods.includes("client_secret_post")) {
    params.set("client_id", client.clientID);
    params.set("client_secret", client.clientSecret);
    return headers;
  }
  // RFC 6749 §2.3.1: both form-encoded before they are joined.
  const user = `${encodeURIComponent(client.clientID)}:${encodeURIComponent(client.clientSecret)}`;
  headers.set("authorization", `Basic ${btoa(user)}`);
  return headers;
}

function algorithms(doc: Discovery): string[] {
  const listed = (doc.id_token_signing_alg_values_supported ?? ["RS256"]).filter((alg) => alg !== "none" && !alg.startsWith("HS"));
  return listed.length > 0 ? listed : ["RS256"];
}

export interface Expected {
  readonly nonce?: string;
  readonly sub?: string;
}

/** The ID token's claims once verified, or why it is refused. */
export async function verifyIdToken(client: Client, idToken: string, expected: Expected, env: object): Promise<JWTPayload | string> {
  const doc = await client.provider.discovery(env);
  const options = { issuer: client.provider.acceptedIssuers, audience: client.clientID, algorithms: algorithms(doc), clockTolerance: CLOCK_TOLERANCE_S };
  const keys = await client.provider.keys(env);
  let payload: JWTPayload;
  try {
    payload = (await jwtVerify(idToken, keys, options)).payload;
  } catch (err) {
    // A key the cached set lacks (the provider rotated): one newer set, if the cooldown allows.
    const newer = err instanceof errors.JWKSNoMatchingKey ? await client.provider.newerKeys(env, keys) : null;
    if (!newer) return `the ID token is not valid: ${err instanceof Error ? err.message : String(err)}`;
    try {
      payload = (await jwtVerify(idToken, newer, options)).payload;
    } catch (again) {
      return `the ID token is not valid: ${again instanceof Error ? again.message : String(again)}`;
    }
  }
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== client.clientID) return "the ID token has several audiences and its azp is not this client";
  if (expected.nonce !== undefined && payload.nonce !== expected.nonce) return "the ID token's nonce is not the one this login sent";
  if (expected.sub !== undefined && payload.sub !== expected.sub) return "the refreshed ID token is for another subject";
  if (typeof payload.sub !== "string" || payload.sub === "") return "the ID token has no sub";
  return payload;
}

async function grant(client: Client, params: URLSearchParams, env: object): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; status: number; error: string }> {
  const doc = await client.provider.discovery(env);
  const headers = authenticate(client, doc, params);
  const { status, body } = await client.provider.send(doc.token_endpoint, { method: "POST", headers, body: params.toString() }, env);
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  if (status !== 200) return { ok: false, status, error: typeof fields.error === "string" ? fields.error : `status ${status}` };
  return { ok: true, body: fields };
}

function expiresAt(claims: JWTPayload, body: Record<string, unknown>, now: number): number {
  const idExp = typeof claims.exp === "number" ? claims.exp * 1000 : Infinity;
  const accessExp = typeof body.expires_in === "number" ? now + body.expires_in * 1000 : Infinity;
  const soonest = Math.min(idExp, accessExp);
  return Number.isFinite(soonest) ? soonest : now + 5 * 60 * 1000;
}

/** The authorization code exchanged for tokens, the ID token verified against the login's nonce. */
export async function exchangeCode(client: Client, code: string, redirectUri: string, verifier: string | null, nonce: string, env: object): Promise<TokenResult> {
  const params = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri });
  if (verifier !== null) params.set("code_verifier", verifier);
  const now = Date.now();
  const answer = await grant(client, params, env);
  if (!answer.ok) return answer;
  const idToken = answer.body.id_token;
  if (typeof idToken !== "string") return { ok: false, status: 502, error: "the token endpoint sent no id_token (is openid among the scopes?)" };
  const claims = await verifyIdToken(client, idToken, { nonce }, env);
  if (typeof claims === "string") return { ok: false, status: 401, error: claims };
  const refreshToken = typeof answer.body.refresh_token === "string" ? answer.body.refresh_token : null;
  return { ok: true, tokens: { idToken, claims, refreshToken, expiresAt: expiresAt(claims, answer.body, now) } };
}

/** New tokens for the session's refresh token; the provider may send no new ID token or refresh token (kept). */
export async function refreshTokens(client: Client, current: { idToken: string; sub: string; refreshToken: string }, env: object): Promise<TokenResult> {
  const now = Date.now();
  const answer = await grant(client, new URLSearchParams({ grant_type: "refresh_token", refresh_token: current.refreshToken }), env);
  if (!answer.ok) return answer;
  const idToken = typeof answer.body.id_token === "string" ? answer.body.id_token : null;
  const refreshToken = typeof answer.body.refresh_token === "string" ? answer.body.refresh_token : current.refreshToken;
  if (idToken === null) {
    const exp = typeof answer.body.expires_in === "number" ? now + answer.body.expires_in * 1000 : now + 5 * 60 * 1000;
    return { ok: true, tokens: { idToken: current.idToken, claims: {}, refreshToken, expiresAt: exp } };
  }
  const claims = await verifyIdToken(client, idToken, { sub: current.sub }, env);
  if (typeof claims === "string") return { ok: false, status: 502, error: claims };
  return { ok: true, tokens: { idToken, claims, refreshToken, expiresAt: expiresAt(claims, answer.body, now) } };
}
