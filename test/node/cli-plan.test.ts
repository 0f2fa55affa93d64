// `switchyard plan FILE --requests REQS.jsonl` against a stand-in for the admin API (plan reads
// GET <base>/config alone): the field-level diff, the requests routed elsewhere, and the exit
// codes a CI gate reads (0 nothing changes, 2 something does, 1 an error).
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.ts";

const TOKEN = "plan-token";
const dir = mkdtempSync(join(tmpdir(), "switchyard-plan-"));
let server: Server;
let url = "";
let live: unknown = null;
const seen: string[] = [];

const LIVE = {
  http: {
    routers: {
      api: { rule: "PathPrefix(`/api`)", service: "app" },
      web: { rule: "PathPrefix(`/`)", service: "app" },
    },
    services: { app: { loadBalancer: { servers: [{ url: "http://127.0.0.1:1" }] } } },
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
    if (req.method === "GET" && req.url === "/__switchyard/config" && live !== null) {
      res.writeHead(200, { "content-type": "application/json", "x-switchyard-version": "7" }).end(JSON.stringify(live));
    } else res.writeHead(404, { "content-type": "application/json" }).end('{"error":"no config has been published yet"}');
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.SWITCHYARD_TOKEN = TOKEN;
});

afterAll(async () => {
  delete process.env.SWITCHYARD_TOKEN;
  await new Promise((r) => server.close(r));
});

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

const REQUESTS = [
  { method: "GET", url: "https://a.test/api/items" },
  { method: "GET", url: "https://a.test/index.html" },
  { method: "GET", url: "https://a.test/v2/items" },
].map((r) => JSON.stringify(r)).join("\n");

/** `switchyard plan` of `config` (written to `name`) against the stand-in, with REQUESTS. */
const plan = (name: string, config: unknown, ...flags: string[]) => runCli("plan", file(name, config), "--requests", file("reqs.jsonl", REQUESTS), "--url", url, ...flags);

describe("switchyard plan", () => {
  it("the same config: exit 0, no changes, no request moves", async () => {
    live = LIVE;
    const r = await plan("same.json", LIVE);
    expect(r.code, r.err).toBe(0);
    expect(r.lines).toEqual([`plan: ${join(dir, "same.json")} against version 7`, "no changes to routers, services, middlewares or transports", "requests: 3, routed differently: 0"]);
    expect(seen.at(-1)).toBe(`GET /__switchyard/config Bearer ${TOKEN}`);
  });

  it("a changed rule and a new router: the fields, the moved requests and where to, exit 2", async () => {
    live = LIVE;
    const next = structuredClone(LIVE) as typeof LIVE & { http: { routers: Record<string, { rule: string; service: string; priority?: number }> } };
    next.http.routers.api.rule = "PathPrefix(`/api/v1`)";
    next.http.routers["v2"] = { rule: "PathPrefix(`/v2`)", service: "app", priority: 1000 };
    delete (next.http.routers as Record<string, unknown>).web;
    const r = await plan("next.json", next);
    expect(r.code, r.err).toBe(2);
    expect(r.out).toContain("  + routers.v2");
    expect(r.out).toContain("  - routers.web");
    expect(r.out).toContain('      ~ http.routers.api.rule: "PathPrefix(`/api`)" -> "PathPrefix(`/api/v1`)"');
    expect(r.out).toContain("requests: 3, routed differently: 3");
    expect(r.out).toContain("  line 1: GET https://a.test/api/items: api -> 404");
    expect(r.out).toContain("  line 2: GET https://a.test/index.html: web -> 404");
    expect(r.out).toContain("  line 3: GET https://a.test/v2/items: web -> v2");

    const json = await plan("next.json", next, "--json");
    expect(json.code).toBe(2);
    const body = JSON.parse(json.out) as { live: number; changes: boolean; requests: number; moved: object[]; diff: { routers: { fields: Record<string, object[]> } } };
    expect(body).toMatchObject({ live: 7, changes: true });
    expect(body.moved).toContainEqual({ line: 3, method: "GET", url: "https://a.test/v2/items", from: "web", to: "v2" });
    expect(body.diff.routers.fields.api).toEqual([{ path: "http.routers.api.rule", op: "changed", from: "PathPrefix(`/api`)", to: "PathPrefix(`/api/v1`)" }]);
  });

  it("only a service field changes: exit 2 with no request moving", async () => {
    live = LIVE;
    const next = structuredClone(LIVE);
    next.http.services.app.loadBalancer.servers[0]!.url = "http://127.0.0.1:2";
    const r = await plan("svc.json", next);
    expect(r.code).toBe(2);
    expect(r.out).toContain("requests: 3, routed differently: 0");
    expect(r.out).toContain("~ http.services.app.loadBalancer.servers[0].url");
  });

  it("nothing published yet: every routed request moves from 404", async () => {
    live = null;
    const r = await plan("first.json", LIVE);
    expect(r.code).toBe(2);
    expect(r.out).toContain("against no published config");
    expect(r.out).toContain("  line 1: GET https://a.test/api/items: 404 -> api");
  });

  it("errors are 1, never 2: an invalid file, an unreadable request line, a usage error", async () => {
    live = LIVE;
    const bad = await runCli("plan", file("bad.yaml", "http:\n  routers:\n    r:\n      rule: 'Path(`/x`)'\n      service: nowhere\n"), "--url", url);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("http.routers.r.service");
    const badLine = await runCli("plan", file("ok.json", LIVE), "--requests", file("bad.jsonl", "{not json"), "--url", url);
    expect(badLine.code).toBe(1);
    expect(badLine.err).toContain("line 1: not JSON");
    expect((await runCli("plan", "--url", url)).code).toBe(1);
    expect((await runCli("plan", file("ok.json", LIVE), "--url", "http://127.0.0.1:9")).code).toBe(1);
  });
});
