// The authorization code flow with PKCE: the redirect to the provider (state, nonce and the PKCE
// verifier sealed in the short-lived state cookie) and the callback (state checked against that
// cookie, the code exchanged, the ID token verified, the session cookie set, and the browser sent
// back where it started: a path on this origin, never another site).
import { base64url } from "jose";
import { readCookie, serializeCookie } from "../../services/balancer/cookie.ts";
import type { RequestContext } from "../../services/types.ts";
import { goError } from "../respond.ts";
import type { Compiled } from "./options.ts";
import { resolveUrl } from "./urls.ts";
import type { Sealer } from "./seal.ts";
import { randomToken, writeSession, type Session } from "./session.ts";
import { exchangeCode, type Client } from "./tokens.ts";

interface LoginState {
  readonly s: string;
  readonly n: string;
  readonly v: string | null;
  /** The path (and query) to return to on this origin. */
  readonly r: string;
  readonly exp: number;
}

function isLoginState(value: unknown): value is LoginState {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Record<string, unknown>;
  return typeof s.s === "string" && typeof s.n === "string" && (s.v === null || typeof s.v === "string") && typeof s.r === "string" && typeof s.exp === "number";
}

async function challenge(verifier: string): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

/** Where the browser returns after login: the configured page, or the request's own path and query. */
function returnPath(c: Compiled, url: URL): string {
  if (c.postLogin) return c.postLogin.absolute ? new URL(c.postLogin.absolute).pathname + new URL(c.postLogin.absolute).search : c.postLogin.path;
  return url.pathname + url.search;
}

/** 302 to the provider's authorization endpoint, with the state cookie. */
export async function startLogin(c: Compiled, sealer: Sealer, rc: RequestContext, extraCookies: readonly string[]): Promise<Response> {
  const doc = await c.provider.discovery(rc.env);
  const state: LoginState = { s: randomToken(), n: randomToken(), v: c.pkce ? randomToken() : null, r: returnPath(c, rc.url), exp: Date.now() + c.stateMaxAgeS * 1000 };
  const params = new URLSearchParams({ response_type: "code", client_id: c.clientID, redirect_uri: resolveUrl(c.redirect, rc.url), scope: c.scope, state: state.s, nonce: state.n });
  if (state.v !== null) {
    params.set("code_challenge", await challenge(state.v));
    params.set("code_challenge_method", "S256");
  }
  // As Hub: a parameter given an empty value (prompt: "") is left out.
  for (const [key, value] of c.authParams) if (value !== "" && !params.has(key)) params.set(key, value);
  const location = new URL(doc.authorization_endpoint);
  for (const [key, value] of params) location.searchParams.set(key, value);
  const headers = new Headers({ location: location.href, "cache-control": "no-store" });
  for (const value of extraCookies) headers.append("set-cookie", value);
  headers.append("set-cookie", serializeCookie(c.state, await sealer.seal("state", c.state.name, state)));
  return new Response(null, { status: 302, headers });
}

/** The value that says the state cookie is spent, sent with every callback answer. */
function clearState(c: Compiled): string {
  return serializeCookie({ ...c.state, maxAge: -1 }, "");
}

function refused(c: Compiled, status: number, message: string): Response {
  const response = goError(status, message);
  response.headers.append("set-cookie", clearState(c));
  return response;
}

/** Constant-time string comparison (the state must not leak by timing). */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

async function loginState(c: Compiled, sealer: Sealer, request: Request): Promise<LoginState | null> {
  const raw = readCookie(request.headers, c.state.name);
  if (raw === null) return null;
  const opened = await sealer.open("state", c.state.name, raw);
  return isLoginState(opened) && opened.exp > Date.now() ? opened : null;
}

/** The provider's redirect back: checks, code exchange, session cookie, 302 to where the login began. */
export async function finishLogin(c: Compiled, sealer: Sealer, client: Client, request: Request, rc: RequestContext): Promise<Response> {
  const query = rc.url.searchParams;
  const state = await loginState(c, sealer, request);
  if (!state) return refused(c, 401, "oidc: no login in progress (the state cookie is missing, expired or not ours)");
  if (!sameText(query.get("state") ?? "", state.s)) return refused(c, 401, "oidc: the state does not match this browser's login");
  const error = query.get("error");
  if (error !== null) return refused(c, 401, `oidc: the OpenID Provider refused the login: ${error.replace(/[^\x20-\x7e]/g, "?")}`);
  // RFC 9207: where the provider names itself in the answer, it must be this issuer (mix-up defence).
  const iss = query.get("iss");
  const issuers = c.provider.acceptedIssuers;
  if (iss !== null && issuers && !issuers.includes(iss)) return refused(c, 401, "oidc: the answer comes from another issuer");
  const code = query.get("code");
  if (!code) return refused(c, 400, "oidc: the callback has no code");
  const result = await exchangeCode(client, code, resolveUrl(c.redirect, rc.url), state.v, state.n, rc.env);
  if (!result.ok) {
    console.error(`oidc ${c.name}: code exchange failed: ${result.error}`);
    return refused(c, result.status === 400 || result.status === 401 ? 401 : 502, "oidc: the login could not be completed");
  }
  const now = Date.now();
  const t = result.tokens;
  const session: Session = { v: 1, idt: t.idToken, rt: t.refreshToken, exp: t.expiresAt, end: now + c.expiryS * 1000, csrf: randomToken() };
  const cookies = await writeSession(sealer, c.session, session, request.headers, now);
  if (!cookies) return refused(c, 500, "oidc: the session does not fit in cookies");
  // An absolute URL on this origin: a path such as //other.example stays a path here.
  const headers = new Headers({ location: rc.url.origin + (state.r.startsWith("/") ? state.r : "/"), "cache-control": "no-store" });
  for (const value of cookies) headers.append("set-cookie", value);
  if (c.csrf) headers.append("set-cookie", serializeCookie(c.csrf.cookie, session.csrf));
  headers.append("set-cookie", clearState(c));
  return new Response(null, { status: 302, headers });
}
