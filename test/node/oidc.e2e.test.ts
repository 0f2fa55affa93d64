/// <reference path="../worker/helpers/oidc-provider.d.ts" />
// The oidc middleware end to end: `wrangler dev` (the real entry, the Worker secrets given as
// vars) in front of a loopback whoami, a real OpenID Provider (oidc-provider) on loopback, and
// the login done twice: by a fetch client with a cookie jar, and by headless Chromium
// (playwright-core) through the provider's login and consent pages (skipped, loudly, when
// /usr/bin/chromium is missing).
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWhoami, type Whoami } from "../../examples/whoami.ts";
import { oidcClientOptions, oidcWorkerSecrets } from "../fixtures/oidc-client.ts";
import { startOidcProvider, type TestProvider } from "../fixtures/oidc-provider.ts";
import { Browser } from "../worker/helpers/browser.ts";
import { startWranglerDev, type Running } from "./helpers/processes.ts";

const TOKEN = "oidc-e2e-admin-token";
const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM ?? "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`oidc.e2e: no Chromium at ${CHROMIUM}: the Chromium login is SKIPPED (set PLAYWRIGHT_CHROMIUM)`);

let dev: Running;
let whoami: Whoami;
let op: TestProvider;

function config(app: string) {
  return {
    http: {
      routers: {
        app: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["login"] },
        // Where logout returns: not behind the login, or it would start a new one.
        bye: { rule: "Path(`/bye`)", service: "s", priority: 100 },
      },
      services: { s: { loadBalancer: { servers: [{ url: whoami.url }] } } },
      middlewares: {
        login: {
          oidc: {
            ...oidcClientOptions(op.issuer, app),
            forwardHeaders: { "X-User": "sub", "X-Group": "grp" },
          },
        },
      },
    },
  };
}

beforeAll(async () => {
  whoami = await startWhoami({ port: 0, name: "oidc-e2e" });
  dev = await startWranglerDev({
    vars: { ADMIN_TOKEN: TOKEN, POLL_INTERVAL_MS: "0", ...oidcWorkerSecrets("an-e2e-worker-secret-0123456789abcdef") },
    readyPath: "/__switchyard/status",
  });
  op = await startOidcProvider({ redirectUris: [`${dev.url}/callback`], postLogoutRedirectUris: [`${dev.url}/bye`] });
  const put = await fetch(`${dev.url}/__switchyard/config`, {
    method: "PUT",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(config(dev.url)),
  });
  expect(put.status, await put.text()).toBe(200);
  // Served once a request without a session is sent to the provider (bounded wait).
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${dev.url}/private`, { redirect: "manual" });
    await res.body?.cancel();
    if (res.status === 302 && res.headers.get("location")?.startsWith(op.issuer)) break;
    if (Date.now() > deadline) throw new Error(`the oidc config is not served: ${res.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
});

afterAll(async () => {
  await dev?.stop();
  await op?.close();
  await whoami?.close();
});

interface Echo {
  readonly headers: Record<string, string>;
}

describe("oidc through wrangler dev", () => {
  it("logs in with a cookie-jar client, forwards the claims, and logs out at the provider", async () => {
    const browser = new Browser("", () => Promise.reject(new Error("unused")));
    const first = await browser.navigate(`${dev.url}/private`);
    expect(first.url.startsWith(op.issuer)).toBe(true);
    const consent = await browser.submit(await first.response.text(), first.url, { login: "alice", password: "any" });
    const done = await browser.submit(await consent.response.text(), consent.url);
    expect(done.url).toBe(`${dev.url}/private`);
    expect(done.response.status).toBe(200);
    const echo = (await done.response.json()) as Echo;
    expect(echo.headers["x-user"]).toBe("alice");
    expect(echo.headers["x-group"]).toBe("admin");
    const out = await browser.navigate(`${dev.url}/logout`);
    expect(out.url.startsWith(`${op.issuer}/session/end`)).toBe(true);
    const back = await browser.submit(await out.response.text(), out.url, { logout: "yes" });
    expect(back.url).toBe(`${dev.url}/bye`);
    await back.response.body?.cancel();
    const again = await browser.request(`${dev.url}/private`);
    expect(again.status).toBe(302);
  });

  it.skipIf(!haveChromium)("logs in in Chromium through the provider's login and consent pages", async () => {
    const chrome = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"], timeout: 30_000 });
    try {
      const page = await (await chrome.newContext()).newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${dev.url}/private?from=chromium`);
      expect(page.url().startsWith(op.issuer)).toBe(true);
      await page.fill('input[name="login"]', "bob");
      await page.fill('input[name="password"]', "any");
      await page.click('button[type="submit"]');
      await page.waitForSelector('button:has-text("Continue")'); // the consent page
      await page.click('button[type="submit"]');
      await page.waitForURL(`${dev.url}/private?from=chromium`);
      const echo = JSON.parse((await page.textContent("body")) ?? "{}") as Echo;
      expect(echo.headers["x-user"]).toBe("bob");
      expect(echo.headers["x-group"]).toBe("user");
      const cookies = await page.context().cookies(dev.url);
      const session = cookies.find((c) => c.name === "login-session");
      expect(session?.httpOnly).toBe(true);
      expect(session?.sameSite).toBe("Lax");
    } finally {
      await chrome.close();
    }
  });
});
