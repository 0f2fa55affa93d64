// Batch timing with process.hrtime.bigint(): warm up, then many short batches (~1 ms), and report
// the median ns/op over batches. Requests are replayed in order, cyclically; a batch covers whole
// passes over the request set whenever one pass fits, so every batch sees the same hit/miss mix.
//
// The batches are also timed in CPU time of the main thread (process.threadCpuUsage), in total:
// its granularity (a scheduler tick) is too coarse for one batch. On a quiet machine wall and CPU
// agree; when other processes compete for the cores, wall time counts the time this process
// waited for a CPU and CPU time does not. `cpuShare` (CPU/wall) says which case a cell was in.

const now = (): number => Number(process.hrtime.bigint());
const cpuNow = (): number => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) * 1000;
};

export interface Timing {
  /** Median over batches of wall-clock ns per operation. */
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
  /** Main-thread CPU ns per operation over all batches (a mean, not a median). */
  readonly cpuMean: number;
  /** CPU time / wall time over all batches: ~1 on an idle machine, lower when the CPU was shared. */
  readonly cpuShare: number;
  readonly batches: number;
  readonly opsPerBatch: number;
}

export interface TimingOptions {
  /** Wall-clock budget for warm-up plus batches, ms. */
  readonly budgetMs: number;
  /** Target duration of one batch, ms (default 1). */
  readonly batchMs?: number;
}

const MIN_BATCHES = 5;
const MAX_BATCHES = 2000;

const quantile = (sorted: readonly number[], q: number): number => {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
};

/** wall: ns/op of each batch; cpuNs: CPU time of all batches. */
function summarize(wall: number[], cpuNs: number, opsPerBatch: number): Timing {
  const w = [...wall].sort((a, b) => a - b);
  const wallNs = wall.reduce((a, b) => a + b, 0) * opsPerBatch;
  return {
    median: quantile(w, 0.5),
    p25: quantile(w, 0.25),
    p75: quantile(w, 0.75),
    cpuMean: cpuNs / (opsPerBatch * w.length),
    cpuShare: cpuNs / wallNs,
    batches: w.length,
    opsPerBatch,
  };
}

/**
 * Ops per batch from the per-op cost: whole passes over the requests in ~batchNs when a pass fits;
 * else one pass per batch when that still gives MIN_BATCHES batches; else a slice of a pass
 * (the slowest routers: few long batches, each over a different part of the request set).
 */
function plan(opNs: number, n: number, budgetNs: number, batchNs: number): { ops: number; batches: number } {
  const passNs = opNs * n;
  const ops =
    passNs <= batchNs ? n * Math.floor(batchNs / passNs) : passNs <= budgetNs / MIN_BATCHES ? n : Math.max(1, Math.floor(budgetNs / MIN_BATCHES / opNs));
  const batches = Math.min(MAX_BATCHES, Math.max(MIN_BATCHES, Math.floor(budgetNs / (ops * opNs))));
  return { ops, batches };
}

export function measure(op: (i: number) => unknown, n: number, opts: TimingOptions): Timing {
  const budgetNs = opts.budgetMs * 1e6;
  const batchNs = (opts.batchMs ?? 1) * 1e6;
  let idx = 0;
  let sink = 0;
  const run = (count: number): number => {
    const t0 = now();
    for (let k = 0; k < count; k++) {
      if (op(idx) != null) sink++;
      if (++idx === n) idx = 0;
    }
    return now() - t0;
  };

  // Warm-up: at least one pass and a quarter of the budget (enough for the optimizing tiers).
  // Per-op cost for planning: the fastest warm-up pass (a slow one may just have been descheduled).
  const start = now();
  let passNs = run(n);
  while (now() - start < budgetNs * 0.25) passNs = Math.min(passNs, run(n));
  const { ops, batches } = plan(passNs / n, n, budgetNs * 0.75, batchNs);
  idx = 0;
  const wall: number[] = [];
  const c0 = cpuNow();
  for (let b = 0; b < batches; b++) wall.push(run(ops) / ops);
  const cpuNs = cpuNow() - c0;
  if (sink < 0) console.log(sink); // keep results alive
  return summarize(wall, cpuNs, ops);
}

export async function measureAsync(op: (i: number) => Promise<unknown>, n: number, opts: TimingOptions): Promise<Timing> {
  const budgetNs = opts.budgetMs * 1e6;
  const batchNs = (opts.batchMs ?? 1) * 1e6;
  let idx = 0;
  let sink = 0;
  const run = async (count: number): Promise<number> => {
    const t0 = now();
    for (let k = 0; k < count; k++) {
      if ((await op(idx)) != null) sink++;
      if (++idx === n) idx = 0;
    }
    return now() - t0;
  };
  const start = now();
  let passNs = await run(n);
  while (now() - start < budgetNs * 0.25) passNs = Math.min(passNs, await run(n));
  const { ops, batches } = plan(passNs / n, n, budgetNs * 0.75, batchNs);
  idx = 0;
  const wall: number[] = [];
  const c0 = cpuNow();
  for (let b = 0; b < batches; b++) wall.push((await run(ops)) / ops);
  const cpuNs = cpuNow() - c0;
  if (sink < 0) console.log(sink);
  return summarize(wall, cpuNs, ops);
}

export const elapsedMs = (t0: number): number => (now() - t0) / 1e6;
export const hrnow = now;
