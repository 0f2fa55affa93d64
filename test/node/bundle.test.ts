// The Worker's bundle as `wrangler deploy` would upload it (a dry run, no account needed): small,
// for cold starts. zod's classic namespace drags in every locale unless it is imported as a
// namespace (`import * as z`) and its core classes by name: this guards that.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
// 600 KiB until re2js: linear-time regexes (docs/regexp.md) add ~152 KiB minified, a deliberate
// price for no request being able to stall an isolate. The budget grows by that much and no more;
// shrinking the rest (zod, yaml: ~100 KiB each) is the performance work on script size.
const MAX_KIB = 680;

describe("worker bundle", () => {
  let dir = "";
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`stays under ${MAX_KIB} KiB minified, with no zod locale but English`, async () => {
    dir = await mkdtemp(join(tmpdir(), "switchyard-bundle-"));
    const meta = join(dir, "meta.json");
    await run("npx", ["wrangler", "deploy", "--dry-run", "--outdir", join(dir, "out"), "--metafile", meta], {
      timeout: 90_000,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
    });
    const size = (await stat(join(dir, "out", "index.js"))).size;
    expect(size / 1024).toBeLessThan(MAX_KIB);
    const outputs = Object.values(JSON.parse(await readFile(meta, "utf8")).outputs) as { inputs?: Record<string, unknown> }[];
    const inputs = outputs.flatMap((o) => Object.keys(o.inputs ?? {}));
    expect(inputs.some((f) => f.includes("worker/rules/"))).toBe(true);
    expect(inputs.some((f) => f.includes("node_modules/re2js/"))).toBe(true);
    expect(inputs.filter((f) => /zod\/v4\/locales\/(?!en\.js)/.test(f))).toEqual([]);
  });
});
