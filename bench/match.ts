// `npm run bench`: route-matching cost of Switchyard's rule engine against itty-router, hono and
// find-my-way, with `new URL()` and `Map.get` as the floor. See bench/README.md.
//
// 1. Sanity: our muxer must route every request of every size as the generator intends and as a
//    brute-force linear scan does; otherwise exit 1 (never benchmark a broken matcher).
// 2. Each (implementation, size) runs in its own process (bench/case.ts), one after the other,
//    with a time budget and a hard timeout.
// 3. Print ns/op medians, ratios, compile time and heap, and PASS/MISS per target. Exit 0.

import { spawnSync } from "node:child_process";
import { availableParallelism, cpus, loadavg } from "node:os";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildMuxer } from "../worker/rules/index.ts";
import type { CaseResult, CompileResult, LoadResult } from "./case.ts";
import { checkOurs, compileRoutes, IMPLS, tables, type ImplId } from "./impls.ts";

const SIZES = [10, 1_000, 10_000] as const;
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 1000);
const FLOOR_BUDGET_MS = Math.min(BUDGET_MS, 600);
/** Hard limit per child process; a case that exceeds it is reported, not waited for. */
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 45_000);
const CASE = fileURLToPath(new URL("./case.ts", import.meta.url).href);

const ORDER: ImplId[] = ["ours", "ours-url", "ours-match", "find-my-way", "hono-trie", "hono-regexp", "itty-scan", "itty-fetch", "url", "map"];

/**
 * V8 in each case process is set up as workerd sets it up: workerd asks V8 for its default worker
 * pool (jsg/setup.c++, NewDefaultPlatform(0)): one thread per processor but one, 1 to 16, where
 * Node starts 4 whatever the machine. On 2 cores, Node's 4 background threads (compilers, GC
 * helpers) would take turns on the core the measured code runs on.
 */
const V8_POOL = Math.max(1, Math.min(16, availableParallelism() - 1));

// --- 1. sanity ------------------------------------------------------------------------------------

for (const size of SIZES) {
  const t = tables(size);
  let problem: string | null;
  try {
    const routes = compileRoutes(t.routes);
    problem = checkOurs(buildMuxer(routes), routes, t.requests);
  } catch (e) {
    problem = `the engine threw: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (problem !== null) {
    console.error(`SANITY FAILED at ${size} routers: ${problem}`);
    process.exit(1);
  }
}
/** Other people edit the engine while benchmarks run: tie the numbers to the code they measured. */
const RULES_DIR = fileURLToPath(new URL("../worker/rules/", import.meta.url).href);
const engineHash = () => {
  const h = createHash("sha256");
  const files = readdirSync(RULES_DIR, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  for (const f of files.sort()) h.update(f).update(readFileSync(RULES_DIR + f));
  return h.digest("hex").slice(0, 12);
};
const ENGINE = engineHash();
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");
console.log(`sanity: our muxer routes all requests as intended and as a linear scan by priority does, at ${SIZES.join(", ")} routers`);
for (const size of [10, 10_000]) {
  const t = tables(size);
  const kinds = new Map<string, number>();
  for (const r of t.routes) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
  console.log(`table @${size.toLocaleString("en-US")}: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(", ")}`);
}
{
  const t = tables(10_000);
  const misses = t.requests.filter((q) => q.expected === null).length;
  console.log(`requests: ${t.requests.length} per size (${misses} misses @10,000), replayed in order; peers get GET /svc{i}/users/{id} twins`);
  console.log(`engine worker/rules/**/*.ts sha256 ${ENGINE}; node ${process.version} (V8 pool ${V8_POOL}, as workerd), ${cpus().length} CPUs, load average ${load()}; budget ${BUDGET_MS} ms per case (floors ${FLOOR_BUDGET_MS} ms)\n`);
}

// --- 2. cases -------------------------------------------------------------------------------------

function child(args: string[]): { result?: CaseResult | CompileResult | LoadResult; error?: string } {
  const r = spawnSync(process.execPath, ["--expose-gc", `--v8-pool-size=${V8_POOL}`, CASE, ...args], { encoding: "utf8", timeout: TIMEOUT_MS, maxBuffer: 1 << 24 });
  const line = r.stdout?.split("\n").find((l) => l.startsWith("RESULT "));
  if (line) return { result: JSON.parse(line.slice(7)) };
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT") return { error: `timeout > ${TIMEOUT_MS / 1000} s` };
  const lines = (r.stderr ?? "").split("\n").map((l) => l.trim());
  return { error: lines.find((l) => /^[A-Za-z]*Error\b/.test(l)) ?? (lines.filter(Boolean).at(-1) || `exit ${r.status}`) };
}

type Cell = CaseResult | { error: string };
/** Every run of a cell: the target cells run ROUNDS times, interleaved, the others once. */
const runs = new Map<string, Cell[]>();
const key = (id: ImplId, size: number) => `${id}@${size}`;
const KEY_CELLS: [ImplId, number][] = [
  ["ours", 10],
  ["ours", 10_000],
  ["find-my-way", 10_000],
];
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));

function runCell(id: ImplId, size: number): void {
  const budget = id === "url" || id === "map" ? FLOOR_BUDGET_MS : BUDGET_MS;
  const { result, error } = child([id, String(size), String(budget)]);
  const r: Cell = (result as CaseResult | undefined) ?? { error: error! };
  if ("problem" in r && r.problem) {
    console.error(`\nSETUP CHECK FAILED for ${IMPLS[id]} at ${size}: ${r.problem}`);
    process.exit(1);
  }
  runs.set(key(id, size), [...(runs.get(key(id, size)) ?? []), r]);
  process.stderr.write(".");
}

// Compile: fresh processes (at least 5: a cold build swings with the JIT threads' luck), keeping
// the one with the median cold time. They run between the sweeps and rounds below, as the target
// cells' rounds do, so that a slow spell of the machine moves one of them, not the median.
const COMPILE_ROUNDS = Math.max(5, ROUNDS);
const compiles: CompileResult[] = [];
let compileError = "";
let compileRuns = 0;
// A whole config's cold load, for orientation (not a target): a few rounds, alongside.
const LOAD_ROUNDS = 3;
const loads: LoadResult[] = [];
let loadError = "";
function runCompile(): void {
  if (compileRuns >= COMPILE_ROUNDS) return;
  compileRuns++;
  const { result, error } = child(["compile", "10000"]);
  if (result) compiles.push(result as CompileResult);
  else compileError = error!;
  process.stderr.write(".");
  if (loads.length >= LOAD_ROUNDS || loadError) return;
  const load = child(["load", "10000"]);
  if (load.result) loads.push(load.result as LoadResult);
  else loadError = load.error!;
  process.stderr.write(".");
}

const started = Date.now();
for (const size of SIZES) {
  for (const id of ORDER) runCell(id, size);
  runCompile();
}
// Extra rounds of the target cells, interleaved, so a burst of load moves one round, not the verdict.
for (let r = 1; r < ROUNDS; r++) {
  for (const [id, size] of KEY_CELLS) runCell(id, size);
  runCompile();
}
while (compileRuns < COMPILE_ROUNDS) runCompile();
process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(0)} s, load average now ${load()}\n\n`);
if (engineHash() !== ENGINE) console.log("WARNING: worker/rules changed during the run; cells may mix two versions of the engine\n");

// --- 3. report ------------------------------------------------------------------------------------

/** Wall-clock median over batches (the specified figure), or main-thread CPU time per op. */
type Metric = "median" | "cpuMean";
const measured = (id: ImplId, size: number): CaseResult[] =>
  (runs.get(key(id, size)) ?? []).filter((r): r is CaseResult => "median" in r && r.median !== undefined);
/** The median over rounds (lower middle when even) of a cell's metric, or null. */
function value(id: ImplId, size: number, m: Metric): number | null {
  const xs = measured(id, size).map((r) => r[m]!).sort((a, b) => a - b);
  return xs.length === 0 ? null : xs[(xs.length - 1) >> 1]!;
}
const lowestShare = (id: ImplId, size: number): number | null => {
  const xs = measured(id, size).map((r) => r.cpuShare!);
  return xs.length === 0 ? null : Math.min(...xs);
};

const ns = (x: number) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(1));
const ratio = (x: number) => (x >= 100 ? `${Math.round(x).toLocaleString("en-US")}×` : x >= 10 ? `${x.toFixed(0)}×` : `${x.toFixed(2)}×`);
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const pct = (x: number) => `${Math.round(x * 100)}%`;

function cell(id: ImplId, size: number, m: Metric): string {
  const v = value(id, size, m);
  if (v === null) {
    const r = runs.get(key(id, size))?.[0];
    if (!r) return "—";
    if ("error" in r) return "failed (see below)";
    return r.skipped ? `skipped (${r.skipped})` : "—";
  }
  const fmw = value("find-my-way", size, m);
  return fmw === null ? ns(v) : `${ns(v)}  ${ratio(v / fmw)}`;
}

function table(m: Metric, title: string, extra: (id: ImplId) => string[], extraHeader: string[]): void {
  const header = [title, ...SIZES.map((s) => `${s.toLocaleString("en-US")} routers`), "10k/10", ...extraHeader];
  const rows = ORDER.map((id) => {
    const a = value(id, 10, m);
    const b = value(id, 10_000, m);
    return [IMPLS[id], ...SIZES.map((s) => cell(id, s, m)), a !== null && b !== null ? ratio(b / a) : "—", ...extra(id)];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
}

const buildAt10k = (id: ImplId): string => {
  const r = runs.get(key(id, 10_000))?.find((x): x is CaseResult => "buildMs" in x);
  return id === "url" || !r ? "—" : `${ms(r.buildMs)} ms`;
};
const shareOf = (id: ImplId): string => {
  const xs = SIZES.map((s) => lowestShare(id, s)).filter((x): x is number => x !== null);
  return xs.length === 0 ? "—" : pct(Math.min(...xs));
};
table("median", "wall ns/op (× find-my-way)", (id) => [buildAt10k(id), shareOf(id)], ["build @10k", "CPU share"]);
console.log(`
Medians over batches of ~1 ms, one fresh process per cell; target cells: median of ${ROUNDS} rounds.
Ours: the Traefik table (Host, HostRegexp, PathPrefix, PathRegexp, Header, Method); peers: the
path-only table GET /svc{i}/users/:id. "view+match" = viewFromRequest(request, clientIP, url) +
muxer.match(), as worker/router.ts calls it (worker/index.ts has parsed the URL); "new URL+view+
match" parses it too; "match only" reuses views whose lazy fields are cached. itty "route scan" =
fetch()'s own loop over router.routes (itty has no lookup call); itty fetch() adds new URL(),
query parsing and an await. Build = router construction in a fresh process (ours: compileRule +
defaultPriority + buildMuxer; hono RegExpRouter: add + first match, which compiles it).
CPU share = main-thread CPU time / wall time while timing (lowest over the row): below ~90% other
processes were taking the cores and wall times are inflated; then read the CPU-time table.
`);
table("cpuMean", "CPU ns/op, mean (× fmw)", () => [], []);

console.log(`\nspread: wall p25–p75 ns/op (batches × ops per batch) [wall medians of the rounds]:`);
for (const id of ORDER) {
  const parts = SIZES.map((s) => {
    const rs = measured(id, s);
    const mid = [...rs].sort((a, b) => a.median! - b.median!)[(rs.length - 1) >> 1];
    if (!mid) return "—";
    return `${ns(mid.p25!)}–${ns(mid.p75!)} (${mid.batches}×${mid.opsPerBatch})${rs.length > 1 ? ` [${rs.map((r) => ns(r.median!)).join(", ")}]` : ""}`;
  });
  console.log(`  ${IMPLS[id].padEnd(33)} ${parts.join("   ")}`);
}
for (const [k, rs] of runs) for (const r of rs) if ("error" in r) console.log(`${k} failed: ${r.error}`);

const coldMs = (x: CompileResult) => x.coldCompileMs + x.coldMuxMs;
// In the order they ran, with each process's warm rebuild: a slow spell of the machine shows in
// both. Then sorted for the median.
const compileOrder = `${compiles.map((x) => ms(coldMs(x))).join(", ")} ms (warm ${compiles.map((x) => ms(x.warmCompileMs + x.warmMuxMs)).join(", ")})`;
compiles.sort((a, b) => coldMs(a) - coldMs(b));
const c: CompileResult | null = compiles[(compiles.length - 1) >> 1] ?? null;
if (c) {
  console.log(`
compile @10,000 routers, fresh process (median of ${compiles.length}; cold times in the order they ran: ${compileOrder}):
  cold: compileRule ×10,000 ${ms(c.coldCompileMs)} ms + buildMuxer ${ms(c.coldMuxMs)} ms = ${ms(coldMs(c))} ms wall, ${ms(c.coldCpuMs)} ms main-thread CPU, of which GC pauses ${ms(c.coldGcMs)} ms
  warm rebuild: ${ms(c.warmCompileMs)} + ${ms(c.warmMuxMs)} = ${ms(c.warmCompileMs + c.warmMuxMs)} ms;  defaultPriority ×10,000 (not in the target): ${ms(c.coldPriorityMs)} ms cold
  heap retained by compiled rules + muxer: ${c.heapMB === null ? "n/a (run node with --expose-gc)" : `${c.heapMB.toFixed(1)} MB`}`);
} else {
  console.log(`\ncompile @10,000: failed (${compileError})`);
}

const loadMs = (x: LoadResult) => x.jsonMs + x.validateMs + x.snapshotMs;
loads.sort((a, b) => loadMs(a) - loadMs(b));
const l: LoadResult | null = loads[(loads.length - 1) >> 1] ?? null;
if (l) {
  console.log(`
config load @${l.size.toLocaleString("en-US")} routers, ${l.services} services, fresh process (median of ${loads.length}: ${loads.map((x) => ms(loadMs(x))).join(", ")} ms; not a target):
  JSON.parse ${ms(l.jsonMs)} ms + validateConfig ${ms(l.validateMs)} ms (schema, references, every rule compiled) + compileSnapshot ${ms(l.snapshotMs)} ms (services, muxer) = ${ms(loadMs(l))} ms`);
} else if (loadError) {
  console.log(`\nconfig load @10,000: failed (${loadError})`);
}

// --- targets --------------------------------------------------------------------------------------

console.log("\ntargets (wall clock, as specified; CPU time in brackets):");
const verdict = (ok: boolean | null) => (ok === null ? "N/A " : ok ? "PASS" : "MISS");
const both = (f: (m: Metric) => boolean | null) => `${verdict(f("median"))} [cpu ${verdict(f("cpuMean")).trim()}]`;
const show = (v: number | null) => (v === null ? "?" : ns(v));
const pair = (a: number | null, b: number | null) => (a !== null && b !== null ? ratio(a / b) : "?");
const v = (id: ImplId, size: number) => ({ w: value(id, size, "median"), c: value(id, size, "cpuMean") });
{
  const o = v("ours", 10_000);
  const f = v("find-my-way", 10_000);
  const o10 = v("ours", 10);
  console.log(
    `  ${both((m) => (value("ours", 10_000, m) !== null && value("find-my-way", 10_000, m) !== null ? value("ours", 10_000, m)! <= value("find-my-way", 10_000, m)! : null))}` +
      `  @10,000 ours (view+match) ≤ find-my-way: ${show(o.w)} vs ${show(f.w)} ns/op = ${pair(o.w, f.w)}  [cpu ${show(o.c)} vs ${show(f.c)} = ${pair(o.c, f.c)}]`,
  );
  console.log(
    `  ${both((m) => (value("ours", 10_000, m) !== null && value("ours", 10, m) !== null ? value("ours", 10_000, m)! <= 1.5 * value("ours", 10, m)! : null))}` +
      `  @10,000 ours (view+match) ≤ 1.5 × @10: ${show(o.w)} vs ${show(o10.w)} ns/op = ${pair(o.w, o10.w)}  [cpu ${show(o.c)} vs ${show(o10.c)} = ${pair(o.c, o10.c)}]`,
  );
  console.log(
    `  ${c ? `${verdict(coldMs(c) < 50)} [cpu ${verdict(c.coldCpuMs < 50).trim()}]` : "N/A "}  compile @10,000 (compileRule ×N + buildMuxer, cold) < 50 ms: ${c ? `${ms(coldMs(c))} ms  [cpu ${ms(c.coldCpuMs)} ms]` : "?"}`,
  );
  const m = v("ours-match", 10_000);
  const m10 = v("ours-match", 10);
  console.log(`  info  match only @10,000: ${pair(m.w, f.w)} find-my-way, ${pair(m.w, m10.w)} our @10  [cpu ${pair(m.c, f.c)}, ${pair(m.c, m10.c)}]`);
  // Cells seconds apart can differ by tens of percent on a shared machine: the same comparisons
  // round by round (rounds after the first run the target cells back to back) show how far.
  const roundByRound = (label: string, over: [ImplId, number]) => {
    const base = measured(...over);
    const ratios = measured("ours", 10_000).flatMap((r, i) => (base[i] ? [ratio(r.median! / base[i]!.median!)] : []));
    if (ratios.length > 1) console.log(`  info  ${label}, round by round: ${ratios.join(", ")}`);
  };
  roundByRound("ours (view+match) / find-my-way @10,000", ["find-my-way", 10_000]);
  roundByRound("ours (view+match) @10,000 / @10", ["ours", 10]);
  const shares = [...KEY_CELLS, ["ours-match", 10] as const, ["ours-match", 10_000] as const].map(([id, s]) => lowestShare(id, s)).filter((x): x is number => x !== null);
  if (shares.length > 0 && Math.min(...shares) < 0.9) {
    console.log(`  NOTE  the machine was busy (CPU share down to ${pct(Math.min(...shares))} in target cells): wall-clock verdicts are unreliable, the CPU-time ones less so`);
  }
}
process.exit(0);
