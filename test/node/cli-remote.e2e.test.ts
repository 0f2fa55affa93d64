// The CLI against a running router: push (via the admin API and straight to KV), pull, history,
// rollback, diff.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli as run } from "./helpers/cli.ts";
import { startWhoami, type Whoami } from "../../examples/whoami.ts";
import { startWranglerDev, type Running } from "./helpers/processes.ts";

const TOKEN = "cli-e2e-token";
let dev: Running;
let whoami: Whoami;
const dir = mkdtempSync(join(tmpdir(), "switchyard-cli-e2e-"));

beforeAll(async () => {
  whoami = await startWhoami({ port: 0, name: "cli-e2e" });
  dev = await startWranglerDev({ vars: { ADMIN_TOKEN: TOKEN, POLL_INTERVAL_MS: "100", VERSION_HEADER: "true", SHADOW_POLL_INTERVAL_MS: "200", SHADOW_FLUSH_INTERVAL_MS: "0" }, readyPath: "/__switchyard/status" });
  process.env.SWITCHYARD_TOKEN = TOKEN;
});

afterAll(async () => {
  delete process.env.SWITCHYARD_TOKEN;
  await dev?.stop();
  await whoami?.close();
});


function configFile(name: string, routers: string[]): string {
  const lines = ["http:", "  routers:"];
  for (const r of routers) lines.push(`    ${r}:`, `      rule: "PathPrefix(\`/${r}\`)"`, "      service: app");
  lines.push("  services:", "    app:", "      loadBalancer:", "        servers:", `          - url: "${whoami.url}"`);
  const path = join(dir, name);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

async function servedRouter(path: string): Promise<string | null> {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${dev.url}${path}`);
    await res.arrayBuffer();
    if (res.status === 200) return res.headers.get("x-switchyard-router");
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

describe("switchyard push / pull / history / rollback / diff", () => {
  it("push validates locally, prints the diff, and publishes", async () => {
    const first = await run("push", configFile("a.yaml", ["alpha"]), "--url", dev.url, "--message", "first");
    expect(first.code).toBe(0);
    expect(first.out).toContain("no config is published yet");
    expect(first.out).toMatch(/pushed .*a\.yaml: version 1/);
    expect(await servedRouter("/alpha")).toBe("alpha");

    const second = await run("push", configFile("b.yaml", ["alpha", "beta"]), "--url", dev.url);
    expect(second.code).toBe(0);
    expect(second.out).toContain("+ routers.beta");
    expect(second.out).toMatch(/version 2/);
  });

  it("push refuses an invalid file before sending anything", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "http:\n  routers:\n    r:\n      rule: 'Path(`x`)'\n      service: nowhere\n");
    const r = await run("push", bad, "--url", dev.url);
    expect(r.code).toBe(1);
    expect(r.err).toContain("http.routers.r.rule");
    expect((await run("history", "--url", dev.url)).out.split("\n")).toHaveLength(2);
  });

  it("push with a stale --if-match is refused with the server's reason", async () => {
    const r = await run("push", configFile("c.yaml", ["gamma"]), "--url", dev.url, "--if-match", "1");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/412/);
  });

  it("pull, history, diff, rollback", async () => {
    const out = join(dir, "pulled.json");
    expect((await run("pull", "--url", dev.url, "-o", out)).code).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(out, "utf8")).http.routers)).toEqual(["alpha", "beta"]);

    const history = await run("history", "--url", dev.url);
    expect(history.out).toMatch(/^\s+2 .* first$|^\s+2 /m);
    expect(history.out).toMatch(/^\s+1 .*first$/m);

    const diff = await run("diff", "1", "2", "--url", dev.url, "--json");
    expect(JSON.parse(diff.out).routers).toMatchObject({ added: ["beta"], removed: [], changed: [] });
    expect(Object.keys(JSON.parse(diff.out).routers.fields)).toEqual(["beta"]);
    expect(JSON.parse(diff.out).routers.fields.beta).toEqual([{ path: "http.routers.beta", op: "added", to: { rule: "PathPrefix(`/beta`)", service: "app" } }]);
    const text = await run("diff", "1", "2", "--url", dev.url);
    expect(text.lines).toEqual(["version 1 -> 2:\n  + routers.beta"]);

    const rb = await run("rollback", "1", "--url", dev.url);
    expect(rb.code).toBe(0);
    expect(rb.out).toContain("now version 3");
    expect((await fetch(`${dev.url}/beta`)).status).toBeGreaterThanOrEqual(200);
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${dev.url}/beta`);
      await res.arrayBuffer();
      if (res.status === 404) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await fetch(`${dev.url}/beta`)).status).toBe(404);
  });

  it("clear errors: no token, unreachable router, bad arguments", async () => {
    delete process.env.SWITCHYARD_TOKEN;
    expect((await run("history", "--url", dev.url)).code).toBe(2);
    process.env.SWITCHYARD_TOKEN = "wrong";
    const wrong = await run("history", "--url", dev.url);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/401/);
    process.env.SWITCHYARD_TOKEN = TOKEN;
    const down = await run("history", "--url", "http://127.0.0.1:9");
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/cannot reach/);
    expect((await run("rollback", "abc", "--url", dev.url)).code).toBe(2);
    expect((await run("diff", "1", "--url", dev.url)).code).toBe(2);
  });

  it("push --kv writes the load facts, snapshot and version key through wrangler; the router picks it up from the facts", async () => {
    const r = await run("push", configFile("kv.yaml", ["delta"]), "--kv", "--persist-to", dev.state!);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/published .*kv\.yaml to KV as version \d+ \(config\/v\/\d+-[0-9a-f]{16}/);
    expect(await servedRouter("/delta")).toBe("delta");
    // The CLI is this checkout's build, as the Worker is: the isolate trusts its facts.
    const status = (await (await fetch(`${dev.url}/__switchyard/status`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { serving?: { load?: string } };
    expect(status.serving?.load).toBe("facts");
  });

  it("push of an empty file over routers is refused (API and --kv) until --allow-empty; the router then has no routes", async () => {
    const empty = join(dir, "empty.yaml");
    writeFileSync(empty, "# every provider file went empty\n");
    const api = await run("push", empty, "--url", dev.url);
    expect(api.code).toBe(1);
    expect(api.err).toMatch(/no routers.*--allow-empty/);
    const kv = await run("push", empty, "--kv", "--persist-to", dev.state!);
    expect(kv.code).toBe(1);
    expect(kv.err).toMatch(/no routers.*in KV.*--allow-empty/);
    expect(await servedRouter("/delta")).toBe("delta");

    const meant = await run("push", empty, "--kv", "--persist-to", dev.state!, "--allow-empty");
    expect(meant.code, meant.err).toBe(0);
    let status = 0;
    for (let i = 0; i < 100 && status !== 404; i++) {
      const res = await fetch(`${dev.url}/delta`);
      await res.arrayBuffer();
      status = res.status;
      if (status !== 404) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(404);
  });
});

describe("switchyard token create / list / revoke", () => {
  it("a stored token is printed once, works for its scope alone, is listed, and stops working when revoked", async () => {
    const made = await run("token", "create", "ci-e2e", "--scope", "read,rollback", "--url", dev.url);
    expect(made.code, made.err).toBe(0);
    expect(made.lines).toHaveLength(1);
    const ci = made.lines[0]!;
    expect(ci).toMatch(/^syt_[A-Za-z0-9_-]{43}$/);
    expect(made.err).toContain("shown this once");

    const listed = await run("token", "list", "--url", dev.url);
    expect(listed.out).toMatch(/^ci-e2e\s+read,rollback\s+\d{4}-/m);
    expect(listed.out).not.toContain(ci);

    process.env.SWITCHYARD_TOKEN = ci;
    try {
      const history = await run("history", "--url", dev.url);
      expect(history.code, history.err).toBe(0);
      expect(history.out).toMatch(/ admin /);
      const push = await run("push", configFile("ci.yaml", ["ci"]), "--url", dev.url);
      expect(push.code).toBe(1);
      expect(push.err).toContain("token 'ci-e2e' lacks the 'write' scope");
      expect((await run("token", "list", "--url", dev.url)).err).toMatch(/403.*may not manage tokens/);
    } finally {
      process.env.SWITCHYARD_TOKEN = TOKEN;
    }

    expect((await run("token", "revoke", "ci-e2e", "--url", dev.url)).out).toBe("revoked token 'ci-e2e'");
    process.env.SWITCHYARD_TOKEN = ci;
    try {
      expect((await run("history", "--url", dev.url)).err).toMatch(/401/);
    } finally {
      process.env.SWITCHYARD_TOKEN = TOKEN;
    }
    expect((await run("token", "revoke", "ci-e2e", "--url", dev.url)).err).toMatch(/404/);
    expect((await run("token", "create", "x", "--scope", "root", "--url", dev.url)).code).toBe(2);
    expect((await run("token", "frobnicate", "--url", dev.url)).code).toBe(2);
  });
});

describe("switchyard plan / shadow against the router", () => {
  it("plan reads the live version; shadow samples real traffic and says where it would go; stop ends it", async () => {
    const live = configFile("live.yaml", ["alpha", "beta"]);
    expect((await run("push", live, "--url", dev.url, "--allow-empty")).code).toBe(0);
    expect(await servedRouter("/beta")).toBe("beta");
    const next = configFile("next.yaml", ["alpha"]);
    const reqs = join(dir, "reqs.jsonl");
    writeFileSync(reqs, [`{"url":"${dev.url}/alpha/x"}`, `{"url":"${dev.url}/beta/x"}`].join("\n") + "\n");
    const plan = await run("plan", next, "--requests", reqs, "--url", dev.url);
    expect(plan.code, plan.err).toBe(2);
    expect(plan.out).toContain("  - routers.beta");
    expect(plan.out).toContain(`  line 2: GET ${dev.url}/beta/x: beta -> 404`);
    expect((await run("plan", live, "--requests", reqs, "--url", dev.url)).code).toBe(0);

    const started = await run("shadow", next, "--sample-rate", "1", "--url", dev.url);
    expect(started.code, started.err).toBe(0);
    expect(started.out).toMatch(/^shadowing .*next\.yaml \([0-9a-f]{12}\) against version \d+, sampling 100 % of requests/);
    let status = "";
    for (let i = 0; i < 100 && !status.includes("would get 404"); i++) {
      for (const path of ["/alpha/x", "/beta/x"]) {
        const res = await fetch(`${dev.url}${path}`);
        await res.arrayBuffer();
        expect(res.status).toBe(200);
      }
      status = (await run("shadow", "status", "--url", dev.url)).out;
    }
    expect(status).toMatch(/requests sampled: \d+, would be routed differently: \d+/);
    expect(status).toMatch(/^ {2}\d+(\.\d+)? % of requests would get 404 \(they go to router `beta` now\)$/m);
    expect(status).not.toContain("alpha`");
    const stopped = await run("shadow", "stop", "--url", dev.url);
    expect(stopped.out).toContain("shadow evaluation stopped");
    expect((await run("shadow", "status", "--url", dev.url)).out).toBe("no shadow evaluation is running");
    expect(await servedRouter("/beta")).toBe("beta");
  });
});
