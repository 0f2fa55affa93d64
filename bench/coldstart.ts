// Cold start in workerd: what a new isolate pays before its first response, for the Worker's
// bundle (as `wrangler deploy --dry-run` builds it) against a bare Worker, plus the experiment
// behind docs/performance.md "Script size": does workerd skip a module that is in the bundle but
// only reached by a dynamic import() that never runs?
//
// Each sample is one `workerd serve` process with COPIES copies of a variant (each its own
// isolate, its own socket), timed from spawn until every copy has answered one request; workerd
// compiles every Worker at startup, so COPIES amplifies the per-isolate cost above the process's
// own startup. Rounds interleave the variants; the median is kept. Also reported: the workerd
// process's CPU time (/proc, 10 ms ticks), steadier than wall time on a shared machine.
// `npm run bench:coldstart`; a report, not a test.
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { dryRunInto } from "./size.ts";

const ROOT = resolve(import.meta.dirname, "..");
const WORKERD = join(ROOT, "node_modules", "workerd", "bin", "workerd");
const COPIES = Number(process.env.BENCH_COPIES ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SAMPLE_TIMEOUT_MS = 30_000;

interface Module {
  readonly name: string;
  /** Relative to the capnp file (capnp reads an absolute embed path from its import roots). */
  readonly file: string;
  readonly kind: "esModule" | "text";
}

interface Variant {
  readonly name: string;
  readonly modules: readonly Module[];
  readonly bindings?: string;
  /** The first request's path: one that needs no upstream. */
  readonly path: string;
}

const RESPOND = 'export default { fetch: () => new Response("ok") };\n';
const VENDOR_STATIC = 'import { use } from "./vendor.js";\nexport default { fetch: (r) => r.url.endsWith("/never") ? new Response(String(use("x"))) : new Response("ok") };\n';
const VENDOR_DYNAMIC = 'export default { fetch: async (r) => r.url.endsWith("/never") ? new Response(String((await import("./vendor.js")).use("x"))) : new Response("ok") };\n';
const SCRIPT_ONLY = 'import worker from "./switchyard.js";\nexport default { fetch: () => new Response(typeof worker) };\n';
// The four dependencies a first request rarely needs, bundled as one ESM module.
const VENDOR_SOURCE = `import * as z from "zod/mini"; import { parseDocument } from "yaml"; import { parse as toml } from "smol-toml"; import { RE2JS } from "re2js";
const schema = z.strictObject({ a: z.optional(z.string()) });
export const use = (s) => [schema.safeParse(parseDocument(s).toJS()), toml(s), RE2JS.compile(s)];\n`;

function capnp(variant: Variant, firstPort: number): string {
  const worker = (i: number) => {
    const modules = variant.modules.map((m) => `(name = "${m.name}", ${m.kind} = embed "${m.file}")`).join(", ");
    const bindings = variant.bindings ? `, bindings = [ ${variant.bindings} ]` : "";
    return `const w${i} :Workerd.Worker = ( modules = [ ${modules} ], compatibilityDate = "2026-11-01", compatibilityFlags = ["enable_request_signal"]${bindings} );`;
  };
  const copies = Array.from({ length: COPIES }, (_, i) => i);
  const services = copies.map((i) => `(name = "w${i}", worker = .w${i})`).join(", ");
  const sockets = copies.map((i) => `(name = "s${i}", address = "127.0.0.1:${firstPort + i}", http = (), service = "w${i}")`).join(", ");
  return `using Workerd = import "/workerd/workerd.capnp";\nconst config :Workerd.Config = ( services = [ ${services} ], sockets = [ ${sockets} ] );\n${copies.map(worker).join("\n")}\n`;
}

/** utime + stime of `pid` in ms (Linux; NaN elsewhere). */
async function cpuMs(pid: number): Promise<number> {
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

async function firstAnswer(url: string, deadline: number, alive: () => boolean): Promise<void> {
  for (;;) {
    if (!alive()) throw new Error(`workerd exited before ${url} answered`);
    try {
      await (await fetch(url)).arrayBuffer();
      return;
    } catch (e) {
      if (performance.now() > deadline) throw new Error(`no answer from ${url}: ${String(e)}`);
      await new Promise((r) => setTimeout(r, 2));
    }
  }
}

/** One workerd process with COPIES copies of `variant`: [wall ms, CPU ms] until every copy answered. */
async function sample(dir: string, variant: Variant, port: number): Promise<[number, number]> {
  const config = join(dir, `${variant.name}.capnp`);
  await writeFile(config, capnp(variant, port));
  const t0 = performance.now();
  const child = spawn(WORKERD, ["serve", config], { stdio: ["ignore", "ignore", "inherit"] });
  let running = true;
  const exited = new Promise((r) => child.once("exit", () => r((running = false))));
  try {
    for (let i = 0; i < COPIES; i++) await firstAnswer(`http://127.0.0.1:${port + i}${variant.path}`, t0 + SAMPLE_TIMEOUT_MS, () => running);
    return [performance.now() - t0, await cpuMs(child.pid!)];
  } finally {
    child.kill("SIGKILL");
    await exited;
  }
}

/** The Worker as `wrangler deploy` builds it from the checkout at `root`, into `dir`/`sub`: its modules. */
async function switchyardModules(root: string, dir: string, sub: string): Promise<Module[]> {
  const out = join(dir, sub);
  await dryRunInto(join(root, "wrangler.toml"), out);
  const texts = (await readdir(out)).filter((f) => /\.(ya?ml|toml|json)$/.test(f) && f !== "meta.json");
  return [{ name: "index.js", file: `${sub}/index.js`, kind: "esModule" }, ...texts.map((f) => ({ name: f, file: `${sub}/${f}`, kind: "text" as const }))];
}

async function variants(dir: string): Promise<Variant[]> {
  await build({ stdin: { contents: VENDOR_SOURCE, resolveDir: ROOT, loader: "js" }, bundle: true, minify: true, format: "esm", platform: "neutral", mainFields: ["module", "main"], conditions: ["workerd", "worker", "browser"], outfile: join(dir, "vendor.js"), logLevel: "error" });
  const vendor: Module = { name: "vendor.js", file: "vendor.js", kind: "esModule" };
  const main = async (name: string, source: string): Promise<Module> => {
    await writeFile(join(dir, `${name}.js`), source);
    return { name: "main.js", file: `${name}.js`, kind: "esModule" };
  };
  const scriptOnly = await main("script-only", SCRIPT_ONLY);
  const switchyard = async (label: string, root: string, sub: string): Promise<Variant[]> => {
    const modules = await switchyardModules(root, dir, sub);
    return [
      // CONFIG_SOURCE=file: the bundled demo config, as a cold isolate reads it when KV has none yet.
      { name: `${label}, 1st request`, modules, bindings: SWITCHYARD_ENV, path: "/no-such-route" },
      // The script's own startup: its modules compiled and evaluated, no request handled by it.
      { name: `${label}, script only`, modules: [scriptOnly, ...modules.map((m) => ({ ...m, name: m.name === "index.js" ? "switchyard.js" : m.name }))], path: "/" },
    ];
  };
  // BENCH_COMPARE=<another checkout> (with its node_modules): its Worker too, e.g. the code before a change.
  const compare = process.env.BENCH_COMPARE;
  return [
    { name: "bare", modules: [await main("bare", RESPOND)], path: "/" },
    ...(await switchyard("switchyard", ROOT, "switchyard")),
    ...(compare ? await switchyard("compared", resolve(compare), "compared") : []),
    { name: "vendor static import", modules: [await main("static", VENDOR_STATIC), vendor], path: "/" },
    { name: "vendor dynamic import()", modules: [await main("dynamic", VENDOR_DYNAMIC), vendor], path: "/" },
  ];
}

const SWITCHYARD_ENV = '(name = "CONFIG_SOURCE", text = "file"), (name = "POLL_INTERVAL_MS", text = "5000")';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "switchyard-coldstart-"));
  try {
    const all = await variants(dir);
    const samples = new Map(all.map((v) => [v.name, [] as [number, number][]]));
    let port = 19_400 + Math.floor(Math.random() * 2000);
    for (let round = 0; round < ROUNDS; round++) {
      for (const v of all) {
        samples.get(v.name)!.push(await sample(dir, v, port));
        port += COPIES;
      }
    }
    const sizes = await Promise.all(all.map(async (v) => (await Promise.all(v.modules.map(async (m) => (await readFile(join(dir, m.file))).length))).reduce((a, b) => a + b, 0)));
    const [bareWall, bareCpu] = [median(samples.get("bare")!.map((s) => s[0])), median(samples.get("bare")!.map((s) => s[1]))];
    console.log(`Cold start in workerd: ${COPIES} isolates per process, median of ${ROUNDS} rounds; per isolate = (variant − bare) / ${COPIES}\n`);
    console.log(`${"variant".padEnd(30)} ${"KiB".padStart(7)} ${"wall ms".padStart(9)} ${"cpu ms".padStart(8)} ${"+wall/iso".padStart(10)} ${"+cpu/iso".padStart(9)}`);
    all.forEach((v, i) => {
      const wall = median(samples.get(v.name)!.map((s) => s[0]));
      const cpu = median(samples.get(v.name)!.map((s) => s[1]));
      const row = [(sizes[i]! / 1024).toFixed(1).padStart(7), wall.toFixed(0).padStart(9), cpu.toFixed(0).padStart(8), ((wall - bareWall) / COPIES).toFixed(1).padStart(10), ((cpu - bareCpu) / COPIES).toFixed(1).padStart(9)];
      console.log(`${v.name.padEnd(30)} ${row.join(" ")}`);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
