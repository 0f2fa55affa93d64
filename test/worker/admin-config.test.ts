import { SELF } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { adminFetch, putConfig, untilServing } from "./helpers/admin.ts";

const upstream = inject("whoamiUrl");

function config(tag: string) {
  return {
    http: {
      routers: { [`r-${tag}`]: { rule: "PathPrefix(`/__probe`) || PathPrefix(`/app`)", service: "app" } },
      services: { app: { loadBalancer: { servers: [{ url: `${upstream}/${tag}`, preservePath: true }] } } },
    },
  };
}

async function newest(): Promise<number> {
  const res = await adminFetch("/config/history?limit=1");
  const list = (await res.json()) as { version: number }[];
  return list[0]?.version ?? 0;
}

describe("PUT /config", () => {
  it("takes JSON, answers the new version with an ETag, and the router serves it", async () => {
    const res = await putConfig(config("json"), { "x-switchyard-author": "alice", "x-switchyard-message": "first" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { version: number; sha256: string; author: string; message: string };
    expect(res.headers.get("etag")).toBe(`"${body.version}"`);
    expect(body).toMatchObject({ author: "alice", message: "first" });
    expect(body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const served = await untilServing(body.version);
    await served.arrayBuffer();
    const app = await SELF.fetch("http://router.test/app/x");
    expect(((await app.json()) as { url: string }).url).toBe("/json/app/x");
  });

  it("takes YAML and TOML by content type", async () => {
    const yaml = `http:\n  routers:\n    y:\n      rule: "Path(\`/y\`)"\n      service: s\n  services:\n    s:\n      loadBalancer:\n        servers:\n          - url: "${upstream}"\n`;
    expect((await putConfig(yaml, { "content-type": "application/yaml" })).status).toBe(200);
    const toml = `[http.routers.t]\nrule = "Path(\`/t\`)"\nservice = "s"\n[http.services.s.loadBalancer]\nservers = [{ url = "${upstream}" }]\n`;
    const res = await putConfig(toml, { "content-type": "application/toml" });
    expect(res.status).toBe(200);
    const current = await adminFetch("/config");
    expect(current.headers.get("etag")).toBe(res.headers.get("etag"));
    expect(await current.json()).toMatchObject({ http: { routers: { t: { rule: "Path(`/t`)" } } } });
  });

  it("refuses an invalid config with 400 and every error's path; nothing changes", async () => {
    const before = await newest();
    const res = await putConfig({ http: { routers: { a: { rule: "Host(`x`", service: "missing" } }, services: {} } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(body.errors.map((e) => e.path)).toEqual(expect.arrayContaining(["http.routers.a.rule"]));
    expect(await newest()).toBe(before);
  });

  it("refuses unparsable, unsupported and oversized bodies", async () => {
    const bad = await putConfig("http: [unclosed", { "content-type": "application/yaml" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/line 1/);
    expect((await putConfig("x", { "content-type": "image/png" })).status).toBe(415);
    const huge = "#".repeat(6 * 1024 * 1024);
    expect((await putConfig(huge, { "content-type": "application/yaml" })).status).toBe(413);
  });

  it("compare-and-set: a stale If-Match gets 412 and changes nothing; a malformed one 400", async () => {
    const current = await newest();
    const ok = await putConfig(config("cas"), { "if-match": `"${current}"` });
    expect(ok.status).toBe(200);
    const stale = await putConfig(config("cas2"), { "if-match": `"${current}"` });
    expect(stale.status).toBe(412);
    expect(((await stale.json()) as { current: number }).current).toBe(current + 1);
    expect(await newest()).toBe(current + 1);
    expect((await putConfig(config("x"), { "if-match": "yesterday" })).status).toBe(400);
  });

  it("50 concurrent writes with the same If-Match: exactly one wins, 49 get 412", async () => {
    const base = await newest();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => putConfig(config(`c${i}`), { "if-match": `"${base}"` }).then((r) => r.status)),
    );
    expect(results.filter((s) => s === 200)).toHaveLength(1);
    expect(results.filter((s) => s === 412)).toHaveLength(49);
    expect(await newest()).toBe(base + 1);
  });

  it("50 concurrent writes without If-Match: 50 versions, none lost, history complete", async () => {
    const base = await newest();
    const versions = await Promise.all(
      Array.from({ length: 50 }, (_, i) => putConfig(config(`n${i}`)).then(async (r) => ((await r.json()) as { version: number }).version)),
    );
    expect(new Set(versions).size).toBe(50);
    expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => base + 1 + i));
    const history = (await (await adminFetch("/config/history?limit=50")).json()) as { version: number }[];
    expect(history.map((h) => h.version)).toEqual(Array.from({ length: 50 }, (_, i) => base + 50 - i));
  });
});

describe("history, rollback, diff", () => {
  it("rolls back to an old version as a new version and diffs versions", async () => {
    const a = (await (await putConfig(config("old"))).json()) as { version: number };
    const next = config("new");
    (next.http.routers as Record<string, unknown>)["extra"] = { rule: "Path(`/extra`)", service: "app" };
    const b = (await (await putConfig(next)).json()) as { version: number };

    const diff = (await (await adminFetch(`/config/diff?from=${a.version}&to=${b.version}`)).json()) as Record<string, { added: string[]; removed: string[]; changed: string[] }>;
    expect(diff.routers).toEqual({ added: ["extra", "r-new"], removed: ["r-old"], changed: [] });
    expect(diff.services).toEqual({ added: [], removed: [], changed: ["app"] });

    const rb = await adminFetch("/config/rollback", { method: "POST", body: JSON.stringify({ version: a.version }) });
    expect(rb.status).toBe(200);
    const rolled = (await rb.json()) as { version: number; rollbackOf: number };
    expect(rolled).toMatchObject({ version: b.version + 1, rollbackOf: a.version });
    const now = await adminFetch("/config");
    expect(await now.json()).toMatchObject({ http: { routers: { "r-old": {} } } });

    expect((await adminFetch("/config/rollback", { method: "POST", body: JSON.stringify({ version: 999_999 }) })).status).toBe(404);
    expect((await adminFetch("/config/rollback", { method: "POST", body: "{" })).status).toBe(400);
    expect((await adminFetch("/config/diff?from=1")).status).toBe(400);
    expect((await adminFetch(`/config/diff?from=${a.version}&to=999999`)).status).toBe(404);
  });
});

describe("per-isolate status and explain", () => {
  it("GET /status names the version this isolate serves and when it last polled", async () => {
    const { version } = (await (await putConfig(config("status"))).json()) as { version: number };
    await (await untilServing(version)).arrayBuffer();
    const status = (await (await adminFetch("/status")).json()) as { serving: { version: number }; lastPollAt: number; isolate: string; source: string };
    expect(status.serving.version).toBe(version);
    expect(status.source).toBe("kv+file");
    expect(status.lastPollAt).toBeGreaterThan(0);
    expect(status.isolate).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("POST /explain says which router a described request hits", async () => {
    const { version } = (await (await putConfig(config("explain"))).json()) as { version: number };
    await (await untilServing(version)).arrayBuffer();
    const hit = await adminFetch("/explain", { method: "POST", body: JSON.stringify({ method: "GET", url: "https://x.test/app/1" }) });
    expect(await hit.json()).toMatchObject({ router: "r-explain", version });
    const many = await adminFetch("/explain", { method: "POST", body: JSON.stringify([{ url: "https://x.test/app" }, { url: "https://x.test/nope" }]) });
    expect(((await many.json()) as { results: { router: string | null }[] }).results.map((r) => r.router)).toEqual(["r-explain", null]);
    expect((await adminFetch("/explain", { method: "POST", body: JSON.stringify({ url: "not a url" }) })).status).toBe(400);
  });
});
