// `npm run bench:cli`: how long `switchyard validate` takes from the shell, the bundle
// (cli/dist/switchyard.mjs, what `node cli/bin.mjs` runs once it is built) against the baseline,
// the TypeScript sources through type stripping without the compile cache (SWITCHYARD_CLI=sources,
// NODE_DISABLE_COMPILE_CACHE=1: the CLI as it was), in the same run,
// interleaved. Wall time of the whole process (spawn to exit), median of BENCH_CLI_RUNS (default 7).
// Then where the time of a 10,000-router validate goes, phase by phase, in fresh processes.
// A report, not a test: it exits 0 whether the targets are met or not, 1 if a run gives a wrong answer.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { benchConfig } from "./config.ts";

const ROOT = join(import.meta.dirname, "..");
const RUNS = Math.max(1, Number(process.env.BENCH_CLI_RUNS ?? 7));
const TIMEOUT_MS = 60_000;
const NODE = process.execPath;
const BIN = join(ROOT, "cli/bin.mjs");

/** The 10,000-router config of bench/case.ts (runLoad): 500 services, two servers each. */
function bigConfig(size: number): unknown {
  return benchConfig(size, (i) => [`http://10.0.${i % 250}.1:8080`, `http://10.1.${i % 250}.1:8080`]).config;
}

interface Case {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  /** What stdout must contain (a wrong answer fails the bench). */
  readonly expect: string;
}

/**
 * Node processes report their own CPU time (all threads, user + system) as they exit: on a shared
 * machine wall time includes waiting for a core, CPU time does not. NODE_OPTIONS reaches the node
 * that npx starts too, and npm's own node, so npx rows report no CPU figure.
 */
const CPU_REPORT = `--import=data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("\\nCPU_MS "+(u.user+u.system)/1000+"\\n")})`;

interface Sample {
  readonly wall: number;
  readonly cpu: number | null;
}

function runOnce(c: Case): Sample {
  const args = c.command === NODE ? [CPU_REPORT, ...c.args] : c.args;
  const start = performance.now();
  const r = spawnSync(c.command, args, { cwd: ROOT, env: { ...process.env, ...c.env }, encoding: "utf8", timeout: TIMEOUT_MS });
  const wall = performance.now() - start;
  if (r.status !== 0 || !r.stdout.includes(c.expect)) {
    console.error(`${c.label}: exit ${r.status ?? r.signal}, expected "${c.expect}" in stdout\n${r.stdout}\n${r.stderr}`);
    process.exit(1);
  }
  const cpu = /CPU_MS ([\d.]+)/.exec(r.stderr);
  return { wall, cpu: cpu ? Number(cpu[1]) : null };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

/** Each case once per round, rounds interleaved, so a slow spell of the machine hits all alike. */
function measure(cases: readonly Case[]): Map<string, Sample[]> {
  const samples = new Map(cases.map((c) => [c.label, [] as Sample[]]));
  for (const c of cases) runOnce(c); // warm the file cache (and npx's)
  for (let round = 0; round < RUNS; round++) for (const c of cases) samples.get(c.label)!.push(runOnce(c));
  return samples;
}

/** In a child: `cli.ts --phases FILE`, the validate pipeline timed step by step, cold. */
async function phases(file: string): Promise<void> {
  const t0 = performance.now();
  const { parseConfigText, validateConfig } = await import("../worker/config/index.ts");
  const { checkConfig } = await import("../worker/compile/check.ts");
  const { apiInternalServices } = await import("../worker/api/internal.ts");
  const t1 = performance.now();
  const text = readFileSync(file, "utf8");
  const t2 = performance.now();
  const parsed = parseConfigText(text, file.endsWith(".json") ? "json" : "yaml");
  const t3 = performance.now();
  if (!parsed.ok) throw new Error(`parse: ${parsed.error[0]?.message}`);
  const valid = validateConfig(parsed.value);
  const t4 = performance.now();
  if (!valid.ok) throw new Error(`validate: ${valid.errors[0]?.path}: ${valid.errors[0]?.message}`);
  const checked = checkConfig(valid.config, { rules: valid.rules, internal: apiInternalServices });
  const t5 = performance.now();
  if (!checked.ok) throw new Error(`check: ${checked.errors[0]?.message}`);
  console.log(JSON.stringify({ import: t1 - t0, read: t2 - t1, parse: t3 - t2, validate: t4 - t3, check: t5 - t4 }));
}

async function report(): Promise<void> {
  const { buildCli } = await import("../cli/build.mjs");
  const built = await buildCli();
  const dir = mkdtempSync(join(tmpdir(), "switchyard-bench-cli-"));
  try {
    const config = bigConfig(10_000);
    const yaml = join(dir, "routers-10k.yaml");
    const json = join(dir, "routers-10k.json");
    writeFileSync(yaml, (await import("yaml")).stringify(config));
    writeFileSync(json, JSON.stringify(config));
    console.log(`switchyard validate, per process (spawn to exit), median of ${RUNS} interleaved runs; load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    console.log(`bundle: ${built.bundle} (${built.inputs.length} sources, built in ${built.ms} ms); baseline: the same command with SWITCHYARD_CLI=sources NODE_DISABLE_COMPILE_CACHE=1`);
    // The baseline is the CLI as it was: the sources, and no compile cache (bin.mjs turns it on now).
    const BASELINE = { SWITCHYARD_CLI: "sources", NODE_DISABLE_COMPILE_CACHE: "1" };
    const validate = (name: string, file: string, routers: number, how: "node" | "npx", sources: boolean): Case => ({
      label: `${how} ${name} ${sources ? "sources" : "bundle"}`,
      command: how === "node" ? NODE : "npx",
      args: how === "node" ? [BIN, "validate", file] : ["switchyard", "validate", file],
      env: sources ? BASELINE : {},
      expect: `valid (${routers} routers`,
    });
    const row = (figure: string, name: string, file: string, routers: number, how: "node" | "npx", target: number | null) => ({
      figure,
      target,
      bundle: validate(name, file, routers, how, false),
      baseline: validate(name, file, routers, how, true),
    });
    const rows = [
      row("`node cli/bin.mjs validate examples/demo.yaml`", "demo", "examples/demo.yaml", 2, "node", 250),
      row("`node cli/bin.mjs validate` 10,000 routers, YAML", "10k.yaml", yaml, 10_000, "node", 1000),
      row("`node cli/bin.mjs validate` 10,000 routers, JSON", "10k.json", json, 10_000, "node", 1000),
      row("`npx switchyard validate examples/demo.yaml`", "demo", "examples/demo.yaml", 2, "npx", null),
    ];
    const floors: Case[] = [
      { ...validate("demo", "examples/demo.yaml", 2, "node", false), label: "node demo bundle, no compile cache", env: { NODE_DISABLE_COMPILE_CACHE: "1" } },
      { label: "node -e", command: NODE, args: ["-e", "console.log('ok')"], expect: "ok" },
      { label: "npx node -e", command: "npx", args: ["node", "-e", "console.log('ok')"], expect: "ok" },
    ];
    const samples = measure([...rows.flatMap((r) => [r.bundle, r.baseline]), ...floors]);
    const wall = (c: Case) => median(samples.get(c.label)!.map((s) => s.wall));
    const cpu = (c: Case) => {
      const xs = samples.get(c.label)!.flatMap((s) => (s.cpu === null ? [] : [s.cpu]));
      return xs.length ? ` (CPU ${fmt(median(xs))})` : "";
    };
    console.log("\n| figure | bundle | baseline: sources | target |\n|---|---|---|---|");
    for (const r of rows) {
      const verdict = r.target === null ? "—" : `≤ ${fmt(r.target)}: ${wall(r.bundle) <= r.target ? "PASS" : "MISS"}`;
      console.log(`| ${r.figure} | ${fmt(wall(r.bundle))}${cpu(r.bundle)} | ${fmt(wall(r.baseline))}${cpu(r.baseline)}, ×${(wall(r.baseline) / wall(r.bundle)).toFixed(1)} | ${verdict} |`);
    }
    const [noCache, node, npx] = floors as [Case, Case, Case];
    console.log(`\ndemo through the bundle without Node's compile cache: ${fmt(wall(noCache))}${cpu(noCache)}`);
    console.log(`floors: \`node -e\` ${fmt(wall(node))}${cpu(node)}; \`npx node -e\` ${fmt(wall(npx))}: npx's own cost, paid by any npx command`);
    for (const [label, xs] of samples) console.log(`  spread ${label}: wall ${xs.map((x) => Math.round(x.wall)).join(" ")}${xs[0]?.cpu === null ? "" : `; CPU ${xs.map((x) => Math.round(x.cpu ?? 0)).join(" ")}`}`);

    console.log("\nwhere a cold 10,000-router validate spends its time (sources, fresh process each, median of 3):");
    for (const file of [yaml, json]) {
      const runs = Array.from({ length: 3 }, () => {
        const r = spawnSync(NODE, [import.meta.filename, "--phases", file], { encoding: "utf8", timeout: TIMEOUT_MS });
        if (r.status !== 0) throw new Error(`phases ${file}: ${r.stderr}`);
        return JSON.parse(r.stdout) as Record<string, number>;
      });
      const keys = Object.keys(runs[0]!);
      console.log(`  ${file.endsWith(".json") ? "JSON" : "YAML"}: ${keys.map((k) => `${k} ${fmt(median(runs.map((r) => r[k]!)))}`).join(", ")}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--phases") await phases(process.argv[3]!);
else await report();
