// `npm run bench:observe`: what observability costs per request in workerd, on the whole request:
// the Worker as it deploys (bench/workerd.ts), a config published through the config store, the
// loopback upstream, with the access log and tracing on (the defaults) against ACCESS_LOG=false and
// TRACING=false (metrics cannot be turned off: they are in both). Rounds alternate between two
// workerd processes, one per setting, the same requests in each; the figure is workerd's CPU time
// per request (/proc), medians over rounds. A report: exits 0; 1 when a response is not 200.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import { benchConfig } from "./config.ts";
import { ADMIN_TOKEN, bundleWorker, startSwitchyard, startUpstream, workerdCpuNs } from "./workerd.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const OFF = { ACCESS_LOG: "false", TRACING: "false" };
/** Reports and flushes to Durable Objects off: Miniflare runs them in the same workerd process. */
const QUIET = { FLEET_REPORT_INTERVAL_MS: "0", METRICS_FLUSH_INTERVAL_MS: "3600000" };

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

/** CPU µs of workerd per request over REQUESTS sequential requests. */
async function round(mf: Miniflare, url: string): Promise<number> {
  const cpu0 = await workerdCpuNs();
  for (let i = 0; i < REQUESTS; i++) {
    const response = await mf.dispatchFetch(url, { headers: { "user-agent": "bench/1.0", accept: "text/plain", cookie: "session=abc" } });
    await response.arrayBuffer();
    if (response.status !== 200) {
      console.error(`${url}: ${response.status}`);
      process.exit(1);
    }
  }
  return ((await workerdCpuNs()) - cpu0) / 1e3 / REQUESTS;
}

async function main(): Promise<void> {
  const upstream = await startUpstream();
  const bundle = await bundleWorker();
  const persist = await mkdtemp(join(tmpdir(), "switchyard-observe-"));
  const { config, hit } = benchConfig(100, upstream.url);
  const running: Miniflare[] = [];
  try {
    const setup = await startSwitchyard(bundle, persist, QUIET);
    const put = await setup.dispatchFetch("http://bench.local/__switchyard/config", { method: "PUT", headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify(config) });
    if (put.status !== 200) throw new Error(`PUT /config: ${put.status} ${await put.text()}`);
    await setup.dispose();
    // One process at a time holds the persisted state; each round starts both anew, in turns.
    const on: number[] = [];
    const noLog: number[] = [];
    const off: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const [vars, out] of [[QUIET, on], [{ ...QUIET, ACCESS_LOG: "false" }, noLog], [{ ...QUIET, ...OFF }, off]] as const) {
        const mf = await startSwitchyard(bundle, persist, vars);
        running.push(mf);
        await round(mf, hit); // warm: the config loaded, the route built, the code optimized
        out.push(await round(mf, hit));
        await mf.dispose();
        running.pop();
      }
    }
    const [a, t, b] = [median(on), median(noLog), median(off)];
    console.log(`\nobservability in workerd (${REQUESTS} sequential requests per round, ${ROUNDS} rounds each, medians; workerd CPU per request)`);
    console.log(`  access log + tracing on (defaults) ${a.toFixed(0)} µs | tracing only (ACCESS_LOG=false) ${t.toFixed(0)} µs | both off (+ TRACING=false) ${b.toFixed(0)} µs`);
    console.log(`  added: access log ${(a - t).toFixed(0)} µs, tracing ${(t - b).toFixed(0)} µs, together ${(a - b).toFixed(0)} µs per request`);
    const show = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(" ");
    console.log(`  rounds on: ${show(on)} | tracing only: ${show(noLog)} | off: ${show(off)}`);
  } finally {
    for (const mf of running) await mf.dispose().catch(() => {});
    upstream.server.close();
    await rm(persist, { recursive: true, force: true });
    await rm(bundle.dir, { recursive: true, force: true });
  }
}

await main();
