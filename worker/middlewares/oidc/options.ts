// The oidc options, turned once per config compile into what a request needs: paths to match,
// cookie attributes, secret references, the provider client.
import type { MiddlewareOptions } from "../../schema/middlewares.ts";
import { sanitizeCookieName, type CookieOptions } from "../../services/balancer/cookie.ts";
import { ProviderClient } from "./provider.ts";
import { secretRef, type SecretRef } from "./secrets.ts";
import { urlOption, type UrlOption } from "./urls.ts";

type Options = MiddlewareOptions<"oidc">;

/** Hub's CSRF cookie name (its reference: "a CSRF cookie, named hub-csrf-token"). */
export const CSRF_COOKIE = "hub-csrf-token";

export interface Compiled {
  readonly name: string;
  readonly provider: ProviderClient;
  readonly clientID: string;
  readonly clientSecret: SecretRef | null;
  readonly secret: SecretRef;
  readonly redirect: UrlOption;
  readonly login: UrlOption | null;
  readonly logout: UrlOption | null;
  readonly postLogin: UrlOption | null;
  readonly postLogout: UrlOption | null;
  readonly scope: string;
  readonly authParams: readonly (readonly [string, string])[];
  /** disableLogin: no redirect to the provider, ever (401). */
  readonly disableLogin: boolean;
  readonly usernameClaim: string | null;
  readonly pkce: boolean;
  readonly session: CookieOptions;
  readonly expiryS: number;
  readonly sliding: boolean;
  readonly refresh: boolean;
  readonly state: CookieOptions;
  readonly stateMaxAgeS: number;
  readonly csrf: { readonly header: string; readonly cookie: CookieOptions } | null;
}

function cookie(name: string, c: { path: string; domain?: string | undefined; sameSite: string; httpOnly: boolean; secure: boolean }, maxAge: number): CookieOptions {
  return { name, path: c.path, domain: c.domain ?? "", sameSite: c.sameSite, httpOnly: c.httpOnly, secure: c.secure, maxAge };
}

function optionalUrl(value: string | undefined): UrlOption | null | string {
  return value === undefined ? null : urlOption(value);
}

/** The compiled options, or the first problem (the option checks report each at its own path). */
export function compileOptions(o: Options, name: string): Compiled | string {
  const urls = [urlOption(o.redirectUrl), optionalUrl(o.loginUrl), optionalUrl(o.logoutUrl), optionalUrl(o.postLoginRedirectUrl), optionalUrl(o.postLogoutRedirectUrl)] as const;
  for (const u of urls) if (typeof u === "string") return u;
  const [redirect, login, logout, postLogin, postLogout] = urls as readonly [UrlOption, UrlOption | null, UrlOption | null, UrlOption | null, UrlOption | null];
  const base = sanitizeCookieName(name);
  const sessionName = o.session.name ?? `${base}-session`;
  const scopes = o.scopes.includes("openid") ? o.scopes : ["openid", ...o.scopes];
  let provider: ProviderClient;
  try {
    provider = new ProviderClient({
      issuer: o.issuer,
      address: o.issuerAddress,
      discoveryParams: Object.entries(o.discoveryParams ?? {}),
      trustedIssuer: o.trustedIssuer || null,
      checkIssuer: !o.disableIssuerCheck,
      timeoutMs: (o.clientConfig?.timeoutSeconds ?? 5) * 1000,
      maxRetries: o.clientConfig?.maxRetries ?? 3,
    });
  } catch {
    return `issuer ${JSON.stringify(o.issuer)} is not a URL`;
  }
  return {
    name,
    provider,
    clientID: o.clientId,
    clientSecret: o.clientSecret === undefined ? null : secretRef(o.clientSecret),
    secret: secretRef(o.secret),
    redirect,
    login,
    logout,
    postLogin,
    postLogout,
    scope: scopes.join(" "),
    authParams: Object.entries(o.authParams ?? {}),
    disableLogin: o.disableLogin,
    usernameClaim: o.usernameClaim ?? null,
    pkce: o.pkce,
    session: cookie(sessionName, o.session, o.session.expiry),
    expiryS: o.session.expiry,
    sliding: o.session.sliding,
    refresh: o.session.refresh,
    state: cookie(o.stateCookie.name ?? `${base}-state`, o.stateCookie, o.stateCookie.maxAge),
    stateMaxAgeS: o.stateCookie.maxAge,
    csrf: o.csrf ? { header: o.csrf.headerName, cookie: { ...cookie(CSRF_COOKIE, o.session, o.session.expiry), httpOnly: false, secure: o.csrf.secure } } : null,
  };
}
