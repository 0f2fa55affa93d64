import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker, { type WorkerEnv } from "../../../worker/index.ts";
import { BASE, TOKEN } from "../helpers/admin.ts";

describe("admin API authentication", () => {
  const refused: [string, RequestInit][] = [
    ["no Authorization header", {}],
    ["a wrong token of the same length", { headers: { authorization: `Bearer ${"x".repeat(TOKEN.length)}` } }],
    ["a shorter token", { headers: { authorization: "Bearer t" } }],
    ["a token with the right prefix", { headers: { authorization: `Bearer ${TOKEN}x` } }],
    ["Basic instead of Bearer", { headers: { authorization: `Basic ${btoa(`admin:${TOKEN}`)}` } }],
    ["an empty bearer", { headers: { authorization: "Bearer " } }],
  ];
  for (const [what, init] of refused) {
    it(`refuses ${what} with 401`, async () => {
      const res = await SELF.fetch(`${BASE}/config/history`, init);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
      expect(((await res.json()) as { error: string }).error).toMatch(/bearer token/);
    });
  }

  it("refuses the token in the query string", async () => {
    for (const q of [`token=${TOKEN}`, `access_token=${TOKEN}`, `authorization=Bearer%20${TOKEN}`]) {
      expect((await SELF.fetch(`${BASE}/status?${q}`)).status).toBe(401);
    }
  });

  it("guards writes and the Traefik API alike", async () => {
    expect((await SELF.fetch(`${BASE}/config`, { method: "PUT", body: "{}" })).status).toBe(401);
    expect((await SELF.fetch(`${BASE}/api/http/routers`)).status).toBe(401);
    expect((await SELF.fetch(`${BASE}/api/overview`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it("with no ADMIN_TOKEN configured the admin API is off and says so", async () => {
    const noToken = { ...(env as WorkerEnv), ADMIN_TOKEN: undefined };
    const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
    const res = await worker.fetch(new Request(`${BASE}/config`, { method: "PUT", headers: { authorization: "Bearer " } }), noToken, ctx);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/disabled: no ADMIN_TOKEN/);
  });

  it("answers 404 for unknown admin paths once authenticated", async () => {
    const res = await SELF.fetch(`${BASE}/nope`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(404);
  });
});
