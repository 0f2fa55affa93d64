// The bundled CLI (cli/build.mjs → cli/dist/switchyard.mjs, what `npx switchyard` runs): a broken
// build must fail here, not on a user's pre-commit hook. Each test builds into its own directory,
// so nothing races the cli/dist/ that `npm install` built; the launcher (cli/launch.mjs) is driven
// exactly as cli/bin.mjs drives it, with that directory in place of cli/dist/.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli } from "../../cli/build.mjs";
import { bundleState, entry } from "../../cli/launch.mjs";

const ROOT = join(import.meta.dirname, "../..");
const fixtures = join(import.meta.dirname, "fixtures");
const LAUNCH = pathToFileURL(join(ROOT, "cli/launch.mjs")).href;
const temp: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "switchyard-cli-bundle-"));
  temp.push(dir);
  return dir;
}

/** `switchyard ARGS` as bin.mjs runs it, with `dist` for cli/dist/; bounded in time. */
function run(dist: string, ...args: string[]) {
  const runner = join(dist, "..", "bin.mjs");
  writeFileSync(runner, `import { entry } from ${JSON.stringify(LAUNCH)};\nconst { main } = await import(await entry({ dist: ${JSON.stringify(dist)} }));\nprocess.exitCode = await main(process.argv.slice(2));\n`);
  const r = spawnSync(process.execPath, [runner, ...args], { cwd: ROOT, encoding: "utf8", timeout: 30_000, env: { ...process.env, SWITCHYARD_CLI: "" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let dist = "";
beforeAll(async () => {
  dist = join(tempDir(), "dist");
  await buildCli({ outdir: dist });
});

afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

describe("the built bundle", () => {
  it("is what the launcher picks, and validate exits 0 with the summary and warnings", () => {
    expect(bundleState(dist).state).toBe("current");
    const r = run(dist, "validate", join(fixtures, "good.yaml"));
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("valid (3 routers, 2 services, 0 middlewares, 0 serversTransports)");
    expect(r.out).toMatch(/warning: http\.routers\.api\.entryPoints/);
  });

  it("exits 1 with every error and its path for an invalid config, 1 for a missing file", () => {
    const r = run(dist, "validate", join(fixtures, "bad.yaml"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/http\.routers\.api\.rule: .*PathPrefx/);
    expect(r.err).toMatch(/http\.routers\.web\.service: .*missing/);
    expect(r.err).toMatch(/http\.services\.api\.loadBalancer\.servers\[0\]\.wieght: .*weight/);
    const missing = run(dist, "validate", "/nonexistent/file.yaml");
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("no such file");
  });

  it("exits 2 with the usage for no command, an unknown one, or a bad flag", () => {
    for (const args of [[], ["frobnicate"], ["validate", "--nope", "x.yaml"]]) {
      const r = run(dist, ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.out + r.err).toContain("usage: switchyard <command>");
    }
  });

  it("bundles everything: the output imports nothing but Node's built-ins", () => {
    const text = readFileSync(join(dist, "switchyard.mjs"), "utf8");
    const specifiers = [...text.matchAll(/\bfrom\s*"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)|\brequire\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((s) => !s!.startsWith("node:") && !["fs", "path", "process", "url", "util", "os", "crypto", "child_process"].includes(s!))).toEqual([]);
  });
});

describe("the launcher", () => {
  it("without a bundle, says so and runs the TypeScript sources", () => {
    const empty = join(tempDir(), "dist");
    const r = run(empty, "validate", join(fixtures, "good.yaml"));
    expect(r.err).toMatch(/^switchyard: no bundle at .*switchyard\.mjs \(`npm install` or `npm run build:cli` builds it\); running the TypeScript sources/);
    expect(r.code).toBe(0);
    expect(r.out).toContain("valid (3 routers");
  });

  it("rebuilds a bundle older than a source file before running it, then runs it quietly", async () => {
    const stale = join(tempDir(), "dist");
    await buildCli({ outdir: stale });
    const manifestPath = join(stale, "inputs.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { builtAt: number; inputs: string[] };
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, builtAt: 0 })); // as if every source changed since
    expect(bundleState(stale)).toMatchObject({ state: "stale", changed: manifest.inputs[0] });
    const r = run(stale, "validate", join(fixtures, "good.yaml"));
    expect(r.err).toMatch(/^switchyard: .* changed since the bundle was built; rebuilt .*switchyard\.mjs\n$/);
    expect(r.code).toBe(0);
    expect(bundleState(stale).state).toBe("current");
    const again = run(stale, "validate", join(fixtures, "good.yaml"));
    expect(again.err).toBe("");
    expect(again.code).toBe(0);
  });

  it("calls a bundle stale when a source is newer or gone, and runs the sources when rebuilding fails", async () => {
    const root = tempDir();
    const fake = join(root, "dist");
    await mkdir(join(root, "src"));
    await mkdir(fake);
    writeFileSync(join(root, "src/a.ts"), "");
    writeFileSync(join(fake, "switchyard.mjs"), "");
    const manifest = (inputs: string[]) => writeFileSync(join(fake, "inputs.json"), JSON.stringify({ builtAt: Date.now() - 10_000, bundle: "switchyard.mjs", inputs }));
    utimesSync(join(root, "src/a.ts"), new Date(Date.now() - 20_000), new Date(Date.now() - 20_000));
    manifest(["src/a.ts"]);
    expect(bundleState(fake, root).state).toBe("current");
    writeFileSync(join(fake, "inputs.json"), '{"builtAt": "yesterday"}');
    expect(bundleState(fake, root).state).toBe("missing");
    manifest(["src/a.ts", "src/gone.ts"]);
    expect(bundleState(fake, root)).toMatchObject({ state: "stale", changed: "src/gone.ts" });
    manifest(["src/a.ts"]);
    utimesSync(join(root, "src/a.ts"), new Date(), new Date());
    expect(bundleState(fake, root)).toMatchObject({ state: "stale", changed: "src/a.ts" });

    const warnings: string[] = [];
    const url = await entry({ dist: fake, root, env: {}, warn: (l) => warnings.push(l), rebuild: async () => Promise.reject(new Error("esbuild: syntax error\nmore")) });
    expect(url).toBe(pathToFileURL(join(ROOT, "cli/main.ts")).href);
    expect(warnings).toEqual(["switchyard: src/a.ts changed since the bundle was built and rebuilding failed (esbuild: syntax error); running the TypeScript sources"]);
    expect(await entry({ dist: fake, root, env: { SWITCHYARD_CLI: "sources" }, warn: () => expect.unreachable() })).toBe(url);
  });

  it("cli/bin.mjs itself validates the demo config", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "cli/bin.mjs"), "validate", "examples/demo.yaml"], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("examples/demo.yaml: valid (2 routers");
  });
});
