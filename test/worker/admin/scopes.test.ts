// Scoped tokens (issue 18): every kind of token against every kind of admin call (a table), stored
// tokens made, listed and revoked through the API, the history's author, and no store call for
// auth when only the Worker's own tokens are used.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker, { type WorkerEnv } from "../../../worker/index.ts";
import { identify } from "../../../worker/admin/identity.ts";
import { BASE, TOKEN } from "../helpers/admin.ts";

const READ_TOKEN = "test-read-only-token";
const METRICS_TOKEN = "test-metrics-token";
const settings = { ...(env as WorkerEnv), ADMIN_READ_TOKEN: READ_TOKEN, METRICS_TOKEN };
const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;

let nextHost = 1;
function call(path: string, token: string, init: RequestInit = {}): Promise<Response> {
  // Each call from its own address: a failure in one case cannot throttle the next.
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  headers.set("cf-connecting-ip", `203.0.113.${(nextHost++ % 250) + 1}`);
  return worker.fetch(new Request(`${BASE}${path}`, { ...init, headers }), settings, ctx);
}

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function createToken(name: string, scopes: string[]): Promise<string> {
  const res = await call("/tokens", TOKEN, json("POST", { name, scopes }));
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

/** [what, path, init, what it needs]: "manage" is the ADMIN_TOKEN alone, "any" every valid token. */
const CALLS: [string, string, RequestInit, "read" | "write" | "rollback" | "metrics" | "manage" | "any"][] = [
  ["GET /config/history", "/config/history", {}, "read"],
  ["GET /status", "/status", {}, "read"],
  ["GET /status/fleet", "/status/fleet", {}, "read"],
  ["GET /api/overview", "/api/overview", {}, "read"],
  ["HEAD /config/history", "/config/history", { method: "HEAD" }, "read"],
  ["GET /config/diff", "/config/diff?from=1&to=1", {}, "read"],
  ["POST /config/validate", "/config/validate", json("POST", { http: {} }), "read"],
  ["POST /explain", "/explain", json("POST", { url: "http://x.test/" }), "read"],
  ["POST /plan", "/plan", json("POST", { config: {}, requests: [] }), "read"],
  ["GET /metrics", "/metrics", {}, "metrics"],
  ["HEAD /metrics", "/metrics", { method: "HEAD" }, "metrics"],
  ["GET /metrics/ (a trailing slash is the same endpoint)", "/metrics/", {}, "metrics"],
  ["GET //metrics", "//metrics", {}, "metrics"],
  ["PUT /config", "/config", json("PUT", { http: { routers: { r: { rule: "Host(`x`", service: "none" } } } }), "write"],
  ["POST /config/rollback", "/config/rollback", json("POST", { version: 9_000_000 }), "rollback"],
  ["GET /config/shadow", "/config/shadow", {}, "read"],
  ["PUT /config/shadow", "/config/shadow", json("PUT", { http: { routers: { r: { rule: "Path(`/r`)", service: "none" } } } }), "write"],
  ["DELETE /config/shadow", "/config/shadow", { method: "DELETE" }, "write"],
  ["GET /tokens", "/tokens", {}, "manage"],
  ["POST /tokens", "/tokens", json("POST", { name: "" }), "manage"],
  ["DELETE /tokens/x", "/tokens/nobody", { method: "DELETE" }, "manage"],
  ["GET /whoami", "/whoami", {}, "any"],
];

describe("scoped admin tokens", () => {
  it("each token against each call: allowed, or 403 naming the missing scope", async () => {
    const stored: [string, string[], string][] = [];
    for (const scope of ["read", "write", "rollback", "metrics"]) stored.push([`only-${scope}`, [scope], await createToken(`only-${scope}`, [scope])]);
    const tokens: [string, string[], string][] = [
      ["admin", ["read", "write", "rollback", "metrics", "manage"], TOKEN],
      ["read-only", ["read", "metrics"], READ_TOKEN],
      ["metrics", ["metrics"], METRICS_TOKEN],
      ...stored,
    ];
    for (const [name, may, token] of tokens) {
      for (const [what, path, init, need] of CALLS) {
        const res = await call(path, token, init);
        const body = init.method === "HEAD" ? "" : await res.text();
        const allowed = need === "any" || may.includes(need);
        if (allowed) expect([401, 403], `${name} ${what}: ${res.status} ${body}`).not.toContain(res.status);
        else {
          expect(res.status, `${name} ${what}`).toBe(403);
          if (init.method !== "HEAD") {
            const error = (JSON.parse(body) as { error: string }).error;
            expect(error).toBe(need === "manage" ? `token '${name}' may not manage tokens: only the ADMIN_TOKEN may` : `token '${name}' lacks the '${need}' scope`);
          }
        }
      }
    }
    for (const [name] of stored) expect((await call(`/tokens/${name}`, TOKEN, { method: "DELETE" })).status).toBe(200);
  });

  it("whoami names the token and its scopes", async () => {
    const me = async (token: string) => (await (await call("/whoami", token)).json()) as { name: string; scopes: string[] };
    expect(await me(TOKEN)).toEqual({ name: "admin", scopes: ["read", "write", "rollback", "metrics"] });
    expect(await me(READ_TOKEN)).toEqual({ name: "read-only", scopes: ["read", "metrics"] });
    expect(await me(METRICS_TOKEN)).toEqual({ name: "metrics", scopes: ["metrics"] });
    const ci = await createToken("ci-whoami", ["write", "read"]);
    expect(await me(ci)).toEqual({ name: "ci-whoami", scopes: ["read", "write"] });
    await call("/tokens/ci-whoami", TOKEN, { method: "DELETE" });
  });

  it("a stored token is shown once, listed without it, and stops working when revoked", async () => {
    const res = await call("/tokens", TOKEN, json("POST", { name: "deploy", scopes: ["read"] }));
    expect(res.status).toBe(201);
    const made = (await res.json()) as { name: string; scopes: string[]; token: string; createdAt: string };
    expect(made).toMatchObject({ name: "deploy", scopes: ["read"] });
    expect(made.token).toMatch(/^syt_[A-Za-z0-9_-]{43}$/);
    expect(Number.isNaN(Date.parse(made.createdAt))).toBe(false);
    const list = (await (await call("/tokens", TOKEN)).json()) as { tokens: object[] };
    expect(list.tokens).toContainEqual({ name: "deploy", scopes: ["read"], createdAt: made.createdAt });
    expect(JSON.stringify(list)).not.toContain(made.token);
    expect((await call("/status", made.token)).status).toBe(200);
    expect((await call("/tokens/deploy", TOKEN, { method: "DELETE" })).status).toBe(200);
    const after = await call("/status", made.token);
    expect(after.status).toBe(401);
    expect((await call("/tokens/deploy", TOKEN, { method: "DELETE" })).status).toBe(404);
  });

  it("refuses a duplicate name, a reserved name and unknown scopes", async () => {
    await createToken("twice", ["read"]);
    expect((await call("/tokens", TOKEN, json("POST", { name: "twice", scopes: ["read"] }))).status).toBe(409);
    const reserved = await call("/tokens", TOKEN, json("POST", { name: "admin", scopes: ["read"] }));
    expect(reserved.status).toBe(400);
    const bad = await call("/tokens", TOKEN, json("POST", { name: "x", scopes: ["read", "root"] }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["scopes[1]"]);
    expect((await call("/tokens", TOKEN, json("POST", { name: "x", scopes: [] }))).status).toBe(400);
    await call("/tokens/twice", TOKEN, { method: "DELETE" });
  });

  it("a stored-shape token nobody made is 401, and a failure for the throttle", async () => {
    const res = await call("/status", `syt_${"A".repeat(43)}`);
    expect(res.status).toBe(401);
  });

  it("the history's author is the token's name; X-Switchyard-Author is a note beside it", async () => {
    const ci = await createToken("ci-history", ["write", "read"]);
    const config = { http: { routers: { hist: { rule: "Path(`/hist`)", service: "s" } }, services: { s: { loadBalancer: { servers: [{ url: "http://127.0.0.1:1" }] } } } } };
    const put = await call("/config", ci, { ...json("PUT", config), headers: { "content-type": "application/json", "x-switchyard-author": "alice" } });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ author: "ci-history", authorNote: "alice" });
    const history = (await (await call("/config/history?limit=1", ci)).json()) as { author: string; authorNote?: string }[];
    expect(history[0]).toMatchObject({ author: "ci-history", authorNote: "alice" });
    const plain = await call("/config", TOKEN, json("PUT", config));
    const record = (await plain.json()) as { author: string; authorNote?: string };
    expect(record.author).toBe("admin");
    expect(record.authorNote).toBeUndefined();
    await call("/tokens/ci-history", TOKEN, { method: "DELETE" });
  });

  it("the Worker's own tokens are checked without the config store", async () => {
    let storeCalls = 0;
    const noStore = {
      ADMIN_TOKEN: TOKEN,
      METRICS_TOKEN,
      get CONFIG_STORE(): never {
        storeCalls++;
        throw new Error("the config store was asked");
      },
    } as unknown as Parameters<typeof identify>[1];
    expect(await identify(TOKEN, noStore)).toMatchObject({ name: "admin" });
    expect(await identify(METRICS_TOKEN, noStore)).toMatchObject({ name: "metrics" });
    expect(await identify("wrong", noStore)).toBeNull();
    expect(storeCalls).toBe(0);
  });

  it("without ADMIN_TOKEN stored tokens are off too, and ADMIN_READ_TOKEN alone reads", async () => {
    const ci = await createToken("ci-off", ["read"]);
    const only = { ...settings, ADMIN_TOKEN: undefined };
    const get = (token: string) => worker.fetch(new Request(`${BASE}/status`, { headers: { authorization: `Bearer ${token}`, "cf-connecting-ip": "192.0.2.77" } }), only, ctx);
    expect((await get(ci)).status).toBe(401);
    expect((await get(READ_TOKEN)).status).toBe(200);
    await call("/tokens/ci-off", TOKEN, { method: "DELETE" });
  });
});
