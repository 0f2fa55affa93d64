// The canary and preview endpoints over the admin API (worker/admin/canary-routes.ts): a canary
// push through PUT <base>/config?canary=…, its status, writes refused while it runs, abort; the
// query's checks; and POST <base>/preview (the secret stays in the Worker).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { canaryQuery, mintPreview } from "../../../worker/admin/canary-routes.ts";
import { store } from "../../../worker/admin/config-routes.ts";
import { verifyPreviewToken } from "../../../worker/dynamic/preview-token.ts";
import type { WorkerEnv } from "../../../worker/index.ts";
import { adminFetch, putConfig } from "../helpers/admin.ts";

const testEnv = env as WorkerEnv;
const config = (n: number) => ({ http: { routers: { web: { rule: "PathPrefix(`/web`)", service: "web" } }, services: { web: { loadBalancer: { servers: [{ url: `https://b${n}.example.com` }] } } } } });

describe("canary endpoints", () => {
  it("PUT ?canary= starts one, GET /config/canary shows it, PUT is 409 meanwhile, abort ends it", async () => {
    expect((await putConfig(config(1))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_100));
    const pushed = await adminFetch("/config?canary=5%25&promoteAfter=2m&maxErrorRatio=0.05&minRequests=50&steps=20,100&stickyHeader=X-User", {
      method: "PUT", headers: { "content-type": "application/json", "x-switchyard-author": "ann" }, body: JSON.stringify(config(2)),
    });
    expect(pushed.status).toBe(200);
    const body = (await pushed.json()) as { version: number; canary: Record<string, unknown> };
    expect(body).toMatchObject({ author: "admin", authorNote: "ann", canary: { running: true, candidate: body.version, share: 5, nextSteps: [20, 100], header: "x-user", policy: { promoteAfterMs: 120_000, maxErrorRatio: 0.05, maxP99Ratio: 1.5, minRequests: 50, steps: [20, 100] } } });
    const status = (await (await adminFetch("/config/canary")).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ running: true, candidate: body.version, decision: { action: "hold" } });
    const blocked = await putConfig(config(3));
    expect(blocked.status).toBe(409);
    expect(await blocked.json()).toMatchObject({ error: `a canary of version ${body.version} is running (5% of clients): promote or abort it first` });
    const aborted = await adminFetch("/config/canary/abort", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ reason: "not today" }) });
    expect(aborted.status).toBe(200);
    expect(await aborted.json()).toMatchObject({ version: body.version + 1, rollbackOf: body.version - 1, message: `canary of version ${body.version} aborted: not today`, canary: { running: false } });
    expect((await adminFetch("/config/canary/promote", { method: "POST" })).status).toBe(409);
  });

  it("checks the query: a percent, durations, numbers, a header name; policy flags need canary", () => {
    const q = (s: string) => canaryQuery(new URL(`http://a.test/config?${s}`));
    expect(q("")).toEqual({ ok: true, value: null });
    expect(q("canary=2.5")).toEqual({ ok: true, value: { share: 2.5 } });
    expect(q("canary=5&promoteAfter=90")).toEqual({ ok: true, value: { share: 5, promoteAfterMs: 90_000 } });
    expect(q("minRequests=5")).toEqual({ ok: false, error: "minRequests needs canary=<percent>" });
    expect(q("canary=5&promoteAfter=soon")).toMatchObject({ ok: false });
    expect(q("canary=5&stickyHeader=a%20b")).toMatchObject({ ok: false });
    // Numbers that are not numbers reach the store's policy check as NaN (400 at the field).
    expect(q("canary=x")).toEqual({ ok: true, value: { share: NaN } });
  });

  it("a bad policy is 400 with its field", async () => {
    const res = await adminFetch("/config?canary=0", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(config(9)) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ path: "canary" }] });
  });
});

describe("POST <base>/preview", () => {
  const post = (body: unknown, secret: string | undefined) =>
    mintPreview(new Request("https://router.example/__switchyard/preview", { method: "POST", body: JSON.stringify(body) }), { ...testEnv, PREVIEW_SECRET: secret }, store);

  it("mints a token for a retained version, with a ready curl line", async () => {
    expect((await putConfig(config(1))).status).toBe(200);
    const version = (await (await adminFetch("/config/history?limit=1")).json() as { version: number }[])[0]!.version;
    const res = await post({ version, ttl: "10m" }, "shh");
    expect(res.status).toBe(200);
    const minted = (await res.json()) as { token: string; curl: string; expiresAt: string; header: string };
    expect(await verifyPreviewToken("shh", minted.token, Date.now())).toBe(version);
    expect(minted.curl).toBe(`curl -H 'X-Switchyard-Preview: ${minted.token}' https://router.example/`);
    expect(Date.parse(minted.expiresAt) - Date.now()).toBeGreaterThan(590_000);
    expect(Date.parse(minted.expiresAt) - Date.now()).toBeLessThanOrEqual(600_000);
  });

  it("403 without PREVIEW_SECRET, 404 for a version not retained, 400 for a bad ttl or version", async () => {
    expect((await post({ version: 1 }, undefined)).status).toBe(403);
    expect((await post({ version: 999_999 }, "shh")).status).toBe(404);
    expect((await post({ version: 1, ttl: "25h" }, "shh")).status).toBe(400);
    expect((await post({ version: "1" }, "shh")).status).toBe(400);
    // Through the API: this test Worker has no PREVIEW_SECRET.
    expect((await adminFetch("/preview", { method: "POST", body: JSON.stringify({ version: 1 }) })).status).toBe(403);
  });
});
