// The jwt middleware's cost per verified request, a cached key, ES256 and RS256 (bench/jwt-core.ts):
// in Node, then in workerd (bundled with esbuild, run by Miniflare). Each figure is next to
// crypto.subtle.verify of the same signature measured in the same run: the middleware's own cost is
// the difference. Target: ≤ 50 µs per ES256/RS256 verification in Node. Part of `npm run bench`; a
// report, exits 0 whatever it finds.
import { measureJwt, type CaseResult } from "./jwt-core.ts";
import { startBenchEntry } from "./workerd.ts";

const N = Number(process.env.BENCH_JWT_N ?? 2000);
const ROUNDS = Number(process.env.BENCH_JWT_ROUNDS ?? 5);
const TARGET_NS = 50_000;

function report(title: string, results: readonly CaseResult[], target: boolean): void {
  console.log(`\n${title}`);
  for (const r of results) {
    const us = (ns: number) => `${(ns / 1000).toFixed(1)} µs`;
    const verdict = (ns: number) => (target ? ` (target ≤ ${TARGET_NS / 1000} µs: ${ns <= TARGET_NS ? "PASS" : "MISS"})` : "");
    console.log(`  ${r.alg}: crypto.subtle.verify ${us(r.raw)} (baseline), jose jwtVerify ${us(r.jose)} (${(r.jose / r.raw).toFixed(2)}x)`);
    console.log(`    middleware, a token not seen before: ${us(r.middleware)} = ${(r.middleware / r.raw).toFixed(2)}x the baseline, +${us(r.middleware - r.raw)}${verdict(r.middleware)}`);
    console.log(`    middleware, a token verified before: ${us(r.remembered)} = ${(r.remembered / r.raw).toFixed(2)}x the baseline${verdict(r.remembered)}`);
  }
}

report(`jwt in Node (blocks of ${N} verifications, best of ${ROUNDS})`, await measureJwt(N, ROUNDS, () => performance.now()), true);

const mf = await startBenchEntry(new URL("./workerd/jwt-entry.ts", import.meta.url), { name: "bench-jwt" });
try {
  const res = await mf.dispatchFetch(`http://bench/?n=${N}&rounds=${ROUNDS}`);
  report(`jwt in workerd (same blocks; workerd's clock moves in whole ms)`, (await res.json()) as CaseResult[], false);
} finally {
  await mf.dispose();
}
