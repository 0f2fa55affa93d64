// The dashboard end to end, in a real Chromium (headless, playwright-core) against `wrangler dev`
// with real loopback upstreams (stack.ts). One wrangler dev and one browser for the file, a fresh
// browser context per test; the tests run in order and the ones that change the config say so.
// Every page is guarded (browser.ts): a console error or a request to a non-loopback host fails it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { stringify as stringifyYaml } from "yaml";
import { guardedPage, haveChromium, launch, warnIfNoChromium, type Guarded } from "./browser.ts";
import { nav, openItem, overflowsSideways, signIn, signedIn, texts, TOKEN_KEY, typeConfig, until } from "./dashboard.ts";
import { admin, ADMIN_TOKEN, BASE, firstConfig, HEALTH_INTERVAL_MS, METRICS_TOKEN, READ_TOKEN, request, routerOf, startStack, untilServed, upstreamOf, type Stack } from "./stack.ts";

warnIfNoChromium();

describe.skipIf(!haveChromium)("the dashboard in Chromium", () => {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  const pages: Guarded[] = [];

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startStack(), launch()]);
    if (started.status === "fulfilled") stack = started.value;
    if (launched.status === "fulfilled") browser = launched.value;
    if (started.status === "rejected") throw started.reason;
    if (launched.status === "rejected") throw launched.reason;
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  });

  afterEach(async () => {
    const problems = pages.flatMap((p) => p.problems);
    await Promise.allSettled(pages.splice(0).map((p) => p.close()));
    expect(problems, "the page logged errors or left loopback").toEqual([]);
  });

  /** A fresh context and page, guarded, closed and checked after the test. */
  async function open(options: { width?: number; height?: number } = {}): Promise<Guarded> {
    const guarded = await guardedPage(browser!, options);
    pages.push(guarded);
    return guarded;
  }

  describe("the harness", () => {
    it("serves the first config through wrangler dev from a real upstream", async () => {
      const res = await request(stack!, "/app/hello");
      expect(res.status).toBe(200);
      expect(routerOf(res)).toBe("app");
      expect(upstreamOf(res)).toBe("blue");
    });

    it("catches a request to a non-loopback host and a console error (so their absence means something)", async () => {
      const guarded = await guardedPage(browser!);
      try {
        await guarded.page.goto(`${stack!.url}/app/blank`);
        await guarded.page.evaluate(`fetch("http://example.com/x").catch(() => undefined).then(() => console.error("boom"))`);
        await expect.poll(() => guarded.problems.join("\n"), { timeout: 5_000 }).toMatch(/console error: boom/);
        expect(guarded.problems.join("\n")).toMatch(/non-loopback host: GET http:\/\/example\.com\/x/);
      } finally {
        await guarded.close();
      }
    });
  });

  describe("signing in", () => {
    it("takes the token in a password field and keeps it in sessionStorage, never in a URL or a cookie", async () => {
      const { page, context } = await open();
      const urls: string[] = [];
      const authorizations: (string | undefined)[] = [];
      page.on("request", (req) => {
        urls.push(req.url());
        if (req.url().includes(`${BASE}/`) && !req.url().includes("/dashboard/")) authorizations.push(req.headers()["authorization"]);
      });
      await page.goto(stack!.dashboard);
      expect(await page.getByTestId("signin-token").getAttribute("type")).toBe("password");
      await page.getByTestId("signin-token").fill(ADMIN_TOKEN);
      await page.getByTestId("signin-submit").click();
      await signedIn(page);
      expect(await page.getByTestId("whoami").innerText()).toMatch(/signed in as admin/);
      expect(await page.evaluate(`sessionStorage.getItem(${JSON.stringify(TOKEN_KEY)})`)).toBe(ADMIN_TOKEN);
      expect(await page.evaluate("JSON.stringify(localStorage)")).not.toContain(ADMIN_TOKEN);
      expect(page.url()).not.toContain(ADMIN_TOKEN);
      expect(urls.filter((u) => u.includes(ADMIN_TOKEN))).toEqual([]);
      expect(await context.cookies()).toEqual([]);
      // Every admin call the page made carried the token as a bearer header.
      expect(authorizations.length).toBeGreaterThan(0);
      expect(new Set(authorizations)).toEqual(new Set([`Bearer ${ADMIN_TOKEN}`]));
      // Signing out forgets it.
      await page.getByTestId("signout").click();
      await page.getByTestId("signin-form").waitFor();
      expect(await page.evaluate(`sessionStorage.getItem(${JSON.stringify(TOKEN_KEY)})`)).toBeNull();
    });

    it("refuses a wrong token and stays on the sign-in form", async () => {
      const guarded = await open();
      guarded.allow(/status of 401/);
      const { page } = guarded;
      await page.goto(stack!.dashboard);
      await page.getByTestId("signin-token").fill("not-the-token-0123456789");
      await page.getByTestId("signin-submit").click();
      await page.getByTestId("signin-error").filter({ hasText: /wrong token/ }).waitFor();
      expect(await page.getByTestId("signin-form").isVisible()).toBe(true);
      expect(await page.getByTestId("signout").isVisible()).toBe(false);
      expect(await page.evaluate(`sessionStorage.getItem(${JSON.stringify(TOKEN_KEY)})`)).toBeNull();
    });

    it("works from the keyboard: the token field has focus, Tab reaches the button, Enter signs in, Tab and Enter follow a link", async () => {
      const { page } = await open();
      await page.goto(stack!.dashboard);
      await page.getByTestId("signin-form").waitFor();
      expect(await focused(page)).toBe("signin-token");
      await page.keyboard.type(ADMIN_TOKEN);
      await page.keyboard.press("Tab");
      expect(await focused(page)).toBe("signin-submit");
      await page.keyboard.press("Shift+Tab");
      expect(await focused(page)).toBe("signin-token");
      await page.keyboard.press("Enter");
      await signedIn(page);
      // From the top of the page, Tab walks to the Traffic link; Enter opens it.
      await page.evaluate("document.activeElement && document.activeElement.blur()");
      let reached = false;
      for (let i = 0; i < 15 && !reached; i++) {
        await page.keyboard.press("Tab");
        reached = (await focused(page)) === "nav-traffic";
      }
      expect(reached, "Tab never reached the Traffic link").toBe(true);
      await page.keyboard.press("Enter");
      await page.waitForFunction(`location.hash === "#/traffic"`, undefined, { timeout: 5_000 });
      expect(await page.getByTestId("nav-traffic").getAttribute("aria-current")).toBe("page");
    });
  });

  describe("overview and items", () => {
    it("shows the routers, services and middlewares with the API's counts, and each item's page", async () => {
      const { page } = await open();
      await signIn(page, stack!);
      await page.getByTestId("list-routers").waitFor();
      const overview = (await admin(stack!, "GET", "/api/overview")).body as { http: Record<string, { total: number; warnings: number; errors: number }> };
      for (const kind of ["routers", "services", "middlewares"]) {
        for (const what of ["total", "warnings", "errors"] as const) {
          expect(await page.getByTestId(`overview-${kind}-${what}`).innerText(), `${kind} ${what}`).toBe(String(overview.http[kind]![what]));
        }
      }
      expect(overview.http.routers!.total).toBeGreaterThanOrEqual(2);
      const routers = await page.getByTestId("row-routers").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-name")));
      expect(routers).toEqual(expect.arrayContaining([APP, CHECKED]));
      await page.locator(`[data-testid=row-routers][data-name="${APP}"] [data-testid=item-link]`).click();
      await page.getByTestId("item-name").filter({ hasText: APP }).waitFor();
      expect(await page.getByTestId("item-config").innerText()).toContain("PathPrefix(`/app`)");
      expect(await page.getByTestId("item-facts").getByTestId("status").innerText()).toBe("enabled");
      await page.getByTestId("item-no-errors").waitFor();
    });

    it("shows an item's problem at its JSON path: in the overview's counts and row, and on its page", async () => {
      const { page } = await open();
      await signIn(page, stack!);
      const row = page.locator(`[data-testid=row-routers][data-name="${LEGACY}"]`);
      await row.waitFor();
      expect(await row.getByTestId("status").innerText()).toBe("warning");
      expect(await row.getByTestId("problems").innerText(), "a warning is not called an error").toBe("1 warning");
      expect(Number(await page.getByTestId("overview-routers-warnings").innerText())).toBeGreaterThanOrEqual(1);
      await row.getByTestId("item-link").click();
      await page.getByTestId("item-name").filter({ hasText: LEGACY }).waitFor();
      const error = page.getByTestId("item-errors").getByTestId("item-error");
      await error.first().waitFor();
      expect(await error.getByTestId("error-path").allInnerTexts()).toEqual(["http.routers.legacy.entryPoints"]);
      expect(await error.getByTestId("error-message").innerText()).toMatch(/entryPoints/);
    });

    it("has no horizontal overflow at phone width (390×844): the overview, then every page", async () => {
      const { page } = await open({ width: 390, height: 844 });
      await signIn(page, stack!);
      await page.getByTestId("list-routers").waitFor();
      const { scrollWidth, viewport } = await overflowsSideways(page);
      expect(viewport).toBe(390);
      expect(scrollWidth, "the overview is wider than the phone's screen").toBeLessThanOrEqual(viewport);
      expect(await page.getByTestId("nav-editor").isVisible()).toBe(true);
      // Every other page too, each once it has drawn what it shows.
      const ready = { traffic: "traffic-table", fleet: "fleet-facts", config: "history", editor: "validation-valid", explain: "explain-form" } as const;
      const wide: string[] = [];
      for (const [view, testid] of Object.entries(ready) as [keyof typeof ready, string][]) {
        await nav(page, view);
        await page.getByTestId(testid).waitFor();
        const { scrollWidth: width } = await overflowsSideways(page);
        if (width > viewport) wide.push(`${view}: ${width} px`);
      }
      await openItem(page, stack!, "services", CHECKED_SERVICE);
      await page.getByTestId("servers").waitFor();
      if ((await overflowsSideways(page)).scrollWidth > viewport) wide.push("a service's page");
      expect(wide, "pages wider than the phone's screen").toEqual([]);
    });
  });

  describe("explain", () => {
    it("explains a URL: the router that matches, and where every other one failed", async () => {
      const { page } = await open();
      await signIn(page, stack!);
      await nav(page, "explain");
      await page.getByTestId("explain-url").fill(`${stack!.url}/app/some/page`);
      await page.getByTestId("explain-submit").click();
      await page.getByTestId("explain-router").waitFor();
      // Explain names routers as the muxer does, without the provider (docs/routers.md).
      expect(await page.getByTestId("explain-router").innerText()).toBe("app");
      const checked = page.locator(`[data-testid=explain-row][data-router="checked"] [data-testid=explain-failed]`);
      expect(await checked.innerText()).toMatch(/failed at .*PathPrefix\(`\/checked`\)/);
      expect(await page.locator(`[data-testid=explain-row][data-router="app"] [data-testid=explain-failed]`).innerText()).toBe("matched");
    });
  });

  // From here on the tests change the config, in this order: a refused push (no change), a push
  // (version 2), a write behind the editor's back (3), a rollback to 1 (4).
  describe("editing and publishing", () => {
    it("refuses a broken config typed in the editor, with its JSON path, and publishes nothing", async () => {
      const guarded = await open();
      guarded.allow(/status of 400/);
      const { page } = guarded;
      const before = await liveVersion();
      await signIn(page, stack!);
      await nav(page, "editor");
      await page.getByTestId("validation-valid").waitFor();
      const broken = stringify(withRouter(firstConfig(stack!), "app", { rule: "PathPrefix(`/app`)", service: "nope", middlewares: ["tag"] }));
      await typeConfig(page, broken);
      await page.getByTestId("validation-invalid").waitFor();
      const paths = await texts(page.getByTestId("editor-validation").getByTestId("error-path"));
      expect(paths).toContain("http.routers.app.service");
      // Its path selects the line it names.
      await page.getByTestId("editor-validation").getByTestId("error-path").filter({ hasText: "http.routers.app.service" }).click();
      expect(await page.evaluate(SELECTED_TEXT)).toMatch(/service: nope/);
      await page.getByTestId("editor-push").click();
      await page.getByTestId("editor-invalid").waitFor();
      expect(await liveVersion()).toBe(before);
      const res = await request(stack!, "/app/x");
      expect(upstreamOf(res)).toBe("blue");
    });

    it("pushes a change that goes live: the data plane serves the new router, the overview lists it", async () => {
      const { page } = await open();
      const before = await liveVersion();
      await signIn(page, stack!);
      await nav(page, "editor");
      await page.getByTestId("validation-valid").waitFor();
      await typeConfig(page, stringify(secondConfig()));
      await page.getByTestId("validation-valid").waitFor();
      await page.getByTestId("editor-message").fill("app to green, and /fresh");
      await page.getByTestId("editor-push").click();
      await page.getByTestId("editor-pushed").waitFor();
      expect(await page.getByTestId("editor-pushed").innerText()).toBe(`published: version ${before + 1} is live`);
      expect(await page.getByTestId("editor-version").innerText()).toBe(`version ${before + 1}`);
      const fresh = await untilServed(stack!, "/fresh/x", (r) => routerOf(r) === "fresh");
      expect(upstreamOf(fresh)).toBe("green");
      expect(upstreamOf(await untilServed(stack!, "/app/x", (r) => upstreamOf(r) === "green"))).toBe("green");
      await nav(page, "overview");
      await page.locator(`[data-testid=row-routers][data-name="${FRESH}"]`).waitFor();
      const history = (await admin(stack!, "GET", "/config/history?limit=1")).body as { message: string }[];
      expect(history[0]!.message).toBe("app to green, and /fresh");
    });

    it("shows a 412 conflict as a diff when the config changed behind the editor's back", async () => {
      const guarded = await open();
      guarded.allow(/status of 412/);
      const { page } = guarded;
      await signIn(page, stack!);
      await nav(page, "editor");
      await page.getByTestId("validation-valid").waitFor();
      const loaded = await liveVersion();
      expect(await page.getByTestId("editor-version").innerText()).toBe(`version ${loaded}`);
      // Someone else publishes meanwhile (a script, the CLI).
      const theirs = withRouter(secondConfig(), "other", { rule: "PathPrefix(`/other`)", service: "green" });
      const put = await admin(stack!, "PUT", "/config", theirs, { "x-switchyard-message": "behind the editor's back" });
      expect(put.status).toBe(200);
      const mine = withRouter(secondConfig(), "mine", { rule: "PathPrefix(`/mine`)", service: "green" });
      await typeConfig(page, stringify(mine));
      await page.getByTestId("validation-valid").waitFor();
      await page.getByTestId("editor-push").click();
      await page.getByTestId("editor-stale").waitFor();
      const diff = await page.getByTestId("conflict-diff").innerText();
      expect(diff).toMatch(/^- +mine:/m);
      expect(diff).toMatch(/^\+ +other:/m);
      expect(await liveVersion()).toBe(loaded + 1);
      await page.getByTestId("conflict-take-theirs").click();
      await page.getByTestId("editor-version").filter({ hasText: `version ${loaded + 1}` }).waitFor();
      expect(await page.getByTestId("editor-text").inputValue()).toContain("other:");
      await page.getByTestId("editor-conflict").waitFor({ state: "detached" });
    });
  });

  describe("history", () => {
    it("diffs two versions field by field", async () => {
      const { page } = await open();
      await signIn(page, stack!);
      await nav(page, "config");
      await page.getByTestId("history-row").first().waitFor();
      await page.getByTestId("diff-from").selectOption("1");
      await page.getByTestId("diff-to").selectOption("2");
      await page.getByTestId("diff-show").click();
      const diff = page.getByTestId("diff");
      await diff.waitFor();
      expect(await diff.locator(`[data-testid=diff-entry][data-name="fresh"]`).getAttribute("data-op")).toBe("added");
      expect(await diff.locator(`[data-testid=diff-entry][data-name="green"]`).getAttribute("data-op")).toBe("added");
      const field = diff.locator(`[data-testid=diff-field][data-path="http.routers.app.service"]`);
      expect(await field.getAttribute("data-op")).toBe("changed");
      expect(await field.innerText()).toMatch(/app.*→.*green/);
    });

    it("rolls back after a confirmation that shows the diff, and the old router serves again", async () => {
      const { page } = await open();
      const live = await liveVersion();
      await signIn(page, stack!);
      await nav(page, "config");
      await page.locator(`[data-testid=rollback][data-version="1"]`).click();
      const dialog = page.getByTestId("rollback-dialog");
      await dialog.waitFor();
      expect(await dialog.innerText()).toContain(`Roll back from version ${live} to 1`);
      const diff = dialog.getByTestId("rollback-diff");
      await diff.waitFor();
      expect(await diff.locator(`[data-testid=diff-entry][data-name="fresh"]`).getAttribute("data-op")).toBe("removed");
      expect(await diff.locator(`[data-testid=diff-field][data-path="http.routers.app.service"]`).innerText()).toMatch(/green.*→.*app/);
      // The data plane still serves the newest version until confirmed.
      expect(upstreamOf(await request(stack!, "/app/x"))).toBe("green");
      await dialog.getByTestId("rollback-confirm").click();
      await page.getByTestId("rollback-done").waitFor();
      expect(await page.getByTestId("rollback-done").innerText()).toContain(`version ${live + 1} is live (content of 1)`);
      await untilServed(stack!, "/app/x", (r) => upstreamOf(r) === "blue");
      await untilServed(stack!, "/fresh/x", (r) => r.status === 404);
      expect(await page.locator(`[data-testid=history-row][data-version="${live + 1}"] [data-testid=history-message]`).innerText()).toContain("rollback of 1");
    });

    it("a read-only token (ADMIN_READ_TOKEN) reads everything but has no push and no rollback", async () => {
      const { page } = await open();
      // An older version must exist for "no rollback button" to mean anything (run alone, publish one).
      if ((await liveVersion()) < 2) expect((await admin(stack!, "PUT", "/config", secondConfig())).status).toBe(200);
      await signIn(page, stack!, READ_TOKEN);
      expect(await page.getByTestId("whoami").innerText()).toMatch(/signed in as read-only/);
      await page.getByTestId("readonly-badge").waitFor();
      await page.getByTestId("list-routers").waitFor();
      await nav(page, "config");
      await page.getByTestId("history-row").first().waitFor();
      expect(await page.getByTestId("history-row").count()).toBeGreaterThanOrEqual(2);
      expect(await page.getByTestId("rollback").count()).toBe(0);
      await page.getByTestId("readonly-note").waitFor();
      await nav(page, "editor");
      await page.getByTestId("editor-text").waitFor();
      await page.getByTestId("readonly-note").waitFor();
      expect(await page.getByTestId("editor-push").count()).toBe(0);
      // It has the metrics scope: the traffic page works.
      await nav(page, "traffic");
      await page.getByTestId("traffic-table").waitFor();
      expect(await page.getByTestId("traffic-unavailable").count()).toBe(0);
    });
  });

  describe("traffic, fleet and health", () => {
    it("a metrics-only token (METRICS_TOKEN) is told it cannot read the config, and has the traffic page", async () => {
      const { page } = await open();
      await signIn(page, stack!, METRICS_TOKEN);
      expect(await page.getByTestId("whoami").innerText()).toMatch(/signed in as metrics/);
      await page.getByTestId("no-read-scope").waitFor();
      expect(await page.getByTestId("list-routers").count()).toBe(0);
      await nav(page, "traffic");
      await page.getByTestId("traffic-table").waitFor();
      expect(await page.getByTestId("traffic-unavailable").count()).toBe(0);
    });

    it("request counts rise after traffic", async () => {
      const { page } = await open();
      await signIn(page, stack!);
      await nav(page, "traffic");
      await page.getByTestId("traffic-table").waitFor();
      const before = await requestsShown(page, APP);
      const sent = 25;
      for (let i = 0; i < sent; i++) expect((await request(stack!, `/app/traffic/${i}`)).status).toBe(200);
      // The isolate flushes its counts every METRICS_FLUSH_INTERVAL_MS; the page is reloaded (signed in from sessionStorage).
      const after = await until(
        async () => {
          await page.reload();
          await page.getByTestId("traffic-table").waitFor();
          return requestsShown(page, APP);
        },
        (n) => n >= before + sent,
        20_000,
        `the traffic table's count for ${APP} (was ${before}, ${sent} sent)`,
      );
      expect(after).toBeGreaterThanOrEqual(before + sent);
      await page.getByTestId("traffic-name").selectOption(APP);
      expect(await page.getByTestId("chart-rps").locator("canvas").count()).toBeGreaterThan(0);
    });

    it("the fleet page shows the version the isolates serve", async () => {
      const { page } = await open();
      const live = await liveVersion();
      await untilServed(stack!, "/app/x", (r) => Number(r.headers.get("x-switchyard-version")) === live);
      await signIn(page, stack!);
      await nav(page, "fleet");
      const versions = await until(
        async () => {
          await page.reload();
          await page.getByTestId("fleet-facts").waitFor();
          return page.getByTestId("fleet-version").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-version"))));
        },
        (v) => v.includes(live),
        15_000,
        `the fleet page listing version ${live}`,
      );
      expect(versions).toContain(live);
      expect(Number(await page.getByTestId("fleet-isolates").innerText())).toBeGreaterThanOrEqual(1);
    });

    // Last: it stops an upstream for good.
    it("shows a server DOWN once its upstream stops, within a few health-check intervals", async () => {
      const { page } = await open();
      await signIn(page, stack!);
      const server = () => page.locator(`[data-testid=server][data-url="${stack!.checked.url}"]`);
      const status = async () => {
        await openItem(page, stack!, "services", CHECKED_SERVICE);
        await server().waitFor();
        return server().getByTestId("server-status").innerText();
      };
      await until(status, (s) => s === "UP", 15_000, "the checked server UP");
      expect(await server().getByTestId("server-lastcheck").innerText()).not.toMatch(/never|no health check/);
      await stack!.checked.close();
      const stopped = Date.now();
      await until(
        async () => {
          await page.reload();
          return status();
        },
        (s) => s === "DOWN",
        DOWN_WITHIN_MS,
        "the checked server DOWN",
      );
      const took = Date.now() - stopped;
      console.log(`server DOWN on the service page ${took} ms after its upstream stopped (health check every ${HEALTH_INTERVAL_MS} ms)`);
      expect(await server().getByTestId("server-error").innerText()).not.toBe("");
    });
  });

  async function liveVersion(): Promise<number> {
    const history = (await admin(stack!, "GET", "/config/history?limit=1")).body as { version: number }[];
    return history[0]!.version;
  }

  /** The second config, pushed from the editor: `app` moves to the green upstream, a new `fresh` router. */
  function secondConfig() {
    const config = withRouter(firstConfig(stack!), "app", { rule: "PathPrefix(`/app`)", service: "green", middlewares: ["tag"] });
    (config.http.services as Record<string, unknown>)["green"] = { loadBalancer: { servers: [{ url: stack!.green.url }] } };
    return withRouter(config, "fresh", { rule: "PathPrefix(`/fresh`)", service: "green" });
  }
});

const APP = "app@kv";
const CHECKED = "checked@kv";
const FRESH = "fresh@kv";
const LEGACY = "legacy@kv";
const CHECKED_SERVICE = "checked@kv";
/** Probe every HEALTH_INTERVAL_MS, the isolate learning it within a poll, the page reloaded: a few intervals. */
const DOWN_WITHIN_MS = 5 * HEALTH_INTERVAL_MS + 5_000;
const SELECTED_TEXT = `(() => { const t = document.querySelector("[data-testid=editor-text]"); return t.value.slice(t.selectionStart, t.selectionEnd); })()`;

type Config = ReturnType<typeof firstConfig>;

/** A copy of `config` with one router set. */
function withRouter(config: Config, name: string, router: Record<string, unknown>): Config {
  const copy = structuredClone(config);
  (copy.http.routers as Record<string, unknown>)[name] = router;
  return copy;
}

/** The editor's YAML, as a person would type it. */
function stringify(config: unknown): string {
  return stringifyYaml(config, { lineWidth: 0 });
}

async function focused(page: Page): Promise<string | null> {
  return page.evaluate(`document.activeElement && document.activeElement.getAttribute("data-testid")`);
}

/** The traffic table's request count for a router (0 when it has no row yet). */
async function requestsShown(page: Page, name: string): Promise<number> {
  const row = page.locator(`[data-testid=traffic-row][data-name="${name}"] td`);
  if ((await row.count()) === 0) return 0;
  return Number(await row.nth(1).innerText());
}
