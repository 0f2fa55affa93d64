// Issue 18's safe changes in the dashboard, in a real Chromium against `wrangler dev`: the releases
// page (a canary's figures, the policy's view, promote/abort; a shadow's moves, stop; the stored
// tokens), the editor's Push as canary, Evaluate as shadow and Plan, and the history's Preview.
// Its own wrangler dev (stack.ts's has no PREVIEW_SECRET and the default 30 s shadow poll), with
// fast canary/shadow reports so the figures show within seconds. Tests run in order; each one
// that starts a canary or a shadow ends it. Every page is guarded (browser.ts).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startUpstream, type Upstream } from "../fixtures/upstream.ts";
import { startWranglerDev, type Running } from "../node/helpers/processes.ts";
import { guardedPage, haveChromium, launch, warnIfNoChromium, type Guarded } from "./browser.ts";
import { overflowsSideways, signIn, typeConfig, until } from "./dashboard.ts";
import { admin, ADMIN_TOKEN, BASE, READ_TOKEN } from "./stack.ts";

warnIfNoChromium();

const NO_MOVE = { minRequests: "100000", promoteAfter: "1h" };

function configOf(upstream: string, appRule = "PathPrefix(`/app`)") {
  return {
    http: {
      routers: { app: { rule: appRule, service: "app" }, other: { rule: "PathPrefix(`/other`)", service: "app" } },
      services: { app: { loadBalancer: { servers: [{ url: upstream }] } } },
    },
  };
}

describe.skipIf(!haveChromium)("the releases page, the editor's safe changes and previews in Chromium", () => {
  let dev: Running | undefined;
  let up: Upstream | undefined;
  let browser: Browser | undefined;
  let url = "";
  let dashboard = "";
  const pages: Guarded[] = [];

  beforeAll(async () => {
    up = await startUpstream("blue");
    const [started, launched] = await Promise.allSettled([
      startWranglerDev({
        vars: {
          ADMIN_TOKEN, ADMIN_READ_TOKEN: READ_TOKEN, PREVIEW_SECRET: "e2e-preview-secret-0123456789",
          POLL_INTERVAL_MS: "200", FLEET_REPORT_INTERVAL_MS: "500", CANARY_REPORT_INTERVAL_MS: "300",
          SHADOW_POLL_INTERVAL_MS: "200", SHADOW_FLUSH_INTERVAL_MS: "200", VERSION_HEADER: "true", ADMIN_AUTH_MAX_FAILURES: "1000",
        },
        readyPath: `${BASE}/status`,
        timeoutMs: 90_000,
      }),
      launch(),
    ]);
    if (started.status === "fulfilled") dev = started.value;
    if (launched.status === "fulfilled") browser = launched.value;
    if (started.status === "rejected") throw started.reason;
    if (launched.status === "rejected") throw launched.reason;
    url = dev!.url;
    dashboard = `${url}${BASE}/dashboard/`;
    const first = await admin({ url }, "PUT", "/config", configOf(up.url), { "x-switchyard-message": "first config" });
    expect(first.status).toBe(200);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await dev?.stop();
    await up?.close();
  });

  afterEach(async () => {
    const problems = pages.flatMap((p) => p.problems);
    await Promise.allSettled(pages.splice(0).map((p) => p.close()));
    expect(problems, "the page logged errors or left loopback").toEqual([]);
  });

  async function open(options: { width?: number } = {}): Promise<Guarded> {
    const guarded = await guardedPage(browser!, options);
    pages.push(guarded);
    return guarded;
  }

  async function releases(page: Page, token = ADMIN_TOKEN): Promise<void> {
    await signIn(page, { dashboard }, token);
    await page.getByTestId("nav-releases").click();
    await page.getByTestId("releases-updated").filter({ hasText: /updated/ }).waitFor();
  }

  /** Data-plane requests from `n` client addresses (the canary's buckets are by address). */
  async function traffic(path: string, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      await fetch(`${url}${path}`, { headers: { "cf-connecting-ip": `10.1.${i >> 8}.${i & 255}` }, signal: AbortSignal.timeout(10_000) }).then((r) => r.text());
    }
  }

  async function startCanary(share = 50): Promise<number> {
    const q = new URLSearchParams({ canary: String(share), ...NO_MOVE });
    const res = await admin({ url }, "PUT", `/config?${q}`, configOf(up!.url, "PathPrefix(`/app`) || PathPrefix(`/b`)"));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body as { version: number }).version;
  }

  it("says that nothing runs, and shows the ADMIN_TOKEN the (empty) stored tokens", async () => {
    const { page } = await open();
    await releases(page);
    expect(await page.getByTestId("nav-releases").getAttribute("aria-current")).toBe("page");
    await page.getByTestId("canary-none").waitFor();
    await page.getByTestId("shadow-none").waitFor();
    expect(await page.getByTestId("canary-promote").isVisible()).toBe(false);
    expect(await page.getByTestId("shadow-stop").isVisible()).toBe(false);
    await page.getByTestId("tokens-empty").waitFor();
  });

  it("shows a running canary's versions, share, the policy's view and both versions' figures; aborts it after a keyboard-usable confirmation", async () => {
    const candidate = await startCanary(50);
    const { page } = await open();
    await releases(page);
    expect(await page.getByTestId("canary-candidate").innerText()).toBe(`version ${candidate}`);
    expect(await page.getByTestId("canary-stable").innerText()).toBe(`version ${candidate - 1}`);
    expect(await page.getByTestId("canary-share").innerText()).toBe("50 % of clients");
    expect(await page.getByTestId("canary-step").innerText()).toBe("50 % now, then 100 %");
    expect(await page.getByTestId("canary-decision").getAttribute("data-action")).toBe("hold");
    expect(await page.locator('[data-testid="canary-event"][data-action="started"]').count()).toBe(1);
    await traffic("/app/x", 40);
    // The figures arrive with the isolate's report (every 300 ms here) and the page's 5 s refresh.
    const requests = (role: string) => page.locator(`[data-testid="canary-figure"][data-role="${role}"] [data-testid="figure-requests"]`).innerText().then(Number);
    await until(async () => [await requests("candidate"), await requests("stable")], ([c, s]) => c! > 0 && s! > 0, 20_000, "both versions' requests");
    expect(await page.locator('[data-testid="canary-figure"][data-role="candidate"] [data-testid="figure-error-ratio"]').innerText()).toBe("0.00 %");
    expect(await page.getByTestId("canary-decision").innerText()).toMatch(/the policy would hold: \d+ of 100000 candidate requests/);

    // Keyboard: Enter on Promote opens the dialog with the focus on Cancel; Escape closes it, nothing changes.
    await page.getByTestId("canary-promote").focus();
    await page.keyboard.press("Enter");
    await page.locator('[data-testid="confirm-dialog"][data-action="promote"]').waitFor();
    expect(await page.evaluate("document.activeElement?.dataset.testid")).toBe("confirm-cancel");
    await page.keyboard.press("Escape");
    await page.getByTestId("confirm-dialog").waitFor({ state: "detached" });
    expect(((await admin({ url }, "GET", "/config/canary")).body as { running: boolean }).running).toBe(true);

    await page.getByTestId("canary-abort").click();
    await page.getByTestId("confirm-reason").fill("tried from the browser test");
    await page.getByTestId("confirm-ok").click();
    expect(await page.getByTestId("canary-done").innerText()).toMatch(new RegExp(`aborted: version \\d+ \\(content of ${candidate - 1}\\) serves everyone`));
    await page.getByTestId("canary-none").waitFor();
    expect(await page.locator('[data-testid="canary-event"][data-action="aborted"] [data-testid="event-reason"]').innerText()).toBe("tried from the browser test");
    expect(await page.getByTestId("canary-promote").isVisible()).toBe(false);
  });

  it("shows a shadow candidate's moves as sentences and a table, and stops it", async () => {
    const started = await admin({ url }, "PUT", "/config/shadow?sampleRate=1", configOf(up!.url, "PathPrefix(`/nowhere`)"));
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const { page } = await open();
    await releases(page);
    await page.getByTestId("shadow-facts").waitFor();
    const move = page.locator('[data-testid="shadow-move"][data-from="app"][data-to="404"]');
    // The isolate loads the candidate on its next pointer poll (200 ms here), then samples every request.
    await until(async () => { await traffic("/app/y", 5); return move.count(); }, (n) => n === 1, 30_000, "the app → 404 move");
    expect(Number(await page.getByTestId("shadow-sampled").innerText())).toBeGreaterThan(0);
    expect(await page.getByTestId("shadow-sentence").allInnerTexts()).toContainEqual(expect.stringMatching(/% of requests would get 404 \(they go to router `app` now\)/));
    await page.getByTestId("shadow-stop").click();
    await page.locator('[data-testid="confirm-dialog"][data-action="stop"]').waitFor();
    await page.getByTestId("confirm-ok").click();
    await page.getByTestId("shadow-stopped").waitFor();
    await page.getByTestId("shadow-none").waitFor();
    expect(((await admin({ url }, "GET", "/config/shadow")).body as { active: boolean }).active).toBe(false);
  });

  it("pushes the editor's text as a canary with the policy's defaults, If-Match and the message; a second is refused (409)", async () => {
    const guarded = await open();
    guarded.allow(/status of 409/);
    const { page } = guarded;
    await signIn(page, { dashboard });
    await page.goto(`${dashboard}#/editor`);
    await page.getByTestId("validation-valid").waitFor();
    const loaded = Number((await page.getByTestId("editor-version").innerText()).replace(/\D/g, ""));
    expect(await page.getByTestId("editor-canary-share").inputValue()).toBe("5");
    expect(await page.getByTestId("editor-canary-min-requests").inputValue()).toBe("500");
    const sent: { url: string; headers: Record<string, string> }[] = [];
    page.on("request", (req) => { if (req.method() === "PUT") sent.push({ url: req.url(), headers: req.headers() }); });
    await page.getByTestId("editor-canary-share").fill("20");
    await page.getByTestId("editor-message").fill("canary from the dashboard");
    await page.getByTestId("editor-canary-push").click();
    expect(await page.getByTestId("editor-canary-started").innerText()).toMatch(new RegExp(`canary: version ${loaded + 1} serves 20 % of clients, version ${loaded} the rest`));
    expect(new URL(sent[0]!.url).search).toBe("?canary=20&promoteAfter=10m&maxErrorRatio=0.02&maxP99Ratio=1.5&minRequests=500");
    expect(sent[0]!.headers["if-match"]).toBe(`"${loaded}"`);
    expect(sent[0]!.headers["content-type"]).toBe("application/yaml");
    const status = (await admin({ url }, "GET", "/config/canary")).body as { running: boolean; share: number; candidate: number; policy: { minRequests: number } };
    expect(status).toMatchObject({ running: true, share: 20, candidate: loaded + 1, policy: { minRequests: 500 } });
    const history = (await admin({ url }, "GET", "/config/history?limit=1")).body as { message: string }[];
    expect(history[0]!.message).toBe("canary from the dashboard");

    await page.getByTestId("editor-canary-push").click();
    expect(await page.getByTestId("editor-refused").innerText()).toMatch(/409 a canary of version \d+ is running/);
    await page.getByTestId("editor-canary-share").fill("100");
    await page.getByTestId("editor-canary-push").click();
    expect(await page.locator('[data-testid="field-error"] [data-testid="error-path"]').innerText()).toBe("canary");
    expect((await admin({ url }, "POST", "/config/canary/abort", {})).status).toBe(200);
  });

  it("starts a shadow evaluation of the editor's text at the sample rate given", async () => {
    const { page } = await open();
    await signIn(page, { dashboard });
    await page.goto(`${dashboard}#/editor`);
    await page.getByTestId("validation-valid").waitFor();
    await page.getByTestId("editor-shadow-rate").fill("0.25");
    await page.getByTestId("editor-shadow").click();
    expect(await page.getByTestId("editor-shadow-started").innerText()).toMatch(/sampling 25 % of requests against version \d+/);
    const state = (await admin({ url }, "GET", "/config/shadow")).body as { active: boolean; sampleRate: number };
    expect(state).toMatchObject({ active: true, sampleRate: 0.25 });
    expect((await admin({ url }, "DELETE", "/config/shadow")).status).toBe(200);
  });

  it("plans the editor's text: the field-level diff and the requests that would move; an invalid text shows its paths", async () => {
    const guarded = await open();
    guarded.allow(/status of 400/);
    const { page } = guarded;
    await signIn(page, { dashboard });
    await page.goto(`${dashboard}#/editor`);
    await page.getByTestId("validation-valid").waitFor();
    await page.getByTestId("editor-format").selectOption("json");
    const text = await page.getByTestId("editor-text").inputValue();
    await typeConfig(page, text.replace("PathPrefix(`/app`)", "PathPrefix(`/app2`)"));
    await page.getByTestId("editor-plan-requests").fill(`${url}/app/x\n{"method": "GET", "url": "${url}/other/y"}`);
    await page.getByTestId("editor-plan").click();
    await page.getByTestId("plan-changes").waitFor();
    expect(await page.locator('[data-testid="plan-diff"] [data-testid="diff-field"]').getAttribute("data-path")).toBe("http.routers.app.rule");
    expect(await page.getByTestId("plan-requests").innerText()).toBe("requests: 2, routed differently: 1");
    const move = page.locator('[data-testid="plan-move"][data-index="0"]');
    expect([await move.getByTestId("move-from").innerText(), await move.getByTestId("move-to").innerText()]).toEqual(["app", "404"]);

    await typeConfig(page, text.replace("PathPrefix(`/app`)", "Nope(`/app`)"));
    await page.getByTestId("editor-plan").click();
    await page.getByTestId("plan-invalid").waitFor();
    expect(await page.locator('[data-testid="validation-error"] [data-testid="error-path"]').allInnerTexts()).toContainEqual(expect.stringMatching(/^http\.routers\.app\.rule/));
  });

  it("previews a version from the history: the header and curl line to copy, the token never in a URL, served by that version", async () => {
    const { page } = await open();
    const urls: string[] = [];
    page.on("request", (req) => urls.push(req.url()));
    await signIn(page, { dashboard });
    await page.goto(`${dashboard}#/config`);
    await page.locator('[data-testid="preview"][data-version="1"]').click();
    const header = await page.getByTestId("preview-header").inputValue();
    expect(header).toMatch(/^X-Switchyard-Preview: 1\.\d+\.[A-Za-z0-9_-]+$/);
    expect(await page.getByTestId("preview-header").getAttribute("readonly")).not.toBeNull();
    expect(await page.getByTestId("preview-curl").inputValue()).toBe(`curl -H '${header}' ${url}/`);
    const token = header.split(": ")[1]!;
    expect(urls.filter((u) => u.includes(token))).toEqual([]);
    const res = await fetch(`${url}/app/z`, { headers: { "x-switchyard-preview": token }, signal: AbortSignal.timeout(10_000) });
    await res.text();
    expect(res.headers.get("x-switchyard-version")).toBe("1");
  });

  it("makes a stored token (shown once), which signs in; revokes it after a confirmation; a taken name is refused with its path", async () => {
    const guarded = await open();
    guarded.allow(/status of 400/);
    const { page } = guarded;
    await releases(page);
    await page.getByTestId("token-name").fill("admin");
    await page.getByTestId("token-create").click();
    expect(await page.getByTestId("token-error").innerText()).toMatch(/^400: the token is invalid: name: "admin" is the name of one of the Worker's own tokens/);
    await page.getByTestId("token-name").fill("ci");
    await page.getByTestId("token-scope-write").check();
    await page.getByTestId("token-create").click();
    const token = await page.getByTestId("token-new").inputValue();
    expect(token).toMatch(/^syt_[A-Za-z0-9_-]{43}$/);
    await page.getByTestId("token-new-note").waitFor();
    expect(await page.locator('[data-testid="token-row"][data-name="ci"] [data-testid="token-scopes"]').innerText()).toBe("read, write");
    const whoami = await fetch(`${url}${BASE}/whoami`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());
    expect(whoami).toEqual({ name: "ci", scopes: ["read", "write"] });

    // Signed in with it: a write token is not the ADMIN_TOKEN, so no tokens section.
    const other = await open();
    await releases(other.page, token);
    expect(await other.page.getByTestId("tokens").count()).toBe(0);

    await page.locator('[data-testid="token-revoke"][data-name="ci"]').click();
    await page.locator('[data-testid="confirm-dialog"][data-action="revoke"]').waitFor();
    await page.getByTestId("confirm-ok").click();
    await page.getByTestId("token-revoked").waitFor();
    expect(await page.getByTestId("token-row").count()).toBe(0);
    expect((await fetch(`${url}${BASE}/whoami`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it("offers a read-only token no promote, abort, stop, tokens, canary, shadow or preview; Plan stays", async () => {
    await startCanary(30);
    expect((await admin({ url }, "PUT", "/config/shadow?sampleRate=0.5", configOf(up!.url))).status).toBe(200);
    try {
      const { page } = await open();
      await releases(page, READ_TOKEN);
      await page.getByTestId("canary-facts").waitFor();
      await page.getByTestId("shadow-facts").waitFor();
      await page.getByTestId("canary-readonly").waitFor();
      for (const id of ["canary-promote", "canary-abort", "shadow-stop"]) expect(await page.getByTestId(id).isVisible(), id).toBe(false);
      expect(await page.getByTestId("tokens").count()).toBe(0);
      await page.goto(`${dashboard}#/editor`);
      await page.getByTestId("editor-plan").waitFor();
      expect(await page.getByTestId("editor-canary-push").count()).toBe(0);
      expect(await page.getByTestId("editor-shadow").count()).toBe(0);
      await page.goto(`${dashboard}#/config`);
      await page.getByTestId("history").waitFor();
      expect(await page.getByTestId("preview").count()).toBe(0);
    } finally {
      await admin({ url }, "POST", "/config/canary/abort", {});
      await admin({ url }, "DELETE", "/config/shadow");
    }
  });

  it("fits a 390 px phone with a canary and a shadow running", async () => {
    await startCanary(10);
    expect((await admin({ url }, "PUT", "/config/shadow?sampleRate=0.5", configOf(up!.url))).status).toBe(200);
    try {
      const { page } = await open({ width: 390 });
      await releases(page);
      await page.getByTestId("canary-figures").waitFor();
      await page.getByTestId("shadow-facts").waitFor();
      const releasesWidth = await overflowsSideways(page);
      expect(releasesWidth.scrollWidth).toBeLessThanOrEqual(releasesWidth.viewport);
      await page.goto(`${dashboard}#/editor`);
      await page.getByTestId("editor-plan").waitFor();
      const editorWidth = await overflowsSideways(page);
      expect(editorWidth.scrollWidth).toBeLessThanOrEqual(editorWidth.viewport);
    } finally {
      await admin({ url }, "POST", "/config/canary/abort", {});
      await admin({ url }, "DELETE", "/config/shadow");
    }
  });
});
