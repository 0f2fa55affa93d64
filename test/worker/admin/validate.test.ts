// POST <base>/config/validate: the body checked as PUT /config checks it (the config store's own
// admission: schema, references, compile dry run, size), and nothing stored or published.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { adminFetch, BASE, putConfig } from "../helpers/admin.ts";

const valid = {
  http: {
    routers: { r: { rule: "Host(`v.example`)", service: "s", tls: {} } },
    services: { s: { loadBalancer: { servers: [{ url: "http://127.0.0.1:9" }] } } },
  },
};

async function validate(body: string, type = "application/json"): Promise<Response> {
  return adminFetch("/config/validate", { method: "POST", headers: { "content-type": type }, body });
}

async function newest(): Promise<number | null> {
  const list = (await (await adminFetch("/config/history?limit=1")).json()) as { version: number }[];
  return list[0]?.version ?? null;
}

describe("POST /config/validate", () => {
  it("answers a valid config with its warnings, router count and hash, and stores nothing", async () => {
    const put = await putConfig({ http: { routers: { keep: { rule: "Path(`/keep`)", service: "s" } }, services: valid.http.services } });
    expect(put.status).toBe(200);
    const before = await newest();
    const res = await validate(JSON.stringify(valid));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { valid: boolean; errors: unknown[]; warnings: { path: string }[]; routers: number; sha256: string; wouldWipe: string | null };
    expect(body).toMatchObject({ valid: true, errors: [], routers: 1, wouldWipe: null });
    expect(body.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(body.warnings.map((w) => w.path)).toContain("http.routers.r.tls");
    expect(await newest()).toBe(before);
  });

  it("answers an invalid config (YAML) with every error's JSON path, as PUT would refuse it", async () => {
    const yaml = "http:\n  routers:\n    bad:\n      rule: \"Host(`x`\"\n      service: nowhere\n";
    const res = await validate(yaml, "application/yaml");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { valid: boolean; errors: { path: string; message: string }[] };
    expect(body.valid).toBe(false);
    expect(body.errors.map((e) => e.path)).toEqual(expect.arrayContaining(["http.routers.bad.rule"]));
    const put = await adminFetch("/config", { method: "PUT", headers: { "content-type": "application/yaml" }, body: yaml });
    expect(put.status).toBe(400);
    expect(((await put.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(body.errors.map((e) => e.path));
  });

  it("says when a PUT of it would be refused for removing every router", async () => {
    expect((await putConfig(valid)).status).toBe(200);
    const body = (await (await validate("{}")).json()) as { valid: boolean; wouldWipe: string | null };
    expect(body.valid).toBe(true);
    expect(body.wouldWipe).toMatch(/no routers/);
  });

  it("a body that is not YAML/TOML/JSON is 400; no token is 401", async () => {
    const bad = await validate("{not json");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors?: unknown[] }).errors).toBeDefined();
    const anon = await SELF.fetch(`${BASE}/config/validate`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(anon.status).toBe(401);
  });
});
