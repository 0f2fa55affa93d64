// Script size: the Worker's bundle as `wrangler deploy` would upload it (a dry run, no account
// needed), minified and gzipped, with what each dependency and each worker/ layer puts into it
// (from esbuild's metafile), next to a bare Worker bundled the same way and the 200 KiB target.
// `npm run bench:size`; a report, not a test: it exits 0 whatever the sizes (test/node/bundle.test.ts
// is the guard).
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "..");
// Run with this Node (the npm scripts' Node 24), not whichever `node` the wrangler shim finds first.
const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const TARGET_KIB = 200;

export interface Bundle {
  /** Every module wrangler would upload (the entry first), bytes minified. */
  readonly modules: readonly { name: string; bytes: number; gzip: number }[];
  /** Bytes in the output by input file, from the metafile. */
  readonly inputs: ReadonlyMap<string, number>;
}

/** `wrangler deploy --dry-run` of `config` (a wrangler.toml path), its output left in `out`. */
export async function dryRunInto(config: string, out: string): Promise<Bundle> {
  const meta = join(out, "meta.json");
  await run(process.execPath, [WRANGLER, "deploy", "--dry-run", "--config", config, "--outdir", out, "--metafile", meta], {
    cwd: ROOT,
    timeout: 120_000,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
  });
  const names = (await readdir(out)).filter((f) => /\.(m?js)$/.test(f)).sort((a, b) => Number(b === "index.js") - Number(a === "index.js"));
  const modules = [];
  for (const name of names) {
    const text = await readFile(join(out, name));
    modules.push({ name, bytes: text.length, gzip: gzipSync(text).length });
  }
  return { modules, inputs: inputsOf(JSON.parse(await readFile(meta, "utf8"))) };
}

/** The same, in a temporary directory removed afterwards. */
async function dryRun(config: string): Promise<Bundle> {
  const dir = await mkdtemp(join(tmpdir(), "switchyard-size-"));
  try {
    return await dryRunInto(config, join(dir, "out"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Metafile {
  outputs: Record<string, { inputs?: Record<string, { bytesInOutput: number }> }>;
}

function inputsOf(meta: Metafile): Map<string, number> {
  const inputs = new Map<string, number>();
  for (const output of Object.values(meta.outputs)) {
    for (const [file, { bytesInOutput }] of Object.entries(output.inputs ?? {})) inputs.set(file, (inputs.get(file) ?? 0) + bytesInOutput);
  }
  return inputs;
}

/** What an input file is counted under: its npm package, or its folder of worker/ and providers/. */
export function groupOf(file: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
  if (pkg) return pkg[1]!;
  const own = /(?:^|\/)((?:worker|providers)\/[^/]+)(\/|$)/.exec(file);
  if (own) return own[1]!.replace(/\.ts$/, "");
  return /(?:^|\/)(cli|dashboard|examples)\//.exec(file)?.[1] ?? "other";
}

function byGroup(inputs: ReadonlyMap<string, number>): [string, number][] {
  const groups = new Map<string, number>();
  for (const [file, bytes] of inputs) groups.set(groupOf(file), (groups.get(groupOf(file)) ?? 0) + bytes);
  return [...groups].sort((a, b) => b[1] - a[1]);
}

const kib = (bytes: number): string => (bytes / 1024).toFixed(1).padStart(7);

/** A bare Worker (fetch the request from an upstream), bundled by wrangler with the same settings, into `dir`/out. */
export async function bareBundleInto(dir: string): Promise<Bundle> {
  await writeFile(join(dir, "bare.ts"), 'export default { fetch: (request: Request) => fetch(new URL(new URL(request.url).pathname, "https://example.com"), request) };\n');
  await writeFile(join(dir, "wrangler.toml"), `name = "bare"\nmain = "bare.ts"\ncompatibility_date = "2026-11-01"\nminify = true\n`);
  return dryRunInto(join(dir, "wrangler.toml"), join(dir, "out"));
}

async function bareBundle(): Promise<Bundle> {
  const dir = await mkdtemp(join(tmpdir(), "switchyard-bare-"));
  try {
    return await bareBundleInto(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const [worker, bare] = [await dryRun(join(ROOT, "wrangler.toml")), await bareBundle()];
  const entry = worker.modules[0]!;
  const total = worker.modules.reduce((n, m) => n + m.bytes, 0);
  console.log("Script size (wrangler deploy --dry-run, minified; gzip -6 of the same bytes)\n");
  console.log(`${"module".padEnd(40)}     KiB    gzip`);
  for (const m of worker.modules) console.log(`${m.name.padEnd(40)} ${kib(m.bytes)} ${kib(m.gzip)}`);
  if (worker.modules.length > 1) console.log(`${"all modules".padEnd(40)} ${kib(total)}`);
  console.log(`${"bare Worker (fetch(upstream))".padEnd(40)} ${kib(bare.modules[0]!.bytes)} ${kib(bare.modules[0]!.gzip)}`);
  const verdict = entry.bytes <= TARGET_KIB * 1024 ? "PASS" : "MISS";
  console.log(`${"target (the entry module)".padEnd(40)} ${kib(TARGET_KIB * 1024)}   ${verdict}\n`);
  console.log("By input (bytes in the output, all modules):");
  for (const [group, bytes] of byGroup(worker.inputs)) if (bytes >= 512) console.log(`  ${group.padEnd(38)} ${kib(bytes)}`);
}

if (import.meta.main) await main();
