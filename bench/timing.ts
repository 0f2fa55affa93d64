// Batch timing with process.hrtime.bigint(): warm up, size batches to the time budget, report the
// median ns/op over batches. Requests are replayed in order, cyclically; a batch covers whole passes
// over the request set whenever one pass fits in a batch, so every batch sees the same hit/miss mix.

const now = (): number => Number(process.hrtime.bigint());

export interface Timing {
  /** Median over batches, ns per operation. */
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
  readonly batches: number;
  readonly opsPerBatch: number;
}

export interface TimingOptions {
  /** Wall-clock budget for warm-up plus batches, ms. */
  readonly budgetMs: number;
  readonly batches?: number;
}

const quantile = (sorted: readonly number[], q: number): number => {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
};

function summarize(perOp: number[], opsPerBatch: number): Timing {
  const s = [...perOp].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p25: quantile(s, 0.25), p75: quantile(s, 0.75), batches: s.length, opsPerBatch };
}

/** Sizes batches from a measured per-op cost: whole passes when a pass fits, else a slice. */
function plan(opNs: number, n: number, budgetNs: number, wanted: number): { ops: number; batches: number } {
  const batchNs = budgetNs / wanted;
  const passNs = opNs * n;
  if (passNs <= batchNs) return { ops: n * Math.max(1, Math.floor(batchNs / passNs)), batches: wanted };
  const ops = Math.max(1, Math.floor(batchNs / opNs));
  return { ops, batches: wanted };
}

export function measure(op: (i: number) => unknown, n: number, opts: TimingOptions): Timing {
  const budgetNs = opts.budgetMs * 1e6;
  const wanted = opts.batches ?? 15;
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
  const start = now();
  let warmOps = n;
  let warmNs = run(n);
  while (now() - start < budgetNs * 0.25) {
    warmNs = run(n);
    warmOps = n;
  }
  const { ops, batches } = plan(warmNs / warmOps, n, budgetNs * 0.75, wanted);
  idx = 0;
  const perOp: number[] = [];
  for (let b = 0; b < batches; b++) perOp.push(run(ops) / ops);
  if (sink < 0) console.log(sink); // keep results alive
  return summarize(perOp, ops);
}

export async function measureAsync(op: (i: number) => Promise<unknown>, n: number, opts: TimingOptions): Promise<Timing> {
  const budgetNs = opts.budgetMs * 1e6;
  const wanted = opts.batches ?? 15;
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
  let warmNs = await run(n);
  while (now() - start < budgetNs * 0.25) warmNs = await run(n);
  const { ops, batches } = plan(warmNs / n, n, budgetNs * 0.75, wanted);
  idx = 0;
  const perOp: number[] = [];
  for (let b = 0; b < batches; b++) perOp.push((await run(ops)) / ops);
  if (sink < 0) console.log(sink);
  return summarize(perOp, ops);
}

export const elapsedMs = (t0: number): number => (now() - t0) / 1e6;
export const hrnow = now;
