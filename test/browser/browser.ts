// Chromium for the dashboard's browser tests: found on disk (Debian's `chromium` package, or the
// path in PLAYWRIGHT_CHROMIUM), launched headless through playwright-core, one browser per test file
// and a fresh context (empty sessionStorage, cookies) per test. Every page is guarded: a console
// error, an uncaught exception or a request to any host but loopback fails the test, so the
// dashboard is shown to work offline and quietly, not just to render.
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM || "/usr/bin/chromium";
export const haveChromium = existsSync(CHROMIUM);

/** Says loudly, once per file, that the browser tests did not run and how to make them run. */
export function warnIfNoChromium(): void {
  if (haveChromium) return;
  console.warn(
    `\n*** SKIPPED browser tests: Chromium not found at ${CHROMIUM} — apt-get install -y chromium ` +
      `(or set PLAYWRIGHT_CHROMIUM to a Chromium binary). The dashboard was NOT tested. ***\n`,
  );
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"], timeout: 30_000 });
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
/** Schemes that never leave the page (no host to check). */
const LOCAL_SCHEMES = new Set(["data:", "blob:", "about:"]);

export interface Guarded {
  readonly context: BrowserContext;
  readonly page: Page;
  /** What went wrong on the page so far: console errors, uncaught exceptions, foreign requests. */
  readonly problems: string[];
  /** Console errors matching this are expected in this test (e.g. the 401 of a wrong token). */
  allow(pattern: RegExp): void;
  close(): Promise<void>;
}

export async function guardedPage(browser: Browser, options: { width?: number; height?: number } = {}): Promise<Guarded> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 } });
  // Bounds, not speed goals: generous enough for a loaded machine running the whole suite at once.
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  const problems: string[] = [];
  const allowed: RegExp[] = [];
  // Every request the page (or a worker of it) makes: loopback goes on, anything else is refused and recorded.
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (LOCAL_SCHEMES.has(url.protocol) || LOOPBACK.has(url.hostname)) return route.continue();
    problems.push(`request to a non-loopback host: ${route.request().method()} ${url.href}`);
    return route.abort("blockedbyclient");
  });
  context.on("weberror", (error) => problems.push(`uncaught: ${error.error().message}`));
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    if (!allowed.some((pattern) => pattern.test(text))) problems.push(`console error: ${text} (${message.location().url})`);
  });
  page.on("websocket", (ws) => {
    const url = new URL(ws.url());
    if (!LOOPBACK.has(url.hostname)) problems.push(`websocket to a non-loopback host: ${ws.url()}`);
  });
  return {
    context,
    page,
    problems,
    allow: (pattern) => void allowed.push(pattern),
    close: () => context.close(),
  };
}
