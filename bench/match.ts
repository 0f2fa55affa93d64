// `npm run bench`: route-matching cost of Switchyard's rule engine against itty-router, hono and
// find-my-way, with `new URL()` and `Map.get` as the floor. See bench/README.md.
//
// 1. Sanity: our muxer must route every request of every size as the generator intends and as a
//    brute-force linear scan does; otherwise exit 1 (never benchmark a broken matcher).
// 2. Each (implementation, size) runs in its own process (bench/case.ts), one after the other,
//    with a time budget and a hard timeout.
// 3. Print ns/op medians, ratios, compile time and heap, and PASS/MISS per target. Exit 0.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildMuxer } from "../worker/rules/index.ts";
import type { CaseResult, CompileResult } from "./case.ts";
import { checkOurs, compileRoutes, IMPLS, tables, type ImplId } from "./impls.ts";

const SIZES = [10, 1_000, 10_000] as const;
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 1500);
const FLOOR_BUDGET_MS = Math.min(BUDGET_MS, 600);
/** Hard limit per child process; a case that exceeds it is reported, not waited for. */
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 45_000);
const CASE = fileURLToPath(new URL("./case.ts", import.meta.url));

const ORDER: ImplId[] = ["ours", "ours-desc", "ours-match", "find-my-way", "hono-trie", "hono-regexp", "itty-scan", "itty-fetch", "url", "map"];

// --- 1. sanity ------------------------------------------------------------------------------------

for (const size of SIZES) {
  const t = tables(size);
  const routes = compileRoutes(t.routes);
  const problem = checkOurs(buildMuxer(routes), routes, t.requests);
  if (problem !== null) {
    console.error(`SANITY FAILED at ${size} routers: ${problem}`);
    process.exit(1);
  }
}
{
  const t = tables(10_000);
  const kinds = new Map<string, number>();
  for (const r of t.routes) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
  const misses = t.requests.filter((q) => q.expected === null).length;
  console.log(`sanity: our muxer routes all ${t.requests.length} requests as expected at ${SIZES.join(", ")} routers`);
  console.log(`table @10,000: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(", ")}`);
  console.log(`requests: ${t.requests.length} (${misses} misses), replayed cyclically; peers get GET /svc{i}/users/{id} twins`);
  console.log(`budget ${BUDGET_MS} ms per case (floors ${FLOOR_BUDGET_MS} ms), node ${process.version}\n`);
}

// --- 2. cases -------------------------------------------------------------------------------------

function child(args: string[]): { result?: CaseResult | CompileResult; error?: string } {
  const r = spawnSync(process.execPath, ["--expose-gc", CASE, ...args], { encoding: "utf8", timeout: TIMEOUT_MS, maxBuffer: 1 << 24 });
  const line = r.stdout?.split("\n").find((l) => l.startsWith("RESULT "));
  if (line) return { result: JSON.parse(line.slice(7)) };
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT") return { error: `timeout > ${TIMEOUT_MS / 1000} s` };
  return { error: (r.stderr || `exit ${r.status}`).trim().split("\n").slice(-3).join(" | ") };
}

const results = new Map<string, CaseResult | { error: string }>();
const key = (id: ImplId, size: number) => `${id}@${size}`;
const started = Date.now();
for (const size of SIZES) {
  for (const id of ORDER) {
    const budget = id === "url" || id === "map" ? FLOOR_BUDGET_MS : BUDGET_MS;
    const { result, error } = child([id, String(size), String(budget)]);
    const r = (result as CaseResult | undefined) ?? { error: error! };
    results.set(key(id, size), r);
    if ("problem" in r && r.problem) {
      console.error(`SETUP CHECK FAILED for ${IMPLS[id]} at ${size}: ${r.problem}`);
      process.exit(1);
    }
    process.stderr.write(".");
  }
}
const compile = child(["compile", "10000"]);
process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(0)} s\n\n`);

// --- 3. report ------------------------------------------------------------------------------------

const median = (id: ImplId, size: number): number | null => {
  const r = results.get(key(id, size));
  return r && "median" in r && r.median !== undefined ? r.median : null;
};
const ns = (x: number) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(1));
const ratio = (x: number) => (x >= 100 ? `${Math.round(x).toLocaleString("en-US")}×` : x >= 10 ? `${x.toFixed(0)}×` : `${x.toFixed(2)}×`);
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

function cell(id: ImplId, size: number): string {
  const r = results.get(key(id, size));
  if (!r) return "—";
  if ("error" in r) return `failed (${r.error.slice(0, 24)})`;
  if (r.skipped) return `skipped (${r.skipped})`;
  const m = r.median!;
  const fmw = median("find-my-way", size);
  return fmw === null ? `${ns(m)}` : `${ns(m)}  ${ratio(m / fmw)}`;
}

const header = ["ns/op (× find-my-way)", ...SIZES.map((s) => `${s.toLocaleString("en-US")} routers`), "10k/10", "build @10k"];
const rows = ORDER.map((id) => {
  const a = median(id, 10);
  const b = median(id, 10_000);
  const r10k = results.get(key(id, 10_000));
  const build = r10k && "buildMs" in r10k ? `${ms(r10k.buildMs)} ms` : "—";
  return [IMPLS[id], ...SIZES.map((s) => cell(id, s)), a !== null && b !== null ? ratio(b / a) : "—", id === "url" ? "—" : build];
});
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
const line = (cells: string[]) => cells.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join("  ");
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows) console.log(line(r));
console.log(`
Medians over batches (p25–p75 below). Ours: the Traefik table (Host/HostRegexp/PathPrefix/PathRegexp/
Header/Method); peers: the path-only table GET /svc{i}/users/:id. "view+match" = viewFromRequest()
on an existing Request (new URL + View) + muxer.match(); "match only" reuses views whose lazy fields
are cached. itty "route scan" = fetch()'s own matching loop over router.routes (itty has no lookup
call); itty fetch() adds new URL(), query parsing and an await per request. Build = router
construction in a fresh process (ours: compileRule + defaultPriority + buildMuxer; hono
RegExpRouter: add + first match, which compiles it).`);

console.log("\nspread (p25–p75 ns/op):");
for (const id of ORDER) {
  const parts = SIZES.map((s) => {
    const r = results.get(key(id, s));
    return r && "p25" in r && r.p25 !== undefined ? `${ns(r.p25)}–${ns(r.p75!)} (${r.batches}×${r.opsPerBatch})` : "—";
  });
  console.log(`  ${IMPLS[id].padEnd(widths[0]!)}  ${parts.join("   ")}`);
}

let c: CompileResult | null = null;
if (compile.result) {
  c = compile.result as CompileResult;
  console.log(`
compile @10,000 routers (fresh process):
  compileRule ×10,000 ${ms(c.coldCompileMs)} ms + buildMuxer ${ms(c.coldMuxMs)} ms = ${ms(c.coldCompileMs + c.coldMuxMs)} ms cold; warm rebuild ${ms(c.warmCompileMs)} + ${ms(c.warmMuxMs)} = ${ms(c.warmCompileMs + c.warmMuxMs)} ms
  defaultPriority ×10,000 (not in the target) ${ms(c.coldPriorityMs)} ms cold
  heap retained by compiled rules + muxer: ${c.heapMB === null ? "n/a (run node with --expose-gc)" : `${c.heapMB.toFixed(1)} MB`}`);
} else {
  console.log(`\ncompile @10,000: failed (${compile.error})`);
}

// --- targets --------------------------------------------------------------------------------------

console.log("\ntargets:");
const verdict = (ok: boolean | null) => (ok === null ? "N/A " : ok ? "PASS" : "MISS");
const ours10k = median("ours", 10_000);
const ours10 = median("ours", 10);
const fmw10k = median("find-my-way", 10_000);
const target = (ok: boolean | null, text: string) => console.log(`  ${verdict(ok)}  ${text}`);
target(
  ours10k !== null && fmw10k !== null ? ours10k <= fmw10k : null,
  `@10,000 ours (view+match) ${ours10k === null ? "?" : ns(ours10k)} ns/op ≤ find-my-way ${fmw10k === null ? "?" : ns(fmw10k)} ns/op` +
    (ours10k !== null && fmw10k !== null ? `  (${ratio(ours10k / fmw10k)})` : ""),
);
target(
  ours10k !== null && ours10 !== null ? ours10k <= 1.5 * ours10 : null,
  `@10,000 ours (view+match) ${ours10k === null ? "?" : ns(ours10k)} ns/op ≤ 1.5 × @10 ${ours10 === null ? "?" : ns(ours10)} ns/op` +
    (ours10k !== null && ours10 !== null ? `  (${ratio(ours10k / ours10)})` : ""),
);
target(c ? c.coldCompileMs + c.coldMuxMs < 50 : null, `compile @10,000 (compileRule ×N + buildMuxer, cold) ${c ? ms(c.coldCompileMs + c.coldMuxMs) : "?"} ms < 50 ms`);
const m10k = median("ours-match", 10_000);
const m10 = median("ours-match", 10);
if (m10k !== null && m10 !== null && fmw10k !== null) {
  console.log(`  info  match only: @10,000 ${ns(m10k)} ns/op = ${ratio(m10k / fmw10k)} find-my-way, ${ratio(m10k / m10)} our @10`);
}
process.exit(0);
