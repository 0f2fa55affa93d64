// POST <base>/plan: the field-level diff of a candidate against the config store's newest version,
// and which of the given requests would be routed elsewhere; nothing stored.
import { describe, expect, inject, it } from "vitest";
import { adminFetch, putConfig } from "../helpers/admin.ts";

const upstream = inject("whoamiUrl");
const services = { app: { loadBalancer: { servers: [{ url: upstream }] } } };
const LIVE = { http: { routers: { papi: { rule: "PathPrefix(`/papi`)", service: "app" }, pweb: { rule: "PathPrefix(`/p`)", service: "app" } }, services } };

const post = (body: unknown) => adminFetch("/plan", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("POST <base>/plan", () => {
  it("answers the diff and the moved requests against the newest version, storing nothing", async () => {
    const live = (await (await putConfig(LIVE)).json()) as { version: number };
    const candidate = { http: { routers: { papi: { rule: "PathPrefix(`/papi`)", service: "app" }, pv2: { rule: "PathPrefix(`/papi/v2`)", service: "app" } }, services } };
    const requests = [{ url: "https://a.test/papi/v2/x" }, { method: "POST", url: "https://a.test/papi/v1" }, { url: "https://a.test/p/home" }];
    const res = await post({ config: candidate, requests });
    expect(res.status).toBe(200);
    const plan = (await res.json()) as { live: number; changes: boolean; requests: number; moved: object[]; diff: { routers: { added: string[]; removed: string[] } } };
    expect(plan).toMatchObject({ live: live.version, changes: true, requests: 3 });
    expect(plan.diff.routers).toMatchObject({ added: ["pv2"], removed: ["pweb"] });
    expect(plan.moved).toEqual([
      { index: 0, method: "GET", url: "https://a.test/papi/v2/x", from: "papi", to: "pv2" },
      { index: 2, method: "GET", url: "https://a.test/p/home", from: "pweb", to: null },
    ]);
    const same = (await (await post({ config: LIVE, requests })).json()) as { changes: boolean; moved: object[] };
    expect(same).toMatchObject({ changes: false, moved: [] });
    const history = (await (await adminFetch("/config/history?limit=1")).json()) as { version: number }[];
    expect(history[0]!.version).toBe(live.version);
  });

  it("400 for an invalid candidate (with paths), a bad request list or a body without config", async () => {
    const bad = await post({ config: { http: { routers: { r: { rule: "Path(`/r`)", service: "none" } } } } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain("http.routers.r.service");
    expect((await post({ config: LIVE, requests: [{ url: "not a url" }] })).status).toBe(400);
    expect((await post({ config: LIVE, requests: "all" })).status).toBe(400);
    expect((await post({ requests: [] })).status).toBe(400);
  });
});
