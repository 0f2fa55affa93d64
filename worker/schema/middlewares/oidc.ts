// oidc: Traefik Hub's OpenID Connect middleware, with the field names of its reference
// (docs/content/reference/routing-configuration/http/middlewares/oidc.md in the Traefik
// repository), plus what a Worker needs: `secret` (the cookies' key, a Worker secret as env:NAME)
// and an optional issuerAddress (binding://NAME) to reach the provider. Hub fields a Worker cannot
// honour (session.store, back-channel logout) are parsed so the option checks can refuse them at
// their path (worker/middlewares/checks/oidc.ts).
import * as z from "zod/mini";
import { bool, checked, headerName, intIn, nonEmpty, serverUrl, str, stringList } from "../common.ts";
import { hubClientConfigSchema } from "./jwt.ts";
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
    /** Hub's Redis session store: refused (there is no Redis on Workers; sessions live in the cookie). */
    store: z.optional(z.unknown()),
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
    headerName: z._default(headerName, "Hub-Csrf-Token"),
    secure: z._default(bool, false),
  }),
);

export const oidcSchema = z.lazy(() =>
  z.strictObject({
    issuer: nonEmpty,
    /** Another issuer accepted in the ID token's iss, besides the discovered one. */
    trustedIssuer: z.optional(str),
    disableIssuerCheck: z._default(bool, false),
    /** Switchyard: where the provider is reached when not at the issuer URL, e.g. binding://AUTH. */
    issuerAddress: z.optional(serverUrl),
    discoveryParams: z.optional(z.record(z.string(), str)),
    clientId: nonEmpty,
    /** A literal, or env:NAME for the Worker secret NAME. Absent: a public client (PKCE only). */
    clientSecret: z.optional(nonEmpty),
    /** Switchyard: env:NAME (a Worker secret) or a literal, the key the session and state cookies are sealed with. */
    secret: nonEmpty,
    redirectUrl: nonEmpty,
    loginUrl: z.optional(nonEmpty),
    logoutUrl: z.optional(nonEmpty),
    postLoginRedirectUrl: z.optional(nonEmpty),
    postLogoutRedirectUrl: z.optional(nonEmpty),
    /** Refused: back-channel logout needs a session store. */
    backchannelLogoutUrl: z.optional(str),
    backchannelLogoutSessionsRequired: z.optional(bool),
    scopes: z._default(stringList, ["openid"]),
    authParams: z.optional(z.record(z.string(), str)),
    disableLogin: z._default(bool, false),
    pkce: z._default(bool, true),
    session: z.prefault(oidcSessionSchema, {}),
    stateCookie: z.prefault(oidcStateCookieSchema, {}),
    forwardHeaders: z.optional(z.record(headerName, nonEmpty)),
    claims: z.optional(str),
    usernameClaim: z.optional(nonEmpty),
    csrf: z.optional(oidcCsrfSchema),
    clientConfig: z.optional(hubClientConfigSchema),
  }),
);
