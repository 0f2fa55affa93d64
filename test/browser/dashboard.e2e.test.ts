// The dashboard end to end, in a real Chromium (headless, playwright-core) against `wrangler dev`
// with real loopback upstreams (stack.ts). One wrangler dev and one browser for the file, a fresh
// browser context per test; the tests run in order and the ones that change the config say so.
// Every page is guarded (browser.ts): a console error or a request to a non-loopback host fails it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { guardedPage, haveChromium, launch, warnIfNoChromium, type Guarded } from "./browser.ts";
import { request, routerOf, startStack, upstreamOf, type Stack } from "./stack.ts";

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
});
