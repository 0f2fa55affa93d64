// Driving the dashboard the way a person does, by the `data-testid`s dashboard/README.md lists:
// sign in, open a page, read what it shows. Shared by the browser tests and `npm run screenshots`.
// playwright-core has no `expect`: waits are locator waits or bounded polls, never open-ended.
import type { Locator, Page } from "playwright-core";
import { ADMIN_TOKEN, type Stack } from "./stack.ts";

/** The token's key in sessionStorage (dashboard/src/session.ts). */
export const TOKEN_KEY = "switchyard.token";

export type View = "overview" | "traffic" | "fleet" | "config" | "editor" | "explain";

/** Opens the dashboard, signs in through the form and waits until the first page is shown. */
export async function signIn(page: Page, stack: Pick<Stack, "dashboard">, token = ADMIN_TOKEN): Promise<void> {
  await page.goto(stack.dashboard);
  await page.getByTestId("signin-token").fill(token);
  await page.getByTestId("signin-submit").click();
  await signedIn(page);
}

export async function signedIn(page: Page): Promise<void> {
  await page.getByTestId("whoami").filter({ hasText: /signed in as/ }).waitFor();
}

/** Goes to a page with the navigation bar, as a click would. */
export async function nav(page: Page, view: View): Promise<void> {
  await page.getByTestId(`nav-${view}`).click();
  await page.waitForFunction(`location.hash === "#/${view}"`, undefined, { timeout: 5_000 });
}

/** Opens an item's own page (#/routers/<name> …). */
export async function openItem(page: Page, stack: Pick<Stack, "dashboard">, kind: "routers" | "services" | "middlewares", name: string): Promise<void> {
  await page.goto(`${stack.dashboard}#/${kind}/${encodeURIComponent(name)}`);
  await page.getByTestId("item-name").filter({ hasText: name }).waitFor();
}

/** The texts of every element matching, now (no wait: for polls). */
export async function texts(locator: Locator): Promise<string[]> {
  return locator.allInnerTexts();
}

/** Polls `read` until `ok` holds, at most timeoutMs; answers the last value read. */
export async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Replaces the editor's text: filled at once, then the last character typed, so the page sees real key input. */
export async function typeConfig(page: Page, text: string): Promise<void> {
  const editor = page.getByTestId("editor-text");
  await editor.fill(text.slice(0, -1));
  await editor.press("ControlOrMeta+End");
  await editor.pressSequentially(text.slice(-1));
}

/** Does the page scroll sideways (content wider than the viewport)? */
export async function overflowsSideways(page: Page): Promise<{ scrollWidth: number; viewport: number }> {
  // A string: this file is typed for Node, without the DOM's types.
  return page.evaluate<{ scrollWidth: number; viewport: number }>("({ scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth })");
}
