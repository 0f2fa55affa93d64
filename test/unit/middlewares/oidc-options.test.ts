// The oidc options as the config validation reports them: Traefik Hub's field names accepted with
// their defaults, and every problem at its own JSON path.
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../../worker/config/index.ts";

const base = {
  issuer: "https://idp.example.com",
  clientId: "app",
  clientSecret: "env:OIDC_CLIENT_SECRET",
  secret: "env:OIDC_SECRET",
  redirectUrl: "/callback",
};

function validate(options: Record<string, unknown>) {
  return validateConfig({
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["o"] } },
      services: { s: { loadBalancer: { servers: [{ url: "http://backend.test" }] } } },
      middlewares: { o: { oidc: options } },
    },
  });
}

function errors(options: Record<string, unknown>): { path: string; message: string }[] {
  const valid = validate(options);
  return valid.ok ? [] : valid.errors.map((e) => ({ path: e.path, message: e.message }));
}

describe("oidc options", () => {
  it("accepts a Traefik Hub config (its example's fields) with env: secrets, no warning", () => {
    const valid = validate({
      ...base,
      session: { name: "customsessioncookiename", sliding: false, refresh: false, expiry: 10, sameSite: "none", httpOnly: false, secure: true },
      stateCookie: { name: "customstatecookiename", maxAge: 10, sameSite: "none", httpOnly: true, secure: true },
      forwardHeaders: { Group: "grp", "Expires-At": "exp" },
      claims: "Equals(`grp`, `admin`)",
      csrf: {},
    });
    if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
    expect(valid.warnings).toEqual([]);
    const o = valid.config.http?.middlewares?.o?.oidc;
    expect(o?.session.expiry).toBe(10);
    expect(o?.csrf?.headerName).toBe("Hub-Csrf-Token");
  });

  it("reads keys in any case, as Traefik does: the Kubernetes secret's clientID is clientId", () => {
    const valid = validate({ ...base, clientId: undefined, clientID: "app" });
    if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
    expect(valid.config.http?.middlewares?.o?.oidc?.clientId).toBe("app");
  });

  it("fills Hub's defaults", () => {
    const valid = validate(base);
    if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
    const o = valid.config.http?.middlewares?.o?.oidc;
    expect(o?.scopes).toEqual(["openid"]);
    expect(o?.pkce).toBe(true);
    expect(o?.disableLogin).toBe(false);
    expect(o?.disableIssuerCheck).toBe(false);
    expect(o?.session).toEqual({ path: "/", sameSite: "lax", httpOnly: true, secure: false, expiry: 86400, sliding: true, refresh: true });
    expect(o?.stateCookie).toEqual({ path: "/", sameSite: "lax", httpOnly: true, secure: false, maxAge: 600 });
  });

  it.each([
    ["no issuer", { ...base, issuer: undefined }, "http.middlewares.o.oidc.issuer"],
    ["no clientId", { ...base, clientId: undefined }, "http.middlewares.o.oidc.clientId"],
    ["no secret", { ...base, secret: undefined }, "http.middlewares.o.oidc.secret"],
    ["a Kubernetes secret", { ...base, clientSecret: "urn:k8s:secret:my-secret:clientSecret" }, "http.middlewares.o.oidc.clientSecret"],
    ["a short literal secret", { ...base, secret: "short" }, "http.middlewares.o.oidc.secret"],
    ["env: without a binding name", { ...base, secret: "env:1BAD" }, "http.middlewares.o.oidc.secret"],
    ["a redirectUrl that is neither a path, a host and a path, nor a URL", { ...base, redirectUrl: "callback" }, "http.middlewares.o.oidc.redirectUrl"],
    ["a logoutUrl in another scheme", { ...base, logoutUrl: "ftp://app.example.com/logout" }, "http.middlewares.o.oidc.logoutUrl"],
    ["Hub's Redis session store", { ...base, session: { store: { redis: { endpoints: ["redis:6379"] } } } }, "http.middlewares.o.oidc.session.store"],
    ["back-channel logout", { ...base, backchannelLogoutUrl: "/backchannel-logout" }, "http.middlewares.o.oidc.backchannelLogoutUrl"],
    ["a client certificate", { ...base, clientConfig: { tls: { cert: "x", key: "y" } } }, "http.middlewares.o.oidc.clientConfig.tls"],
    ["claims of the access token", { ...base, claims: "Equals(`access_token.scope`, `x`)" }, "http.middlewares.o.oidc.claims"],
    ["a header from the access token", { ...base, forwardHeaders: { "X-Scope": "access_token.scope" } }, "http.middlewares.o.oidc.forwardHeaders.X-Scope"],
    ["logoutUrl on the callback path", { ...base, logoutUrl: "https://app.example.com/callback" }, "http.middlewares.o.oidc.logoutUrl"],
    ["an issuer that is not http(s)", { ...base, issuer: "ftp://idp.example.com" }, "http.middlewares.o.oidc.issuer"],
    ["SameSite=None without Secure", { ...base, session: { sameSite: "none" } }, "http.middlewares.o.oidc.session.secure"],
    ["an unknown sameSite", { ...base, stateCookie: { sameSite: "sometimes" } }, "http.middlewares.o.oidc.stateCookie.sameSite"],
    ["authParams overriding the state", { ...base, authParams: { state: "fixed", prompt: "login" } }, "http.middlewares.o.oidc.authParams.state"],
    ["a claims expression that does not parse", { ...base, claims: "Equals(`grp`" }, "http.middlewares.o.oidc.claims"],
    ["a forwardHeaders name that is not a header name", { ...base, forwardHeaders: { "Bad Header": "sub" } }, 'http.middlewares.o.oidc.forwardHeaders["Bad Header"]'],
    ["an unknown field", { ...base, disableAuthRedirectionPaths: ["/x"] }, "http.middlewares.o.oidc.disableAuthRedirectionPaths"],
    ["a zero session expiry", { ...base, session: { expiry: 0 } }, "http.middlewares.o.oidc.session.expiry"],
  ])("refuses %s at its path", (_what, options, path) => {
    const found = errors(options);
    expect(found.map((e) => e.path)).toContain(path);
  });

  it("accepts Hub's other fields: trustedIssuer, discoveryParams, disableLogin, usernameClaim, clientConfig, host-and-path URLs", () => {
    const valid = validate({
      ...base,
      trustedIssuer: "https://other.example.com",
      discoveryParams: { tenant: "t1" },
      disableLogin: true,
      usernameClaim: "email",
      clientConfig: { timeoutSeconds: 2, maxRetries: 1 },
      loginUrl: "app.example.com/login",
      postLoginRedirectUrl: "/after/login",
      authParams: { prompt: "" },
    });
    if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
    expect(valid.warnings).toEqual([]);
  });

  it("warns of a literal secret, a clear-text issuer and scopes without openid", () => {
    const valid = validate({ ...base, issuer: "http://idp.example.com", secret: "a-literal-secret-long-enough", scopes: ["email"] });
    if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
    expect(valid.warnings.map((w) => w.path).sort()).toEqual(["http.middlewares.o.oidc.issuer", "http.middlewares.o.oidc.scopes", "http.middlewares.o.oidc.secret"]);
  });
});
