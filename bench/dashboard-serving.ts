// How the dashboard's files should reach the browser (issue 16: "decide by measuring"): from
// Workers static assets (outside the Worker's script) or inside the script, as Text modules or as
// string literals in the bundle. What each costs the Worker: bytes in the script (the 625 KiB
// budget, test/node/bundle.test.ts) and cold start, since every isolate loads its whole script
// before its first request. Same method as bench/coldstart.ts: COPIES isolates per workerd
// process, timed from spawn until each answered once, median of ROUNDS; per isolate = (variant −
// baseline) / COPIES. `npm run bench:dashboard`; a report, not a test. docs/dashboard.md has the figures.
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { buildDashboard } from "../dashboard/build.mjs";
import { dryRunInto } from "./size.ts";

const ROOT = resolve(import.meta.dirname, "..");
const WORKERD = join(ROOT, "node_modules", "workerd", "bin", "workerd");
const COPIES = Number(process.env.BENCH_COPIES ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const FILES = ["index.html", "app.js", "app.css"];

interface Module {
  readonly name: string;
  readonly file: string;
  readonly kind: "esModule" | "text";
}

function capnp(modules: readonly Module[], firstPort: number): string {
  const worker = (i: number) =>
    `const w${i} :Workerd.Worker = ( modules = [ ${modules.map((m) => `(name = "${m.name}", ${m.kind} = embed "${m.file}")`).join(", ")} ], compatibilityDate = "2026-11-01", compatibilityFlags = ["enable_request_signal"] );`;
  const copies = Array.from({ length: COPIES }, (_, i) => i);
  const services = copies.map((i) => `(name = "w${i}", worker = .w${i})`).join(", ");
  const sockets = copies.map((i) => `(name = "s${i}", address = "127.0.0.1:${firstPort + i}", http = (), service = "w${i}")`).join(", ");
  return `using Workerd = import "/workerd/workerd.capnp";\nconst config :Workerd.Config = ( services = [ ${services} ], sockets = [ ${sockets} ] );\n${copies.map(worker).join("\n")}\n`;
}

async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function sample(dir: string, name: string, modules: readonly Module[], port: number): Promise<[number, number]> {
  const config = join(dir, `${name}.capnp`);
  await writeFile(config, capnp(modules, port));
  const t0 = performance.now();
  const child = spawn(WORKERD, ["serve", config], { stdio: ["ignore", "ignore", "inherit"] });
  try {
    for (let i = 0; i < COPIES; i++) {
      for (;;) {
        try {
          await (await fetch(`http://127.0.0.1:${port + i}/`)).arrayBuffer();
          break;
        } catch {
          if (performance.now() - t0 > 30_000) throw new Error(`${name}: no answer`);
          await new Promise((r) => setTimeout(r, 2));
        }
      }
    }
    return [performance.now() - t0, await cpuMs(child.pid!)];
  } finally {
    child.kill("SIGKILL");
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "switchyard-dashboard-serving-"));
  try {
    const { files } = await buildDashboard({ outdir: join(dir, "dist") });
    await dryRunInto(join(ROOT, "wrangler.toml"), join(dir, "worker"));
    const script = await readFile(join(dir, "worker", "index.js"));
    const texts: Module[] = FILES.map((f) => ({ name: `dash/${f}`, file: `dist/${f}`, kind: "text" }));
    // The script and its own text modules (the bundled demo config).
    const ownTexts = (await readdir(join(dir, "worker"))).filter((f) => /\.(ya?ml|toml)$/.test(f)).map((f): Module => ({ name: f, file: `worker/${f}`, kind: "text" }));
    const worker: Module[] = [{ name: "switchyard.js", file: "worker/index.js", kind: "esModule" }, ...ownTexts];
    const contents = await Promise.all(FILES.map((f) => readFile(join(dir, "dist", f), "utf8")));
    const inlined = `export const files = {${FILES.map((f, i) => `${JSON.stringify(f)}: ${JSON.stringify(contents[i])}`).join(", ")}};\n`;
    await writeFile(join(dir, "inlined.js"), inlined);
    const main = async (name: string, source: string): Promise<Module> => {
      await writeFile(join(dir, `${name}.js`), source);
      return { name: "main.js", file: `${name}.js`, kind: "esModule" };
    };
    const variants: [string, Module[]][] = [
      ["assets (script unchanged)", [await main("assets", 'import w from "./switchyard.js";\nexport default { fetch: () => new Response(typeof w) };\n'), ...worker]],
      ["text modules", [await main("text", `import w from "./switchyard.js";\n${FILES.map((f, i) => `import t${i} from "./dash/${f}";`).join("\n")}\nexport default { fetch: () => new Response(typeof w + (t0.length + t1.length + t2.length)) };\n`), ...worker, ...texts]],
      ["string literals in the bundle", [await main("inline", 'import w from "./switchyard.js";\nimport { files } from "./inlined.js";\nexport default { fetch: () => new Response(typeof w + Object.keys(files).length) };\n'), ...worker, { name: "inlined.js", file: "inlined.js", kind: "esModule" }]],
    ];
    const samples = new Map(variants.map(([n]) => [n, [] as [number, number][]]));
    let port = 21_400 + Math.floor(Math.random() * 2000);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, modules] of variants) {
        samples.get(name)!.push(await sample(dir, name.replace(/\W+/g, "-"), modules, port));
        port += COPIES;
      }
    }
    const dashBytes = files.reduce((a, f) => a + f.bytes, 0);
    const dashGzip = files.reduce((a, f) => a + f.gzip, 0);
    console.log(`Worker script: ${(script.length / 1024).toFixed(1)} KiB minified (${(gzipSync(script).length / 1024).toFixed(1)} KiB gzipped)`);
    console.log(`Dashboard files: ${(dashBytes / 1024).toFixed(1)} KiB (${(dashGzip / 1024).toFixed(1)} KiB gzipped): ${files.map((f) => `${f.name} ${(f.bytes / 1024).toFixed(1)}`).join(", ")}`);
    console.log(`\nCold start in workerd: ${COPIES} isolates per process, median of ${ROUNDS} rounds\n`);
    const [baseWall, baseCpu] = [median(samples.get(variants[0]![0])!.map((s) => s[0])), median(samples.get(variants[0]![0])!.map((s) => s[1]))];
    console.log(`${"variant".padEnd(32)} ${"+script KiB".padStart(11)} ${"wall ms".padStart(8)} ${"cpu ms".padStart(7)} ${"+wall/iso".padStart(10)} ${"+cpu/iso".padStart(9)}`);
    for (const [name] of variants) {
      const wall = median(samples.get(name)!.map((s) => s[0]));
      const cpu = median(samples.get(name)!.map((s) => s[1]));
      const extra = name.startsWith("assets") ? 0 : name.startsWith("text") ? dashBytes : Buffer.byteLength(inlined);
      console.log(`${name.padEnd(32)} ${(extra / 1024).toFixed(1).padStart(11)} ${wall.toFixed(0).padStart(8)} ${cpu.toFixed(0).padStart(7)} ${((wall - baseWall) / COPIES).toFixed(1).padStart(10)} ${((cpu - baseCpu) / COPIES).toFixed(1).padStart(9)}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
