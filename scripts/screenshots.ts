// `npm run screenshots`: the dashboard's main pages as PNGs in docs/img/ (shown in the README), taken
// from the same system the browser tests drive (test/browser/stack.ts: wrangler dev with real
// loopback upstreams) after a second version and some traffic, at 1280×800 and one at phone width.
// Needs Chromium (apt-get install -y chromium, or PLAYWRIGHT_CHROMIUM). Bounded: gives up after 4 minutes.
import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { stringify } from "yaml";
import { CHROMIUM, guardedPage, haveChromium, launch, type Guarded } from "../test/browser/browser.ts";
import { nav, openItem, signIn, typeConfig } from "../test/browser/dashboard.ts";
import { admin, firstConfig, request, startStack, untilServed, type Stack } from "../test/browser/stack.ts";

const OUT = join(import.meta.dirname, "..", "docs", "img");
const LIMIT_MS = 240_000;

/** The second version: `app` on the green upstream, and routers whose answers fill the charts (5xx, slow). */
function secondConfig(stack: Stack) {
  const config = structuredClone(firstConfig(stack)) as { http: { routers: Record<string, unknown>; services: Record<string, unknown> } };
  config.http.routers["app"] = { rule: "PathPrefix(`/app`)", service: "green", middlewares: ["tag"] };
  config.http.routers["status"] = { rule: "PathPrefix(`/status`)", service: "app" };
  config.http.routers["slow"] = { rule: "Path(`/slow`) && Method(`GET`)", service: "app" };
  config.http.services["green"] = { loadBalancer: { servers: [{ url: stack.green.url }] } };
  return config;
}

/** A little traffic of each kind, spread over a few seconds so the isolate flushes it in several slots. */
async function traffic(stack: Stack): Promise<void> {
  for (let round = 0; round < 6; round++) {
    const paths = ["/app/", "/app/a", "/app/b", "/checked/", "/status/200", "/slow?ms=40"];
    if (round % 2 === 0) paths.push("/status/500", "/status/503");
    await Promise.all(paths.map((p) => request(stack, p)));
    await new Promise((r) => setTimeout(r, 400));
  }
}

/** A canary of `app` back on blue, for half the clients, held (no promotion within the shot), with traffic from many addresses. */
async function startCanary(stack: Stack): Promise<void> {
  const config = secondConfig(stack);
  config.http.routers["app"] = { rule: "PathPrefix(`/app`)", service: "app", middlewares: ["tag"] };
  const q = new URLSearchParams({ canary: "50", promoteAfter: "1h", minRequests: "100000" });
  const put = await admin(stack, "PUT", `/config?${q}`, config, { "x-switchyard-message": "app back to blue, as a canary" });
  if (put.status !== 200) throw new Error(`the canary was refused: ${JSON.stringify(put.body)}`);
  for (let round = 0; round < 3; round++) {
    await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(`${stack.url}/app/`, { headers: { "cf-connecting-ip": `10.9.${round}.${i}` }, signal: AbortSignal.timeout(10_000) }).then((r) => r.text())));
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function shoot(page: Page, name: string): Promise<string> {
  const path = join(OUT, `dashboard-${name}.png`);
  // Let charts and fonts settle: the last frame, not a half-drawn one.
  await page.waitForTimeout(300);
  await page.screenshot({ path, type: "png" });
  return path;
}

async function pages(stack: Stack, browser: Browser): Promise<string[]> {
  const shots: string[] = [];
  const opened: Guarded[] = [];
  const open = async (width = 1280, height = 800) => {
    const g = await guardedPage(browser, { width, height });
    opened.push(g);
    await signIn(g.page, stack);
    return g.page;
  };
  try {
    const page = await open();
    await page.getByTestId("list-routers").waitFor();
    shots.push(await shoot(page, "overview"));

    await openItem(page, stack, "routers", "app@kv");
    await page.getByTestId("item-config").waitFor();
    shots.push(await shoot(page, "router"));

    await openItem(page, stack, "services", "checked@kv");
    await page.getByTestId("server-status").filter({ hasText: "UP" }).waitFor();
    shots.push(await shoot(page, "service"));

    await nav(page, "traffic");
    await page.getByTestId("chart-rps").locator("canvas").first().waitFor();
    // The router with 5xx answers too: all three charts have a line.
    await page.getByTestId("traffic-name").selectOption("status@kv");
    await page.getByTestId("chart-errors").locator("canvas").first().waitFor();
    shots.push(await shoot(page, "traffic"));

    await nav(page, "config");
    await page.getByTestId("diff-from").selectOption("1");
    await page.getByTestId("diff-to").selectOption("2");
    await page.getByTestId("diff-show").click();
    await page.getByTestId("diff").waitFor();
    await page.getByTestId("diff").scrollIntoViewIfNeeded();
    shots.push(await shoot(page, "config-diff"));

    await nav(page, "editor");
    await page.getByTestId("validation-valid").waitFor();
    const broken = secondConfig(stack);
    broken.http.routers["app"] = { rule: "PathPrefix(`/app`)", service: "nope", middlewares: ["tag"] };
    await typeConfig(page, stringify(broken, { lineWidth: 0 }));
    await page.getByTestId("validation-invalid").waitFor();
    await page.getByTestId("editor-validation").getByTestId("error-path").first().click();
    shots.push(await shoot(page, "editor"));

    await nav(page, "explain");
    await page.getByTestId("explain-url").fill(`${stack.url}/app/some/page`);
    await page.getByTestId("explain-submit").click();
    await page.getByTestId("explain-router").waitFor();
    shots.push(await shoot(page, "explain"));

    await nav(page, "fleet");
    await page.getByTestId("fleet-version").first().waitFor({ timeout: 15_000 });
    shots.push(await shoot(page, "fleet"));

    await startCanary(stack);
    await page.getByTestId("nav-releases").click();
    await page.getByTestId("canary-candidate").waitFor({ timeout: 15_000 });
    // The figures come with the isolates' canary reports (every CANARY_REPORT_INTERVAL_MS, 5 s).
    await page.locator('[data-testid="canary-figure"][data-role="candidate"] [data-testid="figure-requests"]').filter({ hasNotText: /^0$/ }).waitFor({ timeout: 20_000 });
    shots.push(await shoot(page, "releases"));

    const phone = await open(390, 844);
    await phone.getByTestId("list-routers").waitFor();
    shots.push(await shoot(phone, "phone"));

    const problems = opened.flatMap((g) => g.problems);
    if (problems.length) throw new Error(`the pages logged errors or left loopback:\n${problems.join("\n")}`);
    return shots;
  } finally {
    await Promise.allSettled(opened.map((g) => g.close()));
  }
}

/** What to end if the time runs out (wrangler dev runs in its own process group: exit alone would leave it). */
const cleanups: (() => Promise<unknown>)[] = [];

async function main(): Promise<void> {
  if (!haveChromium) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set PLAYWRIGHT_CHROMIUM)`);
  await mkdir(OUT, { recursive: true });
  const launching = launch();
  cleanups.push(() => launching.then((b) => b.close()));
  const stack = await startStack();
  cleanups.push(() => stack.stop());
  const browser = await launching;
  try {
    const put = await admin(stack, "PUT", "/config", secondConfig(stack), { "x-switchyard-message": "app to green; status and slow routers" });
    if (put.status !== 200) throw new Error(`the second config was refused: ${JSON.stringify(put.body)}`);
    await untilServed(stack, "/slow?ms=1", (r) => r.status === 200);
    await traffic(stack);
    for (const path of await pages(stack, browser)) console.log(`${path} ${((await stat(path)).size / 1024).toFixed(0)} KiB`);
  } finally {
    await browser.close().catch(() => undefined);
    await stack.stop();
  }
}

const limit = setTimeout(() => {
  console.error(`screenshots: gave up after ${LIMIT_MS / 1000} s`);
  void Promise.allSettled(cleanups.map((c) => c())).then(() => process.exit(1));
}, LIMIT_MS);
main().then(
  () => clearTimeout(limit),
  (error: unknown) => {
    // main's finally has stopped what it started (startStack cleans up after itself).
    console.error(error);
    process.exit(1);
  },
);
