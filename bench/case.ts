// One benchmark case in a fresh process (spawned by match.ts): `case.ts <impl> <size> <budgetMs>`,
// `case.ts compile <size>` or `case.ts load <size>`. Prints one line `RESULT {json}`. A fresh
// process per case keeps one router's type feedback and garbage from skewing the next one, like
// one router per isolate.

import { PerformanceObserver } from "node:perf_hooks";
import { buildMuxer, compileRule, defaultPriority } from "../worker/rules/index.ts";
import type { CompiledRule, Route } from "../worker/rules/index.ts";
import { IMPLS, setup, tables, type ImplId } from "./impls.ts";
import { benchConfig } from "./config.ts";
import { generateRoutes } from "./routes.ts";
import { hrnow, measure, measureAsync } from "./timing.ts";

export interface CaseResult {
  readonly impl: string;
  readonly size: number;
  readonly buildMs: number;
  readonly median?: number;
  readonly p25?: number;
  readonly p75?: number;
  readonly cpuMean?: number;
  readonly cpuShare?: number;
  readonly batches?: number;
  readonly opsPerBatch?: number;
  readonly skipped?: string;
  readonly problem?: string;
}

export interface CompileResult {
  readonly size: number;
  /** First build in a fresh process (what a Worker isolate pays), ms. */
  readonly coldCompileMs: number;
  readonly coldMuxMs: number;
  readonly coldPriorityMs: number;
  /** Main-thread CPU time of compileRule ×N + buildMuxer in the cold build, ms. */
  readonly coldCpuMs: number;
  /** Garbage collection pauses inside the cold build (compileRule ×N + buildMuxer), ms. */
  readonly coldGcMs: number;
  /** Median of later rebuilds, ms. */
  readonly warmCompileMs: number;
  readonly warmMuxMs: number;
  /** Heap retained by the compiled rules + muxer, MB (null without --expose-gc). */
  readonly heapMB: number | null;
}

/** A whole config loaded cold, as an isolate loads one (not a target: for orientation). */
export interface LoadResult {
  readonly size: number;
  readonly services: number;
  readonly jsonMs: number;
  readonly validateMs: number;
  readonly snapshotMs: number;
}

const print = (r: CaseResult | CompileResult | LoadResult) => console.log(`RESULT ${JSON.stringify(r)}`);

/** A router whose build exceeds this is not measured (RegExpRouter at 10,000 takes seconds). */
const BUILD_BUDGET_MS = Number(process.env.BENCH_BUILD_BUDGET_MS ?? 15_000);

async function runCase(id: ImplId, size: number, budgetMs: number): Promise<void> {
  const t = tables(size);
  const s = setup(id, t);
  if (s.problem !== null) {
    print({ impl: id, size, buildMs: s.buildMs, problem: s.problem });
    process.exit(1);
  }
  if (s.buildMs > BUILD_BUDGET_MS) {
    print({ impl: id, size, buildMs: s.buildMs, skipped: `build ${(s.buildMs / 1000).toFixed(1)} s > ${BUILD_BUDGET_MS / 1000} s` });
    return;
  }
  const timing = s.asyncOp ? await measureAsync(s.asyncOp, t.requests.length, { budgetMs }) : measure(s.op!, t.requests.length, { budgetMs });
  print({ impl: id, size, buildMs: s.buildMs, ...timing });
}

async function runCompile(size: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  // Rules as an isolate gets them: out of JSON.parse of the config snapshot, so flat strings (the
  // generator's template literals would be cons strings, flattened again by the first scan).
  const rules = JSON.parse(JSON.stringify(generateRoutes(size).map((r) => ({ name: r.name, rule: r.rule })))) as { name: string; rule: string }[];
  const cpuMs = () => {
    const u = process.threadCpuUsage();
    return (u.user + u.system) / 1000;
  };
  const pauses: { start: number; duration: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ start: e.startTime, duration: e.duration });
  });
  observer.observe({ entryTypes: ["gc"] });
  const build = () => {
    const c0 = cpuMs();
    const w0 = performance.now();
    const t0 = hrnow();
    const compiled: CompiledRule[] = [];
    for (const r of rules) {
      const c = compileRule(r.rule);
      if (!c.ok) throw new Error(c.error.message);
      compiled.push(c.value);
    }
    const t1 = hrnow();
    const c1 = cpuMs();
    const w1 = performance.now();
    const priorities = rules.map((r) => defaultPriority(r.rule));
    const t2 = hrnow();
    const routes: Route<string>[] = rules.map((r, i) => ({ name: r.name, rule: compiled[i]!, priority: priorities[i]!, handler: r.name }));
    const c3 = cpuMs();
    const w3 = performance.now();
    const t3 = hrnow();
    const mux = buildMuxer(routes);
    const t4 = hrnow();
    const c4 = cpuMs();
    const w4 = performance.now();
    const windows = [[w0, w1], [w3, w4]] as const;
    return { mux, compileMs: (t1 - t0) / 1e6, priorityMs: (t2 - t1) / 1e6, muxMs: (t4 - t3) / 1e6, cpuMs: c1 - c0 + (c4 - c3), windows };
  };

  // Settled first: the module loader lets go of the modules' sources only after a turn of the event
  // loop, which a heap measured right away would count against the compiled rules.
  await new Promise((resolve) => setTimeout(resolve, 20));
  gc?.();
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const cold = build();
  await new Promise((resolve) => setTimeout(resolve, 10)); // the observer reports after a tick
  const coldGcMs = pauses
    .filter((p) => cold.windows.some(([a, b]) => p.start >= a && p.start < b))
    .reduce((sum, p) => sum + p.duration, 0);
  observer.disconnect();
  gc?.();
  gc?.();
  const heapMB = gc ? (process.memoryUsage().heapUsed - heap0) / 2 ** 20 : null;
  if (cold.mux.size !== size) throw new Error("muxer size");

  const warm: { compileMs: number; muxMs: number }[] = [];
  for (let k = 0; k < 5; k++) warm.push(build());
  const med = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
  print({
    size,
    coldCompileMs: cold.compileMs,
    coldMuxMs: cold.muxMs,
    coldPriorityMs: cold.priorityMs,
    coldCpuMs: cold.cpuMs,
    coldGcMs,
    warmCompileMs: med(warm.map((w) => w.compileMs)),
    warmMuxMs: med(warm.map((w) => w.muxMs)),
    heapMB,
  });
}

/**
 * The bench's routers as a Traefik config (one service per 20 routers, each a pool of two servers),
 * loaded as worker/dynamic/listener.ts loads a config: JSON.parse, validateConfig, compileSnapshot.
 */
async function runLoad(size: number): Promise<void> {
  // Imported here: the other cases' processes should not load (or JIT) the config code.
  const { validateConfig } = await import("../worker/config/index.ts");
  const { compileSnapshot } = await import("../worker/compile/snapshot.ts");
  const { config } = benchConfig(size, (i) => [`http://10.0.${i % 250}.1:8080`, `http://10.1.${i % 250}.1:8080`]);
  const services = config.http.services;
  const text = JSON.stringify(config);
  const t0 = hrnow();
  const raw: unknown = JSON.parse(text);
  const t1 = hrnow();
  const valid = validateConfig(raw);
  const t2 = hrnow();
  if (!valid.ok) throw new Error(`config invalid: ${valid.errors[0]?.path}: ${valid.errors[0]?.message}`);
  const meta = { version: 1, sha256: "", source: "bench", provider: "kv", warnings: valid.warnings };
  const snapshot = compileSnapshot(valid.config, meta, null, valid.rules);
  const t3 = hrnow();
  if (!snapshot.ok) throw new Error(`snapshot: ${snapshot.errors[0]?.message}`);
  print({ size, services: Object.keys(services).length, jsonMs: (t1 - t0) / 1e6, validateMs: (t2 - t1) / 1e6, snapshotMs: (t3 - t2) / 1e6 });
}

const [what, sizeArg, budgetArg] = process.argv.slice(2);
const size = Number(sizeArg);
if (what === "compile") await runCompile(size);
else if (what === "load") await runLoad(size);
else if (what !== undefined && what in IMPLS) await runCase(what as ImplId, size, Number(budgetArg ?? 1500));
else {
  console.error(`usage: case.ts <${Object.keys(IMPLS).join("|")}|compile|load> <size> [budgetMs]`);
  process.exit(2);
}
