// The dashboard under `wrangler dev`, where the assets router really sits in front of the Worker:
// wrangler builds the dashboard first ([build]), the page and its files load at <base>/dashboard/
// without a token, and the data plane never serves them under their own names (run_worker_first:
// /app.js is the router's to route, here to a 404 since no router matches).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWranglerDev, type Running } from "./helpers/processes.ts";

let dev: Running | null = null;

beforeAll(async () => {
  dev = await startWranglerDev({ vars: { ADMIN_TOKEN: "dashboard-e2e-token" }, readyPath: "/__switchyard/dashboard/" });
}, 120_000);

afterAll(async () => {
  await dev?.stop();
});

describe("the dashboard under wrangler dev", () => {
  it("is built by wrangler's [build] step before serving", () => {
    expect(dev!.output()).toMatch(/built dashboard\/dist/);
  });

  it("loads the page and its files without a token, with the CSP", async () => {
    const page = await fetch(`${dev!.url}/__switchyard/dashboard/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(await page.text()).toContain('src="app.js"');
    const js = await fetch(`${dev!.url}/__switchyard/dashboard/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    await js.arrayBuffer();
  });

  it("never serves the files on the data plane under their own names", async () => {
    const asset = await (await fetch(`${dev!.url}/__switchyard/dashboard/app.js`)).text();
    for (const path of ["/app.js", "/app.css", "/index.html", "/"]) {
      const res = await fetch(`${dev!.url}${path}`);
      const body = await res.text();
      expect(res.status, path).not.toBe(200);
      expect(res.headers.get("content-type") ?? "", path).not.toMatch(/javascript|css|html/);
      expect(body, path).not.toBe(asset);
      expect(body, path).not.toContain("Switchyard dashboard");
    }
  });

  it("keeps the admin API behind the token", async () => {
    expect((await fetch(`${dev!.url}/__switchyard/config`)).status).toBe(401);
    const ok = await fetch(`${dev!.url}/__switchyard/api/overview`, { headers: { authorization: "Bearer dashboard-e2e-token" } });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
  });
});
