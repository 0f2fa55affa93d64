// The oidc options the schema alone cannot judge: URL options, secrets a Worker cannot read
// (Kubernetes secrets) or should not keep in the config, cookie attributes browsers refuse,
// authParams that would override the flow's own parameters, and the Hub features a Worker without
// a session store cannot offer (session.store, back-channel logout, access token claims).
import type { Path } from "../../schema/issues.ts";
import type { MiddlewareOptions } from "../../schema/middlewares.ts";
import { parseClaims } from "../auth/claims.ts";
import { urlOption } from "../oidc/urls.ts";
import { secretRef } from "../oidc/secrets.ts";
import type { IssueSink, OptionCheck } from "./types.ts";

type OidcOptions = MiddlewareOptions<"oidc">;

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

function checkUrls(issues: IssueSink, path: Path, o: OidcOptions): void {
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

function checkCookies(issues: IssueSink, path: Path, o: OidcOptions): void {
  for (const [field, cookie] of [["session", o.session], ["stateCookie", o.stateCookie]] as const) {
    if (cookie.sameSite.toLowerCase() === "none" && !cookie.secure) {
      issues.error([...path, field, "secure"], "sameSite none needs secure: true (browsers drop a SameSite=None cookie that is not Secure)");
    }
  }
  if (o.session.name !== undefined && o.session.name === o.stateCookie.name) {
    issues.error([...path, "stateCookie", "name"], "the state cookie and the session cookie need different names");
  }
}

/** What needs state on a server, or a client certificate: refused, never silently ignored. */
function checkUnavailable(issues: IssueSink, path: Path, o: OidcOptions): void {
  if (o.session.store !== undefined) {
    issues.error([...path, "session", "store"], "there is no Redis on Workers: the session lives in its sealed cookie (split in parts when long)");
  }
  if (o.backchannelLogoutUrl) issues.error([...path, "backchannelLogoutUrl"], "back-channel logout needs a server-side session store, which this middleware does not keep");
  else if (o.backchannelLogoutSessionsRequired !== undefined) issues.warn([...path, "backchannelLogoutSessionsRequired"], "has no effect without backchannelLogoutUrl");
  const tls = o.clientConfig?.tls;
  if (tls?.cert !== undefined || tls?.key !== undefined) issues.error([...path, "clientConfig", "tls"], "cert and key cannot be used: fetch() on Workers cannot present a client certificate (use an mTLS binding behind issuerAddress: binding://)");
  if (tls?.ca !== undefined) issues.warn([...path, "clientConfig", "tls", "ca"], "is ignored: Workers check servers against the platform's trust store");
  if (tls?.insecureSkipVerify) issues.warn([...path, "clientConfig", "tls", "insecureSkipVerify"], "is ignored: Workers always verify the server's certificate");
  if (o.disableIssuerCheck) issues.warn([...path, "disableIssuerCheck"], "ID tokens from any issuer the key set verifies are accepted");
}

const ACCESS_TOKEN = "the access token's claims are not kept (the session holds the ID token only): name an ID token claim, with or without id_token.";

function checkClaimNames(issues: IssueSink, path: Path, o: OidcOptions): void {
  if (o.claims?.includes("`access_token.") || o.claims?.includes('"access_token.')) issues.error([...path, "claims"], ACCESS_TOKEN);
  for (const [header, claim] of Object.entries(o.forwardHeaders ?? {})) {
    if (claim.startsWith("access_token.")) issues.error([...path, "forwardHeaders", header], ACCESS_TOKEN);
  }
  if (o.usernameClaim?.startsWith("access_token.")) issues.error([...path, "usernameClaim"], ACCESS_TOKEN);
}

export const checkOidc: OptionCheck<"oidc"> = (issues, path, o) => {
  checkUnavailable(issues, path, o);
  checkClaimNames(issues, path, o);
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
