// The Worker's bundle as `wrangler deploy` would upload it (a dry run, no account needed): small,
// for cold starts (docs/performance.md "Script size"; `npm run bench:size` prints the breakdown).
// A guard, not a speed test: it fails when the bundle grows past the budget, when zod's classic
// API (or any locale) sneaks back in, or when CLI-only or dashboard code reaches the Worker.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
// 563 KiB after the schema moved to zod/mini (633 KiB before). Most of what is left is re2js
// (152 KiB: linear-time regexes, docs/regexp.md) and yaml (100 KiB: YAML snapshots). Then, by
// decision, issue 15's observability (access log and tracing 15 KiB, metrics 14 KiB, the fleet
// status's store side ~7 KiB) and the load facts' lazy muxer and builders (~6 KiB): 611 KiB.
// Issue 18's scoped tokens, field-level diff, plan and shadow evaluation: +19 KiB (613.5 → 632.3;
// the store's token and shadow tables 6, the admin routes 5, the isolate's shadow evaluator 3).
// The budget is that size plus a little headroom, so growth is a decision, not an accident.
const MAX_KIB = 645;

describe("worker bundle", () => {
  let dir = "";
  let inputs: string[] = [];
  let size = 0;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`stays under ${MAX_KIB} KiB minified`, async () => {
    dir = await mkdtemp(join(tmpdir(), "switchyard-bundle-"));
    const meta = join(dir, "meta.json");
    await run("npx", ["wrangler", "deploy", "--dry-run", "--outdir", join(dir, "out"), "--metafile", meta], {
      timeout: 90_000,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
    });
    size = (await stat(join(dir, "out", "index.js"))).size;
    const outputs = Object.values(JSON.parse(await readFile(meta, "utf8")).outputs) as { inputs?: Record<string, unknown> }[];
    inputs = outputs.flatMap((o) => Object.keys(o.inputs ?? {}));
    expect(size / 1024).toBeLessThan(MAX_KIB);
    expect(inputs.some((f) => f.includes("worker/rules/"))).toBe(true);
    expect(inputs.some((f) => f.includes("node_modules/re2js/"))).toBe(true);
  });

  it("has zod's mini API only: no classic API, no locale", () => {
    expect(inputs.some((f) => f.includes("node_modules/zod/v4/mini/"))).toBe(true);
    expect(inputs.filter((f) => /node_modules\/zod\/v4\/(classic|locales)\//.test(f))).toEqual([]);
  });

  it("has no CLI-only or dashboard code", () => {
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.filter((f) => !f.includes("node_modules/") && /(^|\/)(cli|dashboard)\//.test(f))).toEqual([]);
  });
});
