import { env, SELF } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { VERSION_KEY } from "../../../providers/kv.ts";
import type { Env } from "../../../worker/env.ts";
import { adminFetch, putConfig, untilServing } from "../helpers/admin.ts";

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
    // The author is the token's name; what the writer says of itself is a note (issue 18).
    expect(body).toMatchObject({ author: "admin", authorNote: "alice", message: "first" });
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

    type Section = { added: string[]; removed: string[]; changed: string[]; fields: Record<string, object[]> };
    const diff = (await (await adminFetch(`/config/diff?from=${a.version}&to=${b.version}`)).json()) as Record<string, Section>;
    expect(diff.routers).toMatchObject({ added: ["extra", "r-new"], removed: ["r-old"], changed: [] });
    expect(diff.services).toMatchObject({ added: [], removed: [], changed: ["app"] });
    // Field by field (issue 18): the one leaf that changed, and whole entries added or removed.
    expect(diff.services!.fields).toEqual({
      app: [{ path: "http.services.app.loadBalancer.servers[0].url", op: "changed", from: `${upstream}/old`, to: `${upstream}/new` }],
    });
    expect(Object.keys(diff.routers!.fields).sort()).toEqual(["extra", "r-new", "r-old"]);
    expect(diff.routers!.fields["extra"]).toEqual([{ path: "http.routers.extra", op: "added", to: { rule: "Path(`/extra`)", service: "app" } }]);
    expect(diff.routers!.fields["r-old"]).toEqual([{ path: "http.routers.r-old", op: "removed", from: expect.objectContaining({ service: "app" }) }]);

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

describe("versions are bounded to safe integers in every parameter", () => {
  it("400 with the range for an If-Match, ?version, rollback version or diff bound past 2^53 - 1", async () => {
    for (const ifMatch of ['"9007199254740992"', '"99999999999999999999"']) {
      const res = await putConfig(config("big"), { "if-match": ifMatch });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain("9007199254740991");
    }
    const get = await adminFetch("/config?version=9007199254740992");
    expect(get.status).toBe(400);
    expect(((await get.json()) as { error: string }).error).toMatch(/version must be a whole number from 1 to 9007199254740991/);
    expect((await adminFetch("/config?version=1.5")).status).toBe(400);
    for (const version of [2 ** 53, 1.5, 0, -1, "3", null]) {
      const rb = await adminFetch("/config/rollback", { method: "POST", body: JSON.stringify({ version }) });
      expect(rb.status, JSON.stringify(version)).toBe(400);
      expect(((await rb.json()) as { error: string }).error).toMatch(/version must be a whole number/);
    }
    expect((await adminFetch("/config/diff?from=1&to=9007199254740992")).status).toBe(400);
    expect((await adminFetch("/config/history?limit=9007199254740992")).status).toBe(400);
  });

  it("a version key of 9007199254740991 written to KV by hand: later writes and rollbacks still answer 200", async () => {
    const first = await putConfig(config("before-wedge"));
    const base = ((await first.json()) as { version: number }).version;
    await (env as Env).CONFIG_KV.put(VERSION_KEY, JSON.stringify({ version: Number.MAX_SAFE_INTEGER, key: "config/v/hand", sha256: "0".repeat(64) }));
    const second = await putConfig(config("after-wedge"));
    expect(second.status).toBe(200);
    const body = (await second.json()) as { version: number; warnings: { message: string }[] };
    expect(body.version).toBe(base + 1);
    expect(body.warnings.map((w) => w.message).join(" ")).toMatch(/9007199254740991.*ignored/);
    const third = await putConfig(config("after-wedge-2"));
    expect(third.status).toBe(200);
    const rb = await adminFetch("/config/rollback", { method: "POST", body: JSON.stringify({ version: base }) });
    expect(rb.status).toBe(200);
    const rolled = (await rb.json()) as { version: number };
    expect(rolled.version).toBe(base + 3);
    await (await untilServing(rolled.version)).arrayBuffer();
  });
});

// Last in this file: it leaves the store without routers for a while.
describe("a config can never wipe the routing table by accident", () => {
  const empties: [string, string, string][] = [
    ["JSON null", "null", "application/json"],
    ["JSON {}", "{}", "application/json"],
    ['JSON {"http":null}', '{"http":null}', "application/json"],
    ["empty YAML", "", "application/yaml"],
    ["comment-only YAML", "# nothing here yet\n", "application/yaml"],
    ["empty TOML", "", "application/toml"],
  ];

  it.each(empties)("PUT %s: 409 saying how to do it on purpose; the routes keep serving", async (_name, body, type) => {
    const { version } = (await (await putConfig(config("kept"))).json()) as { version: number };
    await (await untilServing(version)).arrayBuffer();
    const res = await putConfig(body, { "content-type": type });
    expect(res.status).toBe(409);
    const answer = (await res.json()) as { error: string; current: number };
    expect(answer.current).toBe(version);
    expect(answer.error).toMatch(/no routers.*\?allowEmpty=true.*switchyard push --allow-empty/);
    expect(await newest()).toBe(version);
    const app = await SELF.fetch("http://router.test/app/x");
    expect(app.status).toBe(200);
    expect(((await app.json()) as { url: string }).url).toBe("/kept/app/x");
  });

  it("?allowEmpty=true publishes it on purpose, rollback to it needs the flag too, and a bad flag is 400", async () => {
    const { version: full } = (await (await putConfig(config("full"))).json()) as { version: number };
    expect((await adminFetch("/config?allowEmpty=maybe", { method: "PUT", body: "{}" })).status).toBe(400);
    const res = await adminFetch("/config?allowEmpty=true", { method: "PUT", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(200);
    const empty = ((await res.json()) as { version: number }).version;
    expect(empty).toBe(full + 1);
    await (await untilServing(empty, "/app/x")).arrayBuffer();
    expect((await SELF.fetch("http://router.test/app/x")).status).toBe(404);

    // Back to routers, then a rollback to the empty version is the same wipe.
    const back = await adminFetch("/config/rollback", { method: "POST", body: JSON.stringify({ version: full }) });
    expect(back.status).toBe(200);
    const refused = await adminFetch("/config/rollback", { method: "POST", body: JSON.stringify({ version: empty }) });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/allowEmpty=true/);
    const meant = await adminFetch("/config/rollback?allowEmpty=true", { method: "POST", body: JSON.stringify({ version: empty }) });
    expect(meant.status).toBe(200);
    expect(await meant.json()).toMatchObject({ rollbackOf: empty });
  });
});
