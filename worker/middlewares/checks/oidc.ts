// The oidc options the schema alone cannot judge: URL options, secrets a Worker cannot read
// (Kubernetes secrets) or should not keep in the config, cookie attributes browsers refuse, and
// authParams that would override the flow's own parameters.
import type { Path } from "../../schema/issues.ts";
import type { MiddlewareOptions } from "../../schema/middlewares.ts";
import { parseClaims } from "../auth/claims.ts";
import { urlOption } from "../oidc/urls.ts";
import { secretRef } from "../oidc/secrets.ts";
import type { IssueSink, OptionCheck } from "./types.ts";

/** Parameters the flow sets itself: authParams cannot replace them. */
const MANAGED_PARAMS = ["response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge", "code_challenge_method"];
const MIN_SECRET_CHARS = 16;

function checkSecret(issues: IssueSink, path: Path, value: string | undefined, minChars: number): void {
  if (value === undefined) return;
  if (value.startsWith("urn:k8s:secret:")) {
    issues.error(path, "Kubernetes secrets do not exist on Workers: store the value as a Worker secret (wrangler secret put NAME) and write env:NAME");
    return;
  }
  const ref = secretRef(value);
  if ("env" in ref) return;
  if (value.startsWith("env:")) issues.error(path, `${JSON.stringify(value)} is not env:NAME with NAME a binding name (letters, digits, _)`);
  else if (value.length < minChars) issues.error(path, `the secret must be at least ${minChars} characters long`);
  else issues.warn(path, "the secret is written in the config: store it as a Worker secret (wrangler secret put NAME) and write env:NAME");
}

function checkUrls(issues: IssueSink, path: Path, o: MiddlewareOptions<"oidc">): void {
  const fields = ["redirectUrl", "loginUrl", "logoutUrl", "postLoginRedirectUrl", "postLogoutRedirectUrl"] as const;
  for (const field of fields) {
    const value = o[field];
    const parsed = value === undefined ? null : urlOption(value);
    if (typeof parsed === "string") issues.error([...path, field], parsed);
  }
  const redirect = urlOption(o.redirectUrl);
  const logout = o.logoutUrl === undefined ? null : urlOption(o.logoutUrl);
  if (typeof redirect !== "string" && logout && typeof logout !== "string" && logout.path === redirect.path) {
    issues.error([...path, "logoutUrl"], "logoutUrl and redirectUrl must be different paths");
  }
}

function checkIssuer(issues: IssueSink, path: Path, issuer: string): void {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    issues.error([...path, "issuer"], `${JSON.stringify(issuer)} is not a URL (e.g. https://accounts.example.com)`);
    return;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") issues.error([...path, "issuer"], `${JSON.stringify(issuer)} is not an http(s) URL`);
  else if (url.protocol === "http:" && !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) {
    issues.warn([...path, "issuer"], "the issuer is not https: tokens and codes would cross the network in clear");
  }
}

function checkCookies(issues: IssueSink, path: Path, o: MiddlewareOptions<"oidc">): void {
  for (const [field, cookie] of [["session", o.session], ["stateCookie", o.stateCookie]] as const) {
    if (cookie.sameSite.toLowerCase() === "none" && !cookie.secure) {
      issues.error([...path, field, "secure"], "sameSite none needs secure: true (browsers drop a SameSite=None cookie that is not Secure)");
    }
  }
  if (o.session.name !== undefined && o.session.name === o.stateCookie.name) {
    issues.error([...path, "stateCookie", "name"], "the state cookie and the session cookie need different names");
  }
}

export const checkOidc: OptionCheck<"oidc"> = (issues, path, o) => {
  checkIssuer(issues, path, o.issuer);
  checkUrls(issues, path, o);
  checkSecret(issues, [...path, "secret"], o.secret, MIN_SECRET_CHARS);
  checkSecret(issues, [...path, "clientSecret"], o.clientSecret, 1);
  checkCookies(issues, path, o);
  for (const key of Object.keys(o.authParams ?? {})) {
    if (MANAGED_PARAMS.includes(key)) issues.error([...path, "authParams", key], `${key} is set by the middleware itself and cannot be overridden`);
  }
  if (!o.scopes.includes("openid")) issues.warn([...path, "scopes"], 'scopes has no "openid": it is added (without it there is no ID token)');
  if (o.claims !== undefined) {
    const parsed = parseClaims(o.claims);
    if (!parsed.ok) issues.error([...path, "claims"], `${parsed.message} (at offset ${parsed.position})`);
  }
};
