// The metrics' per-request cost inside workerd: bench/workerd/metrics-entry.ts bundled with
// esbuild and run by Miniflare (the workerd that `wrangler dev` runs), serve() with metrics off
// and on in turns, best round of each. Part of `npm run bench`; a report, exits 0 whatever it finds.
import { startBenchEntry } from "./workerd.ts";

const ROUNDS = Number(process.env.BENCH_METRICS_ROUNDS ?? 8);
/** Requests per block (workerd's clock moves in whole ms: 10,000 requests make ~30 ms): off and on blocks take turns inside one request to the Worker. */
const N = 10_000;
const TARGET_NS = 2_000;

const mf = await startBenchEntry(new URL("./workerd/metrics-entry.ts", import.meta.url), {
  name: "bench",
  durableObjects: { METRICS: { className: "MetricsStore", useSQLite: true } },
});
try {
  const run = async (): Promise<{ off: number; on: number }> => (await (await mf.dispatchFetch(`http://bench/?n=${N}&rounds=${ROUNDS}`)).json()) as { off: number; on: number };
  await run();
  const best = await run();
  const added = best.on - best.off;
  if (process.env.BENCH_METRICS_PARTS) {
    for (const part of ["record", "record-r1", "protocol", "headers", "now", "recorder"]) {
      const res = await mf.dispatchFetch(`http://bench/?part=${part}&n=${N}`);
      console.log(`  part ${part}: ${((await res.json()) as { nsPerRequest: number }).nsPerRequest.toFixed(0)} ns`);
    }
  }
  console.log(`\nMetrics in workerd (serve() over noop@internal, blocks of ${N} requests, off and on in turns, best of ${ROUNDS} each)`);
  console.log(`  metrics off ${best.off.toFixed(0)} ns/request, on ${best.on.toFixed(0)} ns/request: metrics add ${added.toFixed(0)} ns; target ≤ ${TARGET_NS} ns: ${added <= TARGET_NS ? "PASS" : "MISS"}`);
  // The metrics store: how many flushes (one per isolate per interval) one object absorbs.
  const rate = (await (await mf.dispatchFetch("http://bench/?store=1")).json()) as { series: number; pushes: number; ms: number; perSecond: number };
  console.log(`  MetricsStore: ${rate.perSecond} flushes/s of ${rate.series} series each (${rate.pushes} pushes in ${rate.ms} ms, 8 at a time, local SQLite)`);
} finally {
  await mf.dispose();
}
