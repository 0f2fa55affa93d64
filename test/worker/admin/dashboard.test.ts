// The dashboard's files at <base>/dashboard/: served from the assets binding without a token, with
// strict security headers; nothing else there; and the Worker never hands them out on the data
// plane (only the admin API reads the assets). SELF reaches the Worker directly, not through the
// assets router in front of it: that run_worker_first keeps the router in charge of /app.js is
// tested under wrangler dev (test/node/dashboard.e2e.test.ts).
import { env, SELF } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { assetPath, dashboard, SECURITY_HEADERS } from "../../../worker/admin/dashboard.ts";
import type { WorkerEnv } from "../../../worker/index.ts";
import { BASE, putConfig, untilServing } from "../helpers/admin.ts";

const upstream = inject("whoamiUrl");
const DASH = `${BASE}/dashboard`;

describe("dashboard serving", () => {
  it("the assets binding is there (wrangler.toml [assets], seen by the test pool)", () => {
    expect((env as WorkerEnv).ASSETS).toBeDefined();
  });

  it("serves the page at <base>/dashboard/ without a token, with the security headers", async () => {
    const res = await SELF.fetch(`${DASH}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<script type="module" src="app.js">');
    expect(html).toContain('href="app.css"');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name), name).toBe(value);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("serves the script and the style, with their types, and index.html by name", async () => {
    const js = await SELF.fetch(`${DASH}/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    expect((await js.text()).length).toBeGreaterThan(1000);
    const css = await SELF.fetch(`${DASH}/app.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    expect(await css.text()).toContain(".uplot");
    expect(css.headers.get("content-security-policy")).toContain("default-src 'self'");
    const index = await SELF.fetch(`${DASH}/index.html`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain("<title>Switchyard dashboard</title>");
  });

  it("redirects <base>/dashboard to the folder (the page's relative links need the slash)", async () => {
    const res = await SELF.fetch(DASH, { redirect: "manual" });
    expect(res.status).toBe(308);
    expect(res.headers.get("location")).toBe("/__switchyard/dashboard/");
  });

  it("answers HEAD like GET without a body, and refuses other methods", async () => {
    const head = await SELF.fetch(`${DASH}/app.js`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const post = await SELF.fetch(`${DASH}/`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("answers 404 for files it does not have, nested paths and dot files", async () => {
    for (const path of ["/nope.js", "/src/main.ts", "/..%2Fwrangler.toml", "/.env", "/a/b", "/app.js/"]) {
      const res = await SELF.fetch(`${DASH}${path}`);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: string }).error, path).toMatch(/no dashboard file/);
      expect(res.headers.get("content-security-policy"), path).toContain("default-src 'self'");
    }
  });

  it("revalidates with the ETag (304) instead of caching blindly", async () => {
    const first = await SELF.fetch(`${DASH}/app.css`);
    await first.arrayBuffer();
    expect(first.headers.get("cache-control")).toBe("no-cache");
    const etag = first.headers.get("etag");
    expect(etag).toBeTruthy();
    const again = await SELF.fetch(`${DASH}/app.css`, { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
  });

  it("keeps every other admin path token-guarded, paths that merely start like the dashboard too", async () => {
    for (const path of ["/config", "/api/overview", "/dashboards", "/dashboard.js", "/whoami"]) {
      expect((await SELF.fetch(`${BASE}${path}`)).status, path).toBe(401);
    }
  });
});

describe("dashboard paths under any admin base", () => {
  it("map <base>/dashboard/<file> to the asset /<file>, the folder to /index.html, nothing else", () => {
    expect(assetPath("/ops/dashboard/", "/ops")).toBe("/index.html");
    expect(assetPath("/ops/dashboard/app.js", "/ops")).toBe("/app.js");
    for (const bad of ["/ops/dashboard/a/b", "/ops/dashboard/.hidden", "/ops/dashboard/%2e%2e", "/ops/dashboard/app.js/"]) expect(assetPath(bad, "/ops"), bad).toBeNull();
  });

  it("serves the page for another base", async () => {
    const res = await dashboard(new Request("http://router.test/ops/admin/dashboard/"), env as WorkerEnv, "/ops/admin");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<title>Switchyard dashboard</title>");
    const moved = await dashboard(new Request("http://router.test/ops/admin/dashboard?x=1"), env as WorkerEnv, "/ops/admin");
    expect(moved.headers.get("location")).toBe("/ops/admin/dashboard/?x=1");
  });

  it("says so when there is no assets binding", async () => {
    const res = await dashboard(new Request("http://router.test/__switchyard/dashboard/"), {}, "/__switchyard");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toMatch(/no ASSETS binding/);
  });
});

describe("the data plane never serves the dashboard's files", () => {
  it("routes /index.html and /app.js by the config, and misses /app.css as any unrouted path", async () => {
    const put = await putConfig({
      http: {
        routers: { files: { rule: "Path(`/index.html`) || Path(`/app.js`) || Path(`/__probe`)", service: "echo" } },
        services: { echo: { loadBalancer: { servers: [{ url: upstream }] } } },
      },
    });
    expect(put.status).toBe(200);
    const { version } = (await put.json()) as { version: number };
    await untilServing(version);
    for (const path of ["/index.html", "/app.js"]) {
      const res = await SELF.fetch(`http://router.test${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("x-switchyard-router"), path).toMatch(/^files/);
      const echo = (await res.json()) as { url: string };
      expect(echo.url, path).toBe(path);
      expect(res.headers.get("content-security-policy"), path).toBeNull();
    }
    const miss = await SELF.fetch("http://router.test/app.css");
    expect(miss.status).toBe(404);
    expect(await miss.text()).toBe("404 page not found\n");
    const root = await SELF.fetch("http://router.test/");
    expect(root.status).toBe(404);
    expect(await root.text()).not.toContain("<html");
  });
});
