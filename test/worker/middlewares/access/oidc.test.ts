// The oidc middleware against a real OpenID Provider (oidc-provider on loopback, started by the
// global setup: test/fixtures/oidc-provider.ts), driven like a browser: a cookie jar, redirects
// followed, the provider's login and consent forms submitted. The router under test answers
// http://app.test in process; the upstream is the loopback whoami (it echoes the headers it got).
import { env } from "cloudflare:test";
import { decodeJwt } from "jose";
import { describe, expect, inject, it } from "vitest";
import type { Snapshot } from "../../../../worker/compile/snapshot.ts";
import { sealer } from "../../../../worker/middlewares/oidc/seal.ts";
import { serve } from "../../../../worker/serve.ts";
import { inbound } from "../../../../worker/inbound.ts";
import type { RequestContext, RequestObservation } from "../../../../worker/services/types.ts";
import { OIDC_CLIENT, OIDC_PUBLIC_CLIENT, OIDC_TOKEN_TTL_S, oidcClientOptions, oidcWorkerSecrets } from "../../../fixtures/oidc-client.ts";
import { Browser } from "../../helpers/browser.ts";
import { lb, snapshotOf } from "../../helpers/serve.ts";

const issuer = inject("oidcIssuer");
const upstream = inject("whoamiUrl");
const APP = "http://app.test";
const SECRET = "a-worker-secret-for-the-oidc-tests-0123456789";
const SESSION = "auth-session";

function oidcConfig(options: Record<string, unknown> = {}) {
  return {
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["auth"] } },
      services: { s: lb(upstream) },
      middlewares: {
        auth: {
          oidc: {
            ...oidcClientOptions(issuer, APP),
            forwardHeaders: { "X-User": "sub", "X-Group": "id_token.grp", "X-Email": "email" },
            usernameClaim: "email",
            ...options,
          },
        },
      },
    },
  };
}

const workerEnv = (secret = SECRET) => ({ ...env, ...oidcWorkerSecrets(secret) });

/** What the last request's handlers told the access log. */
let observed: RequestObservation = { retryAttempts: 0 };

function app(snapshot: Snapshot, bindings: object = workerEnv()) {
  return (request: Request) => {
    observed = { retryAttempts: 0 };
    const rc: RequestContext = { url: new URL(request.url), clientIP: "203.0.113.7", waitUntil: () => undefined, env: bindings, observed };
    return serve(inbound(request, false), snapshot, rc);
  };
}

interface Echo {
  readonly path: string;
  readonly headers: Record<string, string>;
}

/** Logs `account` in through the provider's pages from `start`; the last answer (the upstream's, normally). */
async function login(browser: Browser, account: string, start = `${APP}/private?x=1`) {
  const first = await browser.navigate(start);
  expect(first.url.startsWith(issuer)).toBe(true); // the provider's login page
  const loginPage = await first.response.text();
  const afterLogin = await browser.submit(loginPage, first.url, { login: account, password: "any" });
  expect(afterLogin.response.status).toBe(200); // the consent page
  return browser.submit(await afterLogin.response.text(), afterLogin.url);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("oidc: the login", () => {
  it("sends a browser without a session to the provider's authorize endpoint, with PKCE S256, state and nonce", async () => {
    const browser = new Browser("app.test", app(snapshotOf(oidcConfig())));
    const res = await browser.request(`${APP}/private`);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(location.origin + location.pathname).toBe(`${issuer}/auth`);
    const q = location.searchParams;
    expect(q.get("response_type")).toBe("code");
    expect(q.get("client_id")).toBe(OIDC_CLIENT.client_id);
    expect(q.get("redirect_uri")).toBe(`${APP}/callback`);
    expect(q.get("scope")).toBe("openid email profile");
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("nonce")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stateCookie = res.headers.getSetCookie().find((c) => c.startsWith("auth-state="));
    expect(stateCookie).toMatch(/HttpOnly/);
    expect(stateCookie).toMatch(/SameSite=Lax/);
    expect(stateCookie).toMatch(/Max-Age=600/);
    // The state and the verifier are sealed: neither is readable in the cookie.
    expect(stateCookie).not.toContain(q.get("state")!);
  });

  it("answers 401 instead of a redirect to scripts and subresources, other methods, and everything with disableLogin", async () => {
    const noLogin = new Browser("app.test", app(snapshotOf(oidcConfig({ disableLogin: true }))));
    expect((await noLogin.request(`${APP}/page`)).status).toBe(401);
    const browser = new Browser("app.test", app(snapshotOf(oidcConfig())));
    expect((await browser.request(`${APP}/data`, { headers: { "sec-fetch-mode": "cors", "sec-fetch-dest": "empty" } })).status).toBe(401);
    expect((await browser.request(`${APP}/data`, { method: "POST", body: "x" })).status).toBe(401);
    expect((await browser.request(`${APP}/img`, { headers: { "sec-fetch-dest": "image" } })).status).toBe(401);
    expect((await browser.request(`${APP}/page`, { headers: { "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" } })).status).toBe(302);
    expect((await browser.request(`${APP}/other`)).status).toBe(302);
  });

  it("logs in through the provider: the callback sets a sealed session, the upstream gets the claim headers", async () => {
    const browser = new Browser("app.test", app(snapshotOf(oidcConfig())));
    const done = await login(browser, "alice");
    expect(done.url).toBe(`${APP}/private?x=1`); // back where the login began
    expect(done.response.status).toBe(200);
    const echo = (await done.response.json()) as Echo;
    expect(echo.headers["x-user"]).toBe("alice");
    expect(echo.headers["x-group"]).toBe("admin");
    expect(echo.headers["x-email"]).toBe("alice@example.test");
    const jar = browser.cookies("app.test");
    expect(jar[SESSION]).toBeDefined();
    expect(jar["auth-state"]).toBeUndefined(); // spent at the callback
    expect(jar[SESSION]).not.toContain("eyJ"); // no token in clear
    // The next request needs no provider: the session is enough.
    const again = await browser.request(`${APP}/next`);
    expect(again.status).toBe(200);
    expect(((await again.json()) as Echo).headers["x-user"]).toBe("alice");
    expect(observed.clientUsername).toBe("alice@example.test"); // the access log's ClientUsername (usernameClaim)
  });

  it("removes a client's own copy of a forwarded header", async () => {
    const browser = new Browser("app.test", app(snapshotOf(oidcConfig())));
    await (await login(browser, "alice")).response.body?.cancel();
    const res = await browser.request(`${APP}/x`, { headers: { "x-user": "root", "x-group": "admin2" } });
    const echo = (await res.json()) as Echo;
    expect(echo.headers["x-user"]).toBe("alice");
    expect(echo.headers["x-group"]).toBe("admin");
  });

  it("returns to a path on its own origin only: //other.example stays a path on app.test", async () => {
    const browser = new Browser("app.test", app(snapshotOf(oidcConfig())));
    const done = await login(browser, "alice", `${APP}//evil.example/steal`);
    expect(done.visited.some((u) => u.includes("evil.example") && !u.startsWith(APP))).toBe(false);
    expect(done.url).toBe(`${APP}//evil.example/steal`);
    await done.response.body?.cancel();
  });
});

describe("oidc: options that change the flow", () => {
  it("adds authParams (one with an empty value left out, as Hub) and makes a host-and-path redirectUrl absolute on the request's scheme", async () => {
    const browser = new Browser("app.test", app(snapshotOf(oidcConfig({ authParams: { prompt: "", ui_locales: "fr" }, redirectUrl: "app.test/callback" }))));
    const res = await browser.request(`${APP}/private`);
    const q = new URL(res.headers.get("location")!).searchParams;
    expect(q.get("ui_locales")).toBe("fr");
    expect(q.has("prompt")).toBe(false);
    expect(q.get("redirect_uri")).toBe(`${APP}/callback`);
  });

  it("with loginUrl, only that path starts a login (others get 401), and postLoginRedirectUrl is where it ends", async () => {
    const browser = new Browser("app.test", app(snapshotOf(oidcConfig({ loginUrl: "/login", postLoginRedirectUrl: "/home" }))));
    expect((await browser.request(`${APP}/private`)).status).toBe(401);
    const done = await login(browser, "alice", `${APP}/login`);
    expect(done.url).toBe(`${APP}/home`);
    expect(((await done.response.json()) as Echo).path).toBe("/home");
  });

  it("logs a public client in with PKCE alone (no clientSecret)", async () => {
    const browser = new Browser("app.test", app(snapshotOf(oidcConfig({ clientId: OIDC_PUBLIC_CLIENT.client_id, clientSecret: undefined }))));
    const done = await login(browser, "alice");
    expect(done.response.status).toBe(200);
    expect(((await done.response.json()) as Echo).headers["x-user"]).toBe("alice");
  });

  it("ends a session at session.expiry without sliding, and slides it with use", async () => {
    const fixed = new Browser("app.test", app(snapshotOf(oidcConfig({ session: { expiry: 2, sliding: false, refresh: false } }))));
    await (await login(fixed, "alice")).response.body?.cancel();
    const fixedCookie = fixed.cookies("app.test")[SESSION]!;
    const sliding = new Browser("app.test", app(snapshotOf(oidcConfig({ session: { expiry: 2, sliding: true, refresh: false } }))));
    await (await login(sliding, "alice")).response.body?.cancel();
    await sleep(1300);
    const slid = await sliding.request(`${APP}/x`, { headers: { "sec-fetch-dest": "empty" } });
    expect(slid.status).toBe(200);
    expect(slid.headers.getSetCookie().some((c) => c.startsWith(`${SESSION}=`) && c.includes("Max-Age=2"))).toBe(true);
    await slid.body?.cancel();
    await sleep(1000);
    // 2.3 s after the login: the fixed session has ended, the sliding one (re-issued at 1.3 s) has not.
    // The cookie is sent anyway (a browser would have dropped it at Max-Age): the server refuses it.
    fixed.setCookie("app.test", SESSION, fixedCookie);
    expect((await fixed.request(`${APP}/x`, { headers: { "sec-fetch-dest": "empty" } })).status).toBe(401);
    const still = await sliding.request(`${APP}/x`, { headers: { "sec-fetch-dest": "empty" } });
    expect(still.status).toBe(200);
    await still.body?.cancel();
  });
});

describe("oidc: the callback refuses", () => {
  it("a state that is not this browser's, and a callback with no login in progress", async () => {
    const handler = app(snapshotOf(oidcConfig()));
    const browser = new Browser("app.test", handler);
    const start = await browser.request(`${APP}/private`);
    const sent = new URL(start.headers.get("location")!).searchParams.get("state")!;
    const forged = await browser.request(`${APP}/callback?code=abc&state=${sent.slice(1)}x`);
    expect(forged.status).toBe(401);
    expect(await forged.text()).toMatch(/state does not match/);
    const stranger = new Browser("app.test", handler);
    const none = await stranger.request(`${APP}/callback?code=abc&state=${sent}`);
    expect(none.status).toBe(401);
    expect(await none.text()).toMatch(/no login in progress/);
  });

  it("a code the provider does not know (401, and no session)", async () => {
    const browser = new Browser("app.test", app(snapshotOf(oidcConfig())));
    const start = await browser.request(`${APP}/private`);
    const state = new URL(start.headers.get("location")!).searchParams.get("state")!;
    const res = await browser.request(`${APP}/callback?code=not-a-code&state=${state}`);
    expect(res.status).toBe(401);
    expect(browser.cookies("app.test")[SESSION]).toBeUndefined();
  });

  it("an ID token whose nonce is not the one this login sent, and an answer naming another issuer", async () => {
    const browser = new Browser("app.test", app(snapshotOf(oidcConfig())));
    browser.stopBefore = (url) => url.startsWith(`${APP}/callback`);
    const reached = await login(browser, "alice");
    const callback = reached.url;
    expect(callback).toMatch(/code=/);
    const keys = sealer(SECRET);
    const state = (await keys.open("state", "auth-state", browser.cookies("app.test")["auth-state"]!)) as Record<string, unknown>;
    expect(state).not.toBeNull();
    const wrongIss = new URL(callback);
    wrongIss.searchParams.set("iss", "https://other.example");
    expect((await browser.request(wrongIss.href)).status).toBe(401);
    // The real code and verifier, but a nonce this ID token was not issued for.
    browser.setCookie("app.test", "auth-state", await keys.seal("state", "auth-state", { ...state, n: "another-nonce" }));
    const res = await browser.request(callback);
    expect(res.status).toBe(401);
    expect(browser.cookies("app.test")[SESSION]).toBeUndefined();
  });

  it("a provider's error answer", async () => {
    const browser = new Browser("app.test", app(snapshotOf(oidcConfig())));
    const start = await browser.request(`${APP}/private`);
    const state = new URL(start.headers.get("location")!).searchParams.get("state")!;
    const res = await browser.request(`${APP}/callback?error=access_denied&state=${state}`);
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/access_denied/);
  });
});

describe("oidc: the session", () => {
  it("refuses a tampered cookie and one sealed with another secret: login again (GET) or 401, the cookie cleared", async () => {
    const snapshot = snapshotOf(oidcConfig());
    const browser = new Browser("app.test", app(snapshot));
    await (await login(browser, "alice")).response.body?.cancel();
    const good = browser.cookies("app.test")[SESSION]!;
    const flipped = good.slice(0, 20) + (good[20] === "A" ? "B" : "A") + good.slice(21);
    browser.setCookie("app.test", SESSION, flipped);
    const tampered = await browser.request(`${APP}/x`);
    expect(tampered.status).toBe(302);
    expect(tampered.headers.get("location")!.startsWith(`${issuer}/auth`)).toBe(true);
    expect(tampered.headers.getSetCookie().some((c) => c.startsWith(`${SESSION}=;`) && c.includes("Max-Age=0"))).toBe(true);
    // The same, intact cookie, read by a Worker with another secret (a rotated one): no session.
    const rotated = new Browser("app.test", app(snapshot, workerEnv("another-secret-after-rotation-0123456789")));
    rotated.setCookie("app.test", SESSION, good);
    expect((await rotated.request(`${APP}/x`, { headers: { "sec-fetch-mode": "cors", "sec-fetch-dest": "empty" } })).status).toBe(401);
  });

  it("refreshes the tokens with the refresh token once they expired, and re-issues the cookie", async () => {
    const browser = new Browser("app.test", app(snapshotOf(oidcConfig())));
    await (await login(browser, "alice")).response.body?.cancel();
    const keys = sealer(SECRET);
    const before = (await keys.open("session", SESSION, browser.cookies("app.test")[SESSION]!)) as { idt: string; rt: string; exp: number };
    expect(typeof before.rt).toBe("string");
    await sleep(OIDC_TOKEN_TTL_S * 1000 + 1200);
    expect(before.exp).toBeLessThan(Date.now());
    const res = await browser.request(`${APP}/later`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Echo).headers["x-user"]).toBe("alice");
    expect(res.headers.getSetCookie().some((c) => c.startsWith(`${SESSION}=`))).toBe(true);
    const after = (await keys.open("session", SESSION, browser.cookies("app.test")[SESSION]!)) as { idt: string; exp: number };
    expect(after.exp).toBeGreaterThan(Date.now());
    expect(after.idt).not.toBe(before.idt);
    expect(decodeJwt(after.idt).sub).toBe("alice");
  });

  it("ends the session when the refresh fails at the provider (a revoked refresh token)", async () => {
    const browser = new Browser("app.test", app(snapshotOf(oidcConfig())));
    await (await login(browser, "alice")).response.body?.cancel();
    const keys = sealer(SECRET);
    const session = (await keys.open("session", SESSION, browser.cookies("app.test")[SESSION]!)) as Record<string, unknown>;
    // The same session, its tokens expired and its refresh token one the provider never issued.
    browser.setCookie("app.test", SESSION, await keys.seal("session", SESSION, { ...session, rt: "revoked", exp: Date.now() - 1000 }));
    const res = await browser.request(`${APP}/x`, { headers: { "sec-fetch-mode": "cors", "sec-fetch-dest": "empty" } });
    expect(res.status).toBe(401);
    expect(browser.cookies("app.test")[SESSION]).toBeUndefined();
  });

  it("refuses a session whose claims fail the claims expression (403), lets one that passes through", async () => {
    const handler = app(snapshotOf(oidcConfig({ claims: "Equals(`grp`, `admin`) && Prefix(`id_token.email`, `alice@`)" })));
    const bob = new Browser("app.test", handler);
    const refused = await login(bob, "bob");
    expect(refused.response.status).toBe(403);
    await refused.response.body?.cancel();
    const alice = new Browser("app.test", handler);
    const allowed = await login(alice, "alice");
    expect(allowed.response.status).toBe(200);
    await allowed.response.body?.cancel();
  });

  it("with csrf, refuses an unsafe request without the token and lets one that echoes the csrf cookie through", async () => {
    const browser = new Browser("app.test", app(snapshotOf(oidcConfig({ csrf: {} }))));
    await (await login(browser, "alice")).response.body?.cancel();
    const token = browser.cookies("app.test")["hub-csrf-token"];
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await browser.request(`${APP}/form`, { method: "POST", body: "a=1" })).status).toBe(403);
    expect((await browser.request(`${APP}/form`, { method: "POST", body: "a=1", headers: { "Hub-Csrf-Token": "wrong" } })).status).toBe(403);
    const ok = await browser.request(`${APP}/form`, { method: "POST", body: "a=1", headers: { "Hub-Csrf-Token": token! } });
    expect(ok.status).toBe(200);
    await ok.body?.cancel();
  });

  it("splits a session too long for one cookie into parts, reads it whole, and clears every part at logout", async () => {
    const browser = new Browser("app.test", app(snapshotOf(oidcConfig())));
    const done = await login(browser, "big-claims");
    expect(done.response.status).toBe(200);
    expect(((await done.response.json()) as Echo).headers["x-user"]).toBe("big-claims");
    const names = Object.keys(browser.cookies("app.test")).filter((n) => n.startsWith(SESSION)).sort();
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(names).toEqual(names.map((_, i) => `${SESSION}.${i}`));
    const again = await browser.request(`${APP}/again`);
    expect(again.status).toBe(200);
    await again.body?.cancel();
    const out = await browser.request(`${APP}/logout`);
    expect(out.status).toBe(302);
    expect(Object.keys(browser.cookies("app.test")).filter((n) => n.startsWith(SESSION))).toEqual([]);
  });

  it("reaches the provider through issuerAddress (a service binding) for discovery and tokens", async () => {
    const seen: string[] = [];
    // A stand-in for a bound Worker in front of the provider: it records each call and relays it.
    const IDP = { fetch: (request: Request) => (seen.push(new URL(request.url).pathname + new URL(request.url).search), fetch(request)) };
    const browser = new Browser("app.test", app(snapshotOf(oidcConfig({ issuerAddress: "binding://IDP", discoveryParams: { tenant: "t1" } })), { ...workerEnv(), IDP }));
    const done = await login(browser, "alice");
    expect(done.response.status).toBe(200);
    await done.response.body?.cancel();
    expect(seen).toContain("/.well-known/openid-configuration?tenant=t1"); // with Hub's discoveryParams
    expect(seen).toContain("/token");
  });

  it("answers 500 when the Worker lacks the secret it names", async () => {
    const browser = new Browser("app.test", app(snapshotOf(oidcConfig()), { ...env }));
    expect((await browser.request(`${APP}/x`)).status).toBe(500);
  });
});

describe("oidc: logout", () => {
  it("clears the session and sends the browser to the provider's end_session_endpoint, which returns it to postLogoutRedirectUrl", async () => {
    const browser = new Browser("app.test", app(snapshotOf(oidcConfig())));
    await (await login(browser, "alice")).response.body?.cancel();
    const idToken = ((await sealer(SECRET).open("session", SESSION, browser.cookies("app.test")[SESSION]!)) as { idt: string }).idt;
    const res = await browser.request(`${APP}/logout`);
    expect(res.status).toBe(302);
    const end = new URL(res.headers.get("location")!);
    expect(end.origin + end.pathname).toBe(`${issuer}/session/end`);
    expect(end.searchParams.get("id_token_hint")).toBe(idToken);
    expect(end.searchParams.get("post_logout_redirect_uri")).toBe(`${APP}/bye`);
    expect(end.searchParams.get("client_id")).toBe(OIDC_CLIENT.client_id);
    expect(browser.cookies("app.test")[SESSION]).toBeUndefined();
    // The provider asks to confirm, then sends the browser back.
    const confirm = await browser.navigate(end.href);
    expect(confirm.response.status).toBe(200);
    const back = await browser.submit(await confirm.response.text(), confirm.url, { logout: "yes" });
    expect(back.visited).toContain(`${APP}/bye`);
    await back.response.body?.cancel();
    // Signed out at the provider too: a new login shows its login page again.
    const again = await browser.navigate(`${APP}/private`);
    expect(again.url.startsWith(issuer)).toBe(true);
    expect(await again.response.text()).toMatch(/name="login"/);
  });
});
