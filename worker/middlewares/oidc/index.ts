// oidc: Traefik Hub's OpenID Connect middleware. A browser without a session is sent to the
// provider (authorization code flow with PKCE, flow.ts); the callback path finishes the login and
// sets the session cookie (sealed, session.ts); each request with a session is checked (claims,
// CSRF), refreshed with the refresh token once its tokens expired, and passed on with the
// forwardHeaders; the logout path ends the session (logout.ts). No server-side state.
import type { JWTPayload } from "jose";
import type { Handler, RequestContext } from "../../services/types.ts";
import { readCookie, serializeCookie } from "../../services/balancer/cookie.ts";
import { editResponse, goError } from "../respond.ts";
import type { MiddlewareFactory } from "../types.ts";
import { startLogin, finishLogin } from "./flow.ts";
import { claimHeaders, type ApplyClaimHeaders } from "../auth/claim-headers.ts";
import { claimAt, parseClaims, type Claims, type ClaimsPredicate } from "../auth/claims.ts";
import { logout } from "./logout.ts";
import { compileOptions, type Compiled } from "./options.ts";
import { sealer as makeSealer, type Sealer } from "./seal.ts";
import { resolveSecret } from "./secrets.ts";
import { clearSession, readSession, sessionClaims, writeSession, type Session } from "./session.ts";
import { refreshTokens, type Client } from "./tokens.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);
const NAVIGATIONS = new Set(["document", "iframe", "frame"]);

interface Keys {
  readonly sealer: Sealer;
  readonly client: Client;
}

/** The sealer and client for this request's secrets, remade only when a secret changes. */
function keysFor(c: Compiled): (env: object) => Keys | string {
  let last: { secret: string; clientSecret: string | null; keys: Keys } | null = null;
  return (env) => {
    const secret = resolveSecret(c.secret, env);
    if ("error" in secret) return `secret: ${secret.error}`;
    const clientSecret = c.clientSecret ? resolveSecret(c.clientSecret, env) : null;
    if (clientSecret && "error" in clientSecret) return `clientSecret: ${clientSecret.error}`;
    const cs = clientSecret ? clientSecret.value : null;
    if (last && last.secret === secret.value && last.clientSecret === cs) return last.keys;
    const keys = { sealer: makeSealer(secret.value), client: { provider: c.provider, clientID: c.clientID, clientSecret: cs } };
    last = { secret: secret.value, clientSecret: cs, keys };
    return keys;
  };
}

/** Whether a request without a session is sent to the provider (else it gets 401). */
function redirects(c: Compiled, request: Request, path: string): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  if (c.disableLogin) return false;
  if (c.login && c.login.path !== path) return false;
  // What a browser fetches for a page or a script (an image, fetch(), XHR: Sec-Fetch-Dest other
  // than a document or frame) cannot use a login page: it is told 401 instead. Clients that send
  // no Sec-Fetch-Dest (curl, Node's fetch) are redirected, as Traefik Hub redirects everyone.
  const dest = request.headers.get("sec-fetch-dest");
  return dest === null || NAVIGATIONS.has(dest);
}

interface Refreshed {
  readonly session: Session | null;
  readonly cookies: readonly string[];
}

/** The session refreshed when its tokens expired (null: it ended), re-issued when sliding. */
async function keepAlive(c: Compiled, keys: Keys, session: Session, request: Request, env: object): Promise<Refreshed> {
  const now = Date.now();
  let next = session;
  if (c.refresh && session.rt !== null && session.exp <= now) {
    const claims = sessionClaims(session);
    const result = await refreshTokens(keys.client, { idToken: session.idt, sub: String(claims.sub ?? ""), refreshToken: session.rt }, env);
    if (!result.ok) {
      console.error(`oidc ${c.name}: refresh failed, the session ends: ${result.error}`);
      return { session: null, cookies: [] };
    }
    next = { ...session, idt: result.tokens.idToken, rt: result.tokens.refreshToken, exp: result.tokens.expiresAt };
  }
  if (c.sliding && next.end - now < (c.expiryS * 1000) / 2) next = { ...next, end: now + c.expiryS * 1000 };
  if (next === session) return { session, cookies: [] };
  const cookies = (await writeSession(keys.sealer, c.session, next, request.headers, now)) ?? [];
  // The CSRF cookie lives as long as the session it belongs to.
  if (c.csrf && cookies.length > 0) cookies.push(serializeCookie({ ...c.csrf.cookie, maxAge: Math.ceil((next.end - now) / 1000) }, next.csrf));
  return { session: next, cookies };
}

function csrfRefused(c: Compiled, request: Request, session: Session): boolean {
  if (!c.csrf || SAFE_METHODS.has(request.method)) return false;
  return request.headers.get(c.csrf.header) !== session.csrf;
}

/** What a request comes to: an answer made here, or the request to pass on with cookies to add. */
type Outcome = Response | { readonly pass: Request; readonly cookies: readonly string[] };

interface Checks {
  readonly claims: ClaimsPredicate | null;
  readonly forward: ApplyClaimHeaders;
}

/** The ID token's claims, also under `id_token.` (Hub's prefix naming the token a claim is read from). */
function claimsOf(session: Session): Claims {
  const claims: JWTPayload = sessionClaims(session);
  return { ...claims, id_token: claims };
}

function authenticated(c: Compiled, checks: Checks, request: Request, rc: RequestContext, session: Session, cookies: readonly string[]): Outcome {
  const claims = claimsOf(session);
  // The access log's ClientUsername (Hub's usernameClaim), whatever the answer.
  const username = c.usernameClaim === null ? undefined : claimAt(claims, c.usernameClaim);
  if (rc.observed && typeof username === "string") rc.observed.clientUsername = username;
  if (csrfRefused(c, request, session)) return goError(403, "oidc: missing or wrong CSRF token");
  if (checks.claims && !checks.claims(claims)) return goError(403, "Forbidden");
  const headers = new Headers(request.headers);
  checks.forward(headers, claims);
  return { pass: new Request(request, { headers }), cookies };
}

async function handle(c: Compiled, checks: Checks, keys: Keys, request: Request, rc: RequestContext): Promise<Outcome> {
  const path = rc.url.pathname;
  if (path === c.redirect.path) return finishLogin(c, keys.sealer, keys.client, request, rc);
  const found = await readSession(keys.sealer, c.session, request.headers, Date.now());
  if (c.logout && path === c.logout.path) return logout(c, found, request, rc);
  const refreshed = found ? await keepAlive(c, keys, found, request, rc.env) : { session: null, cookies: [] };
  if (refreshed.session) return authenticated(c, checks, request, rc, refreshed.session, refreshed.cookies);
  // No session, a tampered one, another key's, or one whose refresh failed: its cookies go (and,
  // as Hub, the CSRF cookie bound to it).
  const stale = clearSession(c.session, request.headers);
  if (c.csrf && readCookie(request.headers, c.csrf.cookie.name) !== null) stale.push(serializeCookie({ ...c.csrf.cookie, maxAge: -1 }, ""));
  if (redirects(c, request, path)) return startLogin(c, keys.sealer, rc, stale);
  const response = goError(401, "Unauthorized");
  for (const value of stale) response.headers.append("set-cookie", value);
  return response;
}

/** The upstream's answer, with the session cookies a refresh or a slide re-issued. */
async function passOn(next: Handler, request: Request, rc: RequestContext, cookies: readonly string[]): Promise<Response> {
  const response = await next(request, rc);
  if (cookies.length === 0 || response.status === 101) return response;
  return editResponse(response, (headers) => {
    for (const value of cookies) headers.append("set-cookie", value);
  });
}

export const oidc: MiddlewareFactory<"oidc"> = (options, ctx) => {
  const c = compileOptions(options, ctx.name);
  if (typeof c === "string") return c;
  const parsed = options.claims ? parseClaims(options.claims) : null;
  if (parsed && !parsed.ok) return `claims: ${parsed.message} (at offset ${parsed.position})`;
  const checks: Checks = { claims: parsed ? parsed.test : null, forward: claimHeaders(options.forwardHeaders) };
  const keys = keysFor(c);
  return (next) => async (request, rc) => {
    const k = keys(rc.env);
    if (typeof k === "string") {
      console.error(`oidc ${c.name}: ${k}`);
      return goError(500, "Internal Server Error");
    }
    let outcome: Outcome;
    try {
      outcome = await handle(c, checks, k, request, rc);
    } catch (err) {
      // The provider could not be reached or read (discovery, keys, token endpoint).
      console.error(`oidc ${c.name}:`, err);
      return goError(502, "Bad Gateway");
    }
    return outcome instanceof Response ? outcome : passOn(next, outcome.pass, rc, outcome.cookies);
  };
};
