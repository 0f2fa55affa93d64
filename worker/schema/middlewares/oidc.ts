// oidc: Traefik Hub's OpenID Connect middleware, with its field names (clientID, redirectUrl,
// session.expiry...), plus what a Worker needs: secrets named as Worker secrets (env:NAME) and an
// optional issuerAddress (binding://NAME) to reach the provider. What only a look at the whole
// option set can judge is in worker/middlewares/checks/oidc.ts.
import * as z from "zod/mini";
import { bool, checked, headerName, intIn, listOf, nonEmpty, serverUrl, str, stringList } from "../common.ts";
import { cookieDomainProblem, cookiePathProblem } from "../../http/cookie-syntax.ts";
import { isToken } from "../../http/header-syntax.ts";

const sameSite = checked((value) => (["none", "lax", "strict"].includes(value.toLowerCase()) ? null : `sameSite must be one of none, lax, strict (got "${value}")`));
const cookieName = checked((value) => (isToken(value) ? null : `${JSON.stringify(value)} cannot be a cookie name: use letters, digits and !#$%&'*+-.^_\`|~`));

/** Attributes shared by the session and the state cookie (Hub's session.* and stateCookie.*). */
const cookieShape = {
  name: z.optional(cookieName),
  path: z._default(checked(cookiePathProblem), "/"),
  domain: z.optional(checked(cookieDomainProblem)),
  sameSite: z._default(sameSite, "lax"),
  httpOnly: z._default(bool, true),
  secure: z._default(bool, false),
};

export const oidcSessionSchema = z.lazy(() =>
  z.strictObject({
    ...cookieShape,
    /** Seconds a session lives (from login, or from the last request with sliding). */
    expiry: z._default(intIn(1), 86400),
    /** The expiry restarts with use (the cookie is re-issued once half of it has passed). */
    sliding: z._default(bool, true),
    /** Refresh the tokens with the refresh token once the ID token has expired. */
    refresh: z._default(bool, true),
  }),
);

export const oidcStateCookieSchema = z.lazy(() =>
  z.strictObject({
    ...cookieShape,
    /** Seconds a login may take, from the redirect to the provider to the callback. */
    maxAge: z._default(intIn(1), 600),
  }),
);

export const oidcCsrfSchema = z.lazy(() =>
  z.strictObject({
    headerName: z._default(headerName, "TraefikHub-Csrf-Token"),
    secure: z._default(bool, false),
  }),
);

export const oidcSchema = z.lazy(() =>
  z.strictObject({
    issuer: nonEmpty,
    /** Switchyard: where the provider is reached when not at the issuer URL, e.g. binding://AUTH. */
    issuerAddress: z.optional(serverUrl),
    clientID: nonEmpty,
    /** A literal, or env:NAME for the Worker secret NAME. Absent: a public client (PKCE only). */
    clientSecret: z.optional(nonEmpty),
    /** env:NAME (a Worker secret) or a literal: the key the session and state cookies are sealed with. */
    secret: nonEmpty,
    redirectUrl: nonEmpty,
    loginUrl: z.optional(nonEmpty),
    logoutUrl: z.optional(nonEmpty),
    postLoginRedirectUrl: z.optional(nonEmpty),
    postLogoutRedirectUrl: z.optional(nonEmpty),
    scopes: z._default(stringList, ["openid"]),
    authParams: z.optional(z.record(z.string(), str)),
    disableAuthRedirectionPaths: z.optional(listOf(nonEmpty)),
    pkce: z._default(bool, true),
    session: z.prefault(oidcSessionSchema, {}),
    stateCookie: z.prefault(oidcStateCookieSchema, {}),
    forwardHeaders: z.optional(z.record(headerName, nonEmpty)),
    claims: z.optional(str),
    csrf: z.optional(oidcCsrfSchema),
  }),
);
