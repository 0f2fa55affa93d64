// HEAD on every GET route of the admin API answers as GET does, without the body. The routes are
// read from the admin router itself, so a GET route added later is covered (or this test fails
// until it says which path to try for a wildcard).
import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { build, DEFAULT_BASE } from "../../../worker/admin/index.ts";
import { adminFetch, publish } from "../helpers/admin.ts";

const upstream = inject("whoamiUrl");

/** Paths to try under a wildcard GET route (the route as written, without the base). */
const WILDCARD_SAMPLES: Record<string, string[]> = {
  "/api/*": ["/api/version", "/api/overview", "/api/rawdata", "/api/http/routers", "/api/http/routers/head", "/api/http/services/head",
    "/api/http/middlewares", "/api/http/routers/missing", "/api/nope", "/api/http/routers/%E0%A4%A"],
};

/** Query strings worth trying on some routes, beside none. */
const QUERIES: Record<string, string[]> = {
  "/config": ["?version=1", "?version=x"],
  "/config/history": ["?limit=2"],
  "/config/diff": ["?from=1&to=1"],
};

function getPaths(): string[] {
  const routes = build(DEFAULT_BASE).routes as unknown as [string, RegExp, unknown, string][];
  const gets = routes.filter(([method]) => method === "GET").map(([, , , path]) => path.slice(DEFAULT_BASE.length));
  expect(gets.length).toBeGreaterThan(3);
  return gets.flatMap((route) => {
    if (route.includes("*") || route.includes(":")) {
      const samples = WILDCARD_SAMPLES[route];
      if (!samples) throw new Error(`GET route ${route} has no sample paths in WILDCARD_SAMPLES`);
      return samples;
    }
    return [route, ...(QUERIES[route] ?? []).map((q) => route + q)];
  });
}

beforeAll(async () => {
  await publish({
    http: {
      routers: { head: { rule: "Host(`head.test`)", service: "head" }, api: { rule: "Host(`api.head.test`)", service: "api@internal" } },
      services: { head: { loadBalancer: { servers: [{ url: upstream }] } } },
    },
  });
});

const COMPARED = ["content-type", "etag", "cache-control", "x-switchyard-version", "x-next-page", "www-authenticate"];

function headersOf(res: Response): Record<string, string | null> {
  return Object.fromEntries(COMPARED.map((h) => [h, res.headers.get(h)]));
}

describe("HEAD on the admin API", () => {
  it("every GET route answers HEAD with GET's status and headers and no body", async () => {
    const paths = getPaths();
    for (const path of paths) {
      const get = await adminFetch(path);
      const body = await get.arrayBuffer();
      const head = await adminFetch(path, { method: "HEAD" });
      expect({ path, status: head.status }).toEqual({ path, status: get.status });
      expect(headersOf(head)).toEqual(headersOf(get));
      expect(head.headers.get("content-length")).toBe(String(body.byteLength));
      expect((await head.arrayBuffer()).byteLength).toBe(0);
    }
    // The route table has both kinds: answers that exist and answers that do not.
    expect(paths).toContain("/status");
  });

  it("HEAD without the token is refused as GET is", async () => {
    const get = await SELF.fetch(`http://router.test${DEFAULT_BASE}/status`);
    const head = await SELF.fetch(`http://router.test${DEFAULT_BASE}/status`, { method: "HEAD" });
    expect(head.status).toBe(401);
    expect(head.status).toBe(get.status);
    expect(head.headers.get("www-authenticate")).toBe(get.headers.get("www-authenticate"));
  });

  it("HEAD on a path that is not a GET route stays 404 (as GET)", async () => {
    expect((await adminFetch("/config/rollback", { method: "HEAD" })).status).toBe(404);
    expect((await adminFetch("/explain", { method: "HEAD" })).status).toBe(404);
  });

  it("api@internal answers HEAD like GET, without the body", async () => {
    for (const path of ["/api/overview", "/api/http/routers/head", "/api/http/routers/missing"]) {
      const get = await SELF.fetch(`http://api.head.test${path}`);
      const body = await get.arrayBuffer();
      const head = await SELF.fetch(`http://api.head.test${path}`, { method: "HEAD" });
      expect(head.status).toBe(get.status);
      expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
      expect(head.headers.get("content-length")).toBe(String(body.byteLength));
      expect((await head.arrayBuffer()).byteLength).toBe(0);
    }
  });
});
