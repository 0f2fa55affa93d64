import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli as run } from "./helpers/cli.ts";

const fixtures = join(import.meta.dirname, "fixtures");


function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "switchyard-cli-")), name);
  writeFileSync(path, text);
  return path;
}

describe("switchyard validate", () => {
  it("exits 0 with a summary and warnings for a valid config", async () => {
    const r = await run("validate", join(fixtures, "good.yaml"));
    expect(r.code).toBe(0);
    expect(r.out).toContain("valid (3 routers, 2 services, 0 middlewares, 0 serversTransports)");
    expect(r.out).toMatch(/warning: http\.routers\.api\.entryPoints/);
  });

  it("exits 1 with every error and its path", async () => {
    const r = await run("validate", join(fixtures, "bad.yaml"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/http\.routers\.api\.rule: .*PathPrefx/);
    expect(r.err).toMatch(/http\.routers\.web\.service: .*missing/);
    expect(r.err).toMatch(/http\.routers\.web\.middlewares\[0\]: .*nope/);
    expect(r.err).toMatch(/http\.services\.api\.loadBalancer\.servers\[0\]\.wieght: .*weight/);
  });

  it("reads TOML and JSON too, and explains unreadable files", async () => {
    const toml = tempFile("c.toml", '[http.routers.r]\nrule = "Path(`/x`)"\nservice = "s"\n[http.services.s.loadBalancer]\nservers = [{ url = "http://127.0.0.1:1" }]\n');
    expect((await run("validate", toml)).code).toBe(0);
    const json = tempFile("c.json", '{"http":{"routers":{"r":{"rule":"Path(`/x`)","service":"s"}},"services":{"s":{"loadBalancer":{"servers":[]}}}}}');
    expect((await run("validate", json)).code).toBe(0);
    const missing = await run("validate", "/nonexistent/file.yaml");
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("no such file");
  });

  it("refuses an alias bomb and a document nested 100,000 deep with the limit they cross, exit 1", async () => {
    const laughs = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
      .concat("bcdefghi".split("").map((l, i) => `${l}: &${l} [${Array(9).fill(`*${"abcdefghi"[i]}`).join(", ")}]`))
      .join("\n");
    const bomb = await run("validate", tempFile("bomb.yaml", laughs));
    expect(bomb.code).toBe(1);
    expect(bomb.err).toContain("error: (root): YAML aliases expand to more than 5,000 aliases (the limit, against alias bombs)");
    const deep = await run("validate", tempFile("deep.json", "[".repeat(100_000) + "]".repeat(100_000)));
    expect(deep.code).toBe(1);
    expect(deep.err).toContain("nested deeper than 64 levels of maps and lists");
    const toml = await run("validate", tempFile("deep.toml", `a = ${"[".repeat(100_000)}${"]".repeat(100_000)}`));
    expect(toml.code).toBe(1);
    expect(toml.err).toContain("TOML nested too deeply to parse: at most 64 levels");
  });

  it("validates routers, services and middlewares named __proto__, constructor and hasOwnProperty", async () => {
    const yaml = [
      "http:",
      "  routers:",
      "    __proto__: {rule: 'Path(`/a`)', service: constructor, middlewares: [hasOwnProperty]}",
      "    constructor: {rule: 'Path(`/b`)', service: __proto__}",
      "  middlewares:",
      "    hasOwnProperty: {addPrefix: {prefix: /x}}",
      "  services:",
      "    constructor: {loadBalancer: {servers: [{url: 'http://127.0.0.1:1'}]}}",
      "    __proto__: {loadBalancer: {servers: [{url: 'http://127.0.0.1:1'}]}}",
    ].join("\n");
    const r = await run("validate", tempFile("proto.yaml", yaml));
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("valid (2 routers, 2 services, 1 middleware, 0 serversTransports)");
  });

  it("usage errors exit 2", async () => {
    expect((await run("validate")).code).toBe(2);
    expect((await run("frobnicate")).code).toBe(2);
    expect((await run("constructor")).code).toBe(2);
    expect((await run("explain", "--config")).code).toBe(2);
  });
});

describe("switchyard explain", () => {
  it("prints one line per request, in order, with the router or null", async () => {
    const r = await run("explain", "--config", join(fixtures, "good.yaml"), "--requests", join(fixtures, "requests.jsonl"));
    expect(r.code).toBe(0);
    const lines = r.lines.map((l) => JSON.parse(l) as { router: string | null; priority?: number; tried?: { failed: string[] }[] });
    expect(lines.map((l) => l.router)).toEqual(["api", "site", "admin", "site", null]);
    expect(lines[0]!.priority).toBe("Host(`a.com`) && PathPrefix(`/api`)".length);
    expect(lines[4]!.tried?.length).toBeGreaterThan(0);
    expect(lines[4]!.tried!.flatMap((t) => t.failed).join(" ")).toContain("Host(`a.com`)");
  });

  it("through parent routers: the leaf with its chain, or the children that failed under the parent that matched", async () => {
    const config = tempFile(
      "tree.yaml",
      [
        "http:",
        "  routers:",
        "    api: {rule: 'Host(`a.com`)', middlewares: [strip]}",
        "    users: {rule: 'PathPrefix(`/users`)', service: s, parentRefs: [api]}",
        "  middlewares:",
        "    strip: {stripPrefix: {prefixes: [/v1]}}",
        "  services:",
        "    s: {loadBalancer: {servers: [{url: 'http://10.0.0.1'}]}}",
      ].join("\n"),
    );
    const requests = tempFile("r.jsonl", ['{"method":"GET","url":"https://a.com/users/1"}', '{"method":"GET","url":"https://a.com/v1/users"}'].join("\n"));
    const r = await run("explain", "--config", config, "--requests", requests);
    expect(r.code).toBe(0);
    const [hit, miss] = r.lines.map((l) => JSON.parse(l));
    expect(hit).toMatchObject({ router: "users", service: "s", chain: [{ router: "api" }, { router: "users" }] });
    expect(hit.note).toContain("(api: strip)");
    expect(miss).toMatchObject({ router: null, chain: [{ router: "api" }], tried: [{ router: "users", failed: ["PathPrefix(`/users`)"] }] });
  });

  it("exits 1 on an invalid config", async () => {
    const r = await run("explain", "--config", join(fixtures, "bad.yaml"), "--requests", join(fixtures, "requests.jsonl"));
    expect(r.code).toBe(1);
    expect(r.err).toContain("http.routers.api.rule");
  });
});

describe("switchyard rule", () => {
  it("matches each request", async () => {
    const r = await run("rule", "--rule", "Host(`a.com`) && !PathPrefix(`/api`)", "--requests", join(fixtures, "requests.jsonl"));
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => JSON.parse(l).match)).toEqual([false, true, true, true, false]);
  });

  it("handles multi-line headers, ports and garbage remote addresses", async () => {
    const reqs = tempFile(
      "r.jsonl",
      [
        '{"method":"GET","url":"https://a.com/","headers":{"X-Multi":["v1","v2"]},"remoteAddr":"10.0.0.1:1234"}',
        '{"method":"GET","url":"https://a.com/","headers":{"X-Multi":"v1"},"remoteAddr":"[::1]:80"}',
        '{"method":"GET","url":"https://a.com/","remoteAddr":"not an ip"}',
      ].join("\n"),
    );
    const header = await run("rule", "--rule", "Header(`X-Multi`, `v2`)", "--requests", reqs);
    expect(header.lines.map((l) => JSON.parse(l).match)).toEqual([true, false, false]);
    const ip = await run("rule", "--rule", "ClientIP(`10.0.0.0/8`) || ClientIP(`::1`)", "--requests", reqs);
    expect(ip.lines.map((l) => JSON.parse(l).match)).toEqual([true, true, false]);
  });

  it("an invalid rule exits 1 with the position on stderr", async () => {
    const reqs = tempFile("r.jsonl", '{"method":"GET","url":"https://a.com/"}\n');
    const r = await run("rule", "--rule", "Host(`a.com`) && Pth(`/x`)", "--requests", reqs);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/position 17/);
    expect(r.out).toBe("");
  });

  it("reports unreadable request lines without dropping the others", async () => {
    const reqs = tempFile("r.jsonl", '{"method":"GET","url":"https://a.com/"}\nnot json\n{"method":"GET"}\n');
    const r = await run("rule", "--rule", "Host(`a.com`)", "--requests", reqs);
    expect(r.code).toBe(1);
    expect(r.lines).toHaveLength(3);
    expect(JSON.parse(r.lines[0]!).match).toBe(true);
    expect(JSON.parse(r.lines[1]!).error).toMatch(/line 2/);
  });
});

describe("the installed bin", () => {
  it("npx switchyard runs the CLI", () => {
    const r = spawnSync("npx", ["switchyard", "validate", join(fixtures, "good.yaml")], { encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("valid (3 routers");
  });
});

describe("explain's failed sub-expressions", () => {
  it("names each false operand of && and a false || whole, even when it contains &&", async () => {
    const { failedParts } = await import("../../cli/commands/explain.ts");
    const { compileRule, viewFromDescription } = await import("../../worker/rules/index.ts");
    const rule = compileRule("Host(`a.com`) && (PathPrefix(`/x`) && Method(`POST`) || Path(`/y`))");
    if (!rule.ok) throw new Error(rule.error.message);
    const view = viewFromDescription({ method: "GET", url: "https://b.com/z" });
    expect(failedParts(rule.value.explain(view))).toEqual(["Host(`a.com`)", "(PathPrefix(`/x`) && Method(`POST`) || Path(`/y`))"]);
    const onlyMethod = viewFromDescription({ method: "GET", url: "https://a.com/x" });
    expect(failedParts(rule.value.explain(onlyMethod))).toEqual(["(PathPrefix(`/x`) && Method(`POST`) || Path(`/y`))"]);
  });
});

describe("push/rollback and configs without routers (a fake admin API)", () => {
  interface Seen {
    readonly method: string;
    readonly url: string;
  }

  /** Answers GET /config with `current` (or 404), PUT /config and rollback with `answer`; records requests. */
  async function fakeAdmin(current: unknown, answer: { status: number; body: unknown } = { status: 200, body: { version: 8 } }) {
    const { createServer } = await import("node:http");
    const seen: Seen[] = [];
    const server = createServer((req, res) => {
      seen.push({ method: req.method ?? "", url: req.url ?? "" });
      req.resume();
      req.on("end", () => {
        const reply = req.method === "GET" ? (current === null ? { status: 404, body: { error: "none" } } : { status: 200, body: current }) : answer;
        res.writeHead(reply.status, { "content-type": "application/json", "x-switchyard-version": "7" });
        res.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    process.env.SWITCHYARD_TOKEN = "t";
    return {
      url: `http://127.0.0.1:${port}`,
      seen,
      close: () => {
        delete process.env.SWITCHYARD_TOKEN;
        return new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  const routed = { http: { routers: { a: { rule: "Path(`/a`)", service: "s" } }, services: { s: { loadBalancer: { servers: [{ url: "http://127.0.0.1:1" }] } } } } };

  it.each([["empty.yaml", ""], ["comments.yaml", "# nothing\n"], ["empty.toml", ""], ["empty.json", "{}"], ["null.json", "null"]])(
    "push %s over routers: exit 1 with how to do it on purpose, nothing sent",
    async (name, text) => {
      const admin = await fakeAdmin(routed);
      try {
        const r = await run("push", tempFile(name, text), "--url", admin.url);
        expect(r.code).toBe(1);
        expect(r.out).toContain("- routers.a");
        expect(r.err).toMatch(/no routers.*its 1 router from version 7.*--allow-empty/);
        expect(admin.seen.map((s) => s.method)).toEqual(["GET"]);
      } finally {
        await admin.close();
      }
    },
  );

  it("push --allow-empty sends ?allowEmpty=true; a first push of an empty file needs no flag", async () => {
    const admin = await fakeAdmin(routed);
    try {
      const r = await run("push", tempFile("empty.yaml", ""), "--url", admin.url, "--allow-empty");
      expect(r.code, r.err).toBe(0);
      expect(admin.seen.at(-1)).toEqual({ method: "PUT", url: "/__switchyard/config?allowEmpty=true" });
    } finally {
      await admin.close();
    }
    const fresh = await fakeAdmin(null);
    try {
      expect((await run("push", tempFile("empty.yaml", ""), "--url", fresh.url)).code).toBe(0);
      expect(fresh.seen.at(-1)).toEqual({ method: "PUT", url: "/__switchyard/config" });
    } finally {
      await fresh.close();
    }
  });

  it("the server's 409 is shown with its reason; rollback --allow-empty sends the flag", async () => {
    const admin = await fakeAdmin(null, { status: 409, body: { error: "the new config has no routers: … use ?allowEmpty=true", current: 7 } });
    try {
      const r = await run("rollback", "3", "--url", admin.url);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/409 from \/__switchyard\/config\/rollback: the new config has no routers/);
      await run("rollback", "3", "--url", admin.url, "--allow-empty");
      expect(admin.seen.at(-1)).toEqual({ method: "POST", url: "/__switchyard/config/rollback?allowEmpty=true" });
    } finally {
      await admin.close();
    }
  });

  it("versions past 2^53 - 1 (or not whole numbers) are usage errors, before anything is sent", async () => {
    const admin = await fakeAdmin(routed);
    try {
      const file = tempFile("ok.json", JSON.stringify(routed));
      for (const argv of [
        ["rollback", "9007199254740992"],
        ["rollback", "1.5"],
        ["push", file, "--if-match", "99999999999999999999"],
        ["push", file, "--if-match", "v3"],
        ["pull", "--version", "9007199254740992"],
        ["diff", "1", "9007199254740992"],
        ["history", "--limit", "0"],
      ]) {
        const r = await run(...argv, "--url", admin.url);
        expect(r.code, argv.join(" ")).toBe(2);
        expect(r.err).toMatch(/must be a whole number from [01] to 9007199254740991/);
      }
      expect(admin.seen).toEqual([]);
    } finally {
      await admin.close();
    }
  });
});

describe("switchyard --default-rule-syntax", () => {
  const v2 = `http:
  routers:
    r:
      rule: "Host(\`a.com\`, \`b.com\`)"
      service: web
  services:
    web:
      loadBalancer:
        servers:
          - url: http://10.0.0.1
`;

  it("validates routers without ruleSyntax in the syntax given by the flag or $DEFAULT_RULE_SYNTAX, as the Worker does", async () => {
    const file = tempFile("v2.yaml", v2);
    expect((await run("validate", file)).code).toBe(1);
    expect((await run("validate", file, "--default-rule-syntax", "v2")).code).toBe(0);
    expect((await run("validate", "--default-rule-syntax=v2", file)).code).toBe(0);
    const saved = process.env.DEFAULT_RULE_SYNTAX;
    process.env.DEFAULT_RULE_SYNTAX = "v2";
    try {
      expect((await run("validate", file)).code).toBe(0);
      expect((await run("validate", file, "--default-rule-syntax", "v3")).code).toBe(1);
    } finally {
      if (saved === undefined) delete process.env.DEFAULT_RULE_SYNTAX;
      else process.env.DEFAULT_RULE_SYNTAX = saved;
    }
  });

  it("refuses a syntax other than v2 or v3 as a usage error; rule --syntax reads one rule in v2", async () => {
    const bad = await run("validate", tempFile("v2.yaml", v2), "--default-rule-syntax", "v1");
    expect(bad).toMatchObject({ code: 2, err: expect.stringContaining('unsupported --default-rule-syntax "v1"') });
    const requests = tempFile("reqs.jsonl", '{"method":"GET","url":"http://b.com/"}\n');
    const r = await run("rule", "--rule", "Host(`a.com`, `b.com`)", "--syntax", "v2", "--requests", requests);
    expect(r).toMatchObject({ code: 0, out: expect.stringContaining('"match":true') });
  });
});
