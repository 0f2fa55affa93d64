// `node bench/load.ts` (part of `npm run bench`): a cold isolate's config load, in Node, phase by
// phase, at 10, 1,000 and 10,000 routers: from the config store's load facts (what isolates do
// now) against full validation (what they did before, and still do for a snapshot written by
// hand). Each load runs in a fresh process, as each isolate loads once, in code not yet optimized;
// the process's CPU time (process.cpuUsage, all threads), medians of BENCH_ROUNDS processes (default 5).
// Targets (issue 14): 10,000 routers ≤ 25 ms of CPU, 10 routers ≤ 2 ms. A report: exits 0.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { benchConfig } from "./config.ts";

const run = promisify(execFile);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TARGET_MS: Record<number, number> = { 10: 2, 10000: 25 };

type Mode = "facts" | "full";

/** One load's phases, CPU ms. */
interface LoadSample {
  /** Hash check, decode (and, validating, the bounds check). */
  readonly parse: number;
  readonly validate: number;
  readonly build: number;
  /** The load: parse + validate + build. */
  readonly load: number;
  /** The first request's match (building the routes it reaches, for a load from facts). */
  readonly first: number;
}

export interface LoadPhases {
  readonly size: number;
  readonly facts: string;
  readonly full: string;
  readonly factsLoad: number;
  readonly fullLoad: number;
}

/**
 * The process's CPU time, ms, every thread (V8's background compilers and GC helpers too: an upper
 * bound of the isolate's own). Linux keeps a thread's own CPU time (threadCpuUsage) in scheduler
 * ticks, too coarse for a 2 ms target; the process total is exact.
 */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** In the child: one cold load from the files `prepare` wrote. Prints `RESULT {…}`. */
async function child(dir: string, mode: Mode): Promise<void> {
  const canonical = await readFile(join(dir, "config.json"), "utf8");
  const factsText = await readFile(join(dir, "facts.json"), "utf8");
  const hit = await readFile(join(dir, "hit.txt"), "utf8");
  const { trustFacts } = await import("../worker/compile/facts.ts");
  const { compileSnapshot, snapshotFromFacts } = await import("../worker/compile/snapshot.ts");
  const { validateConfig } = await import("../worker/config/index.ts");
  const { viewFromDescription } = await import("../worker/rules/index.ts");
  const { configDecoder, checkBounds } = await import("../worker/config/index.ts");
  const { sha256Hex } = await import("../providers/store/hash.ts");
  const meta = { version: 1, sha256: "bench", source: "bench", provider: "kv", warnings: [] };
  // As providers/store/ref.ts verifySnapshot and the runtime's decoder read a snapshot: its hash
  // checked, its text decoded (bounds left to the listener, which checks them on the full path).
  const decode = configDecoder("auto", { bounds: false });
  // Node loads its Web Crypto on first use (tens of ms); workerd's is built in: not a load's cost.
  await sha256Hex("warm-up");
  const t0 = cpu();
  await sha256Hex(canonical);
  const decoded = decode(canonical);
  if (!decoded.ok) throw new Error(decoded.error);
  const config: unknown = decoded.value;
  const facts: unknown = mode === "facts" ? JSON.parse(factsText) : undefined;
  if (mode === "full" && checkBounds(config)) throw new Error("bounds");
  const t1 = cpu();
  let snapshot;
  let t2: number;
  if (mode === "facts") {
    const trusted = trustFacts(facts, "bench", "v3", config);
    if (!trusted) throw new Error("facts not trusted");
    t2 = cpu();
    snapshot = snapshotFromFacts(config as never, { ...meta, warnings: trusted.warnings }, null, trusted.index, undefined, "v3", trusted.tree);
  } else {
    const valid = validateConfig(config);
    if (!valid.ok) throw new Error(valid.errors[0]!.message);
    t2 = cpu();
    const compiled = compileSnapshot(valid.config, meta, null, valid.rules);
    if (!compiled.ok) throw new Error(compiled.errors[0]!.message);
    snapshot = compiled.snapshot;
  }
  const t3 = cpu();
  const route = snapshot.muxer.match(viewFromDescription({ method: "GET", url: hit, headers: {} }));
  const t4 = cpu();
  if (!route) throw new Error(`${hit} matched nothing`);
  const sample: LoadSample = { parse: t1 - t0, validate: t2 - t1, build: t3 - t2, load: t3 - t0, first: t4 - t3 };
  console.log(`RESULT ${JSON.stringify(sample)}`);
}

/** In the parent: the config as the store publishes it (canonical text, load facts) in files. */
async function prepare(size: number): Promise<string> {
  const { validateConfig, canonicalJSON } = await import("../worker/config/index.ts");
  const { checkConfig } = await import("../worker/compile/check.ts");
  const { publishedFacts } = await import("../worker/compile/facts.ts");
  const { NO_INTERNAL_SERVICES } = await import("../worker/compile/internal.ts");
  const { config, hit } = benchConfig(size, (i) => [`http://10.0.${i % 250}.1:8080`, `http://10.1.${i % 250}.1:8080`]);
  const valid = validateConfig(config);
  if (!valid.ok) throw new Error(valid.errors[0]!.message);
  const checked = checkConfig(valid.config, { internal: NO_INTERNAL_SERVICES, rules: valid.rules });
  if (!checked.ok) throw new Error(checked.errors[0]!.message);
  const dir = await mkdtemp(join(tmpdir(), "switchyard-load-"));
  const canonical = canonicalJSON(valid.config);
  await writeFile(join(dir, "config.json"), canonical);
  await writeFile(join(dir, "facts.json"), publishedFacts("bench", canonical, checked.routes, valid.warnings, "v3"));
  await writeFile(join(dir, "hit.txt"), hit);
  return dir;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

async function samples(dir: string, mode: Mode): Promise<LoadSample[]> {
  const out: LoadSample[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const { stdout } = await run(process.execPath, [fileURLToPath(import.meta.url), "child", dir, mode], { timeout: 60_000 });
    const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (!line) throw new Error(`no result from a ${mode} load`);
    out.push(JSON.parse(line.slice(7)) as LoadSample);
  }
  return out;
}

const show = (s: readonly LoadSample[]) => {
  const m = (k: keyof LoadSample) => median(s.map((x) => x[k])).toFixed(1);
  return `load ${m("load").padStart(6)} (parse ${m("parse")}, validate ${m("validate")}, build ${m("build")}) + first match ${m("first")}`;
};

/** Both ways at one size, in fresh processes (ROUNDS each, interleaved by mode). */
export async function loadPhases(size: number): Promise<LoadPhases> {
  const dir = await prepare(size);
  try {
    const facts = await samples(dir, "facts");
    const full = await samples(dir, "full");
    return { size, facts: show(facts), full: show(full), factsLoad: median(facts.map((s) => s.load)), fullLoad: median(full.map((s) => s.load)) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`\nconfig load, cold, Node ${process.version} (process CPU ms, median of ${ROUNDS} fresh processes each)`);
  for (const size of [10, 1000, 10000]) {
    const p = await loadPhases(size);
    const target = TARGET_MS[size];
    const verdict = target === undefined ? "" : `   target <= ${target} ms: ${p.factsLoad <= target ? "met" : "NOT met"}`;
    console.log(`${String(size).padStart(6)} routers  from facts:      ${p.facts}`);
    console.log(`${"".padStart(14)}full validation: ${p.full}`);
    console.log(`${"".padStart(14)}baseline/facts: ${(p.fullLoad / p.factsLoad).toFixed(1)}x less CPU${verdict}`);
  }
}

const [, , what, dir, mode] = process.argv;
if (what === "child") await child(dir!, mode as Mode);
else if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
