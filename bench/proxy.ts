// `npm run bench:proxy`: the whole request through Switchyard in workerd (entry, watcher check,
// view, match, a three-middleware chain, load balancer, forwarded headers, upstream fetch,
// response) against a bare Worker that only does `fetch(upstream)`, in the same workerd process,
// onto the same loopback upstream, without wrangler's dev proxy in front. See bench/README.md.
//
// 1. Bundle the Worker as it deploys (wrangler deploy --dry-run) and start workerd through
//    Miniflare's API with both Workers on their own sockets (unsafeDirectSockets: no entry worker).
// 2. The bare Worker's ceiling: a concurrency sweep.
// 3. Per size (10, 10,000 routers): PUT the config through the admin API, wait until it is served,
//    check every request's router and the chain's effects, then alternate rounds Switchyard / bare.
// 4. 100 config swaps (admin PUTs) under load: errors, versions served.
// Exit 0 (a report), 1 if a response was wrong (non-2xx, wrong router) in the plain rounds,
// 2 if the bench itself could not run (setup failure, overall timeout).
import { loadavg } from "node:os";
import { headerOf, requestOnce, runLoad, type LoadResult } from "./http-client.ts";
import { clockTicksPerSecond, cpuSeconds } from "./procstat.ts";
import { ADDED_PREFIX, baseName, benchConfig, benchRequests, type BenchRequest } from "./proxy-config.ts";
import { ADMIN, bail, bundle, cleanup, guard, POLL_INTERVAL_MS, putConfig, startUpstream, startWorkerd, upstreamPid, waitServed } from "./proxy-setup.ts";
import { median, percentile } from "./stats.ts";

const env = process.env;
const SIZES = [10, 10_000] as const;
const ROUNDS = Number(env.BENCH_ROUNDS ?? 7);
const ROUND_MS = Number(env.BENCH_ROUND_MS ?? 3_000);
const LATENCY_MS = Number(env.BENCH_LATENCY_MS ?? 1_500);
const CONCURRENCY = Number(env.BENCH_CONCURRENCY ?? 16);
const SWAPS = Number(env.BENCH_SWAPS ?? 100);
/** Sizes of the swap runs; empty for none. */
const SWAP_SIZES = (env.BENCH_SWAP_SIZES ?? "10,10000").split(",").filter((s) => s.trim() !== "").map(Number);
const TOTAL_TIMEOUT_MS = Number(env.BENCH_TOTAL_TIMEOUT_MS ?? 20 * 60_000);
const TICKS = clockTicksPerSecond();
guard("bench:proxy", TOTAL_TIMEOUT_MS);

/** Every request, once: the router it must reach, the config version, and the chain's effects upstream. */
async function checkResponses(ports: { switchyard: number; bare: number }, requests: readonly BenchRequest[], version: number, stamp: string): Promise<string[]> {
  const problems: string[] = [];
  for (const r of requests) {
    const res = await requestOnce(ports.switchyard, r.wire);
    const router = headerOf(res.head, "x-switchyard-router") ?? "";
    const got = {
      status: res.status,
      router: router.includes("@") ? baseName(router) : router,
      version: Number(headerOf(res.head, "x-switchyard-version")),
      stamp: headerOf(res.head, "x-seen-bench"),
      prefixed: headerOf(res.head, "x-seen-path")?.startsWith(ADDED_PREFIX + "/") ?? false,
      forwarded: headerOf(res.head, "x-seen-forwarded"),
    };
    const want = { status: 200, router: r.router, version, stamp, prefixed: true, forwarded: "yes" };
    if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${r.method} ${r.url}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    const bare = await requestOnce(ports.bare, r.wire);
    if (bare.status !== 200) problems.push(`bare ${r.method} ${r.url}: ${bare.status}`);
    if (problems.length >= 5) break;
  }
  return problems;
}

// --- measuring --------------------------------------------------------------------------------------

interface Round {
  readonly rps: number;
  /** workerd CPU per request during the throughput phase, µs. */
  readonly cpuUs: number;
  /** workerd CPU time over wall time in the throughput phase: near 100 % it was the bottleneck. */
  readonly busy: number;
  /** The load client's (this process) and the upstream's CPU per request, µs: who else shared the cores. */
  readonly clientUs: number;
  readonly upstreamUs: number;
  /** Latency under the throughput phase's load (CONCURRENCY connections), ms. */
  readonly loadedP50: number;
  readonly loadedP99: number;
  /** Latency of one request at a time, ms. */
  readonly p50: number;
  readonly p99: number;
  readonly wrong: number;
  readonly errors: readonly string[];
}

const non2xx = (r: LoadResult) => [...r.statuses].reduce((n, [status, count]) => n + (status >= 200 && status < 300 ? 0 : count), 0);
const describeBad = (r: LoadResult) => [...[...r.statuses].filter(([s]) => s < 200 || s >= 300).map(([s, n]) => `${n}× ${s}`), ...r.errorSamples];

async function round(port: number, workerd: number, requests: readonly Buffer[], concurrency = CONCURRENCY, durationMs = ROUND_MS): Promise<Round> {
  const cpu0 = cpuSeconds(workerd, TICKS);
  const up0 = cpuSeconds(upstreamPid(), TICKS);
  const self0 = process.cpuUsage();
  const load = await runLoad({ port, requests, concurrency, durationMs });
  const self = process.cpuUsage(self0);
  const perRequestUs = (seconds: number) => (seconds * 1e6) / Math.max(1, load.responses);
  const cpu = cpuSeconds(workerd, TICKS) - cpu0;
  const cpuUs = perRequestUs(cpu);
  const upstreamUs = perRequestUs(cpuSeconds(upstreamPid(), TICKS) - up0);
  const quiet = LATENCY_MS > 0 ? await runLoad({ port, requests, concurrency: 1, durationMs: LATENCY_MS }) : load;
  return {
    rps: load.responses / (load.elapsedMs / 1000),
    cpuUs,
    busy: cpu / (load.elapsedMs / 1000),
    clientUs: perRequestUs((self.user + self.system) / 1e6),
    upstreamUs,
    loadedP50: percentile(load.latenciesUs, 50) / 1000,
    loadedP99: percentile(load.latenciesUs, 99) / 1000,
    p50: percentile(quiet.latenciesUs, 50) / 1000,
    p99: percentile(quiet.latenciesUs, 99) / 1000,
    wrong: non2xx(load) + load.errors + non2xx(quiet) + quiet.errors,
    errors: [...describeBad(load), ...describeBad(quiet)],
  };
}

// --- printing ---------------------------------------------------------------------------------------

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (n: number) => `${fmt(n, 2)} ms`;
const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
const med = (rounds: readonly Round[], f: (r: Round) => number) => median(rounds.map(f));

/** Over pairs of rounds run back to back (one Switchyard, one bare), which share the machine's state: the median of f(ours, bare). */
const paired = (sw: readonly Round[], bare: readonly Round[], f: (ours: Round, theirs: Round) => number) => median(sw.map((r, i) => f(r, bare[i]!)));

function report(size: number, sw: readonly Round[], bare: readonly Round[]): void {
  const ratio = paired(sw, bare, (a, b) => a.rps / b.rps);
  // What the ratio would be if workerd's CPU were the only limit: bare's CPU per request over ours.
  const cpuRatio = paired(sw, bare, (a, b) => b.cpuUs / a.cpuUs);
  const perRound = sw.map((r, i) => fmt(r.rps / bare[i]!.rps, 2)).join(" ");
  const addedP50 = paired(sw, bare, (a, b) => a.p50 - b.p50);
  const addedP99 = paired(sw, bare, (a, b) => a.p99 - b.p99);
  const line = (label: string, f: (r: Round) => number, show: (n: number) => string) =>
    console.log(`  ${label.padEnd(24)} switchyard ${show(med(sw, f)).padStart(12)}   bare ${show(med(bare, f)).padStart(12)}   added ${show(paired(sw, bare, (a, b) => f(a) - f(b))).padStart(10)}`);
  console.log(`\n@${fmt(size)} routers, ${sw.length} pairs of rounds (medians; "added" and ratios: median over the pairs):`);
  console.log(`  ${"throughput".padEnd(24)} switchyard ${`${fmt(med(sw, (r) => r.rps))} req/s`.padStart(12)}   bare ${`${fmt(med(bare, (r) => r.rps))} req/s`.padStart(12)}   ratio ${fmt(ratio, 3)} (pairs: ${perRound}), by CPU ${fmt(cpuRatio, 3)}`);
  line("p50, 1 connection", (r) => r.p50, ms);
  line("p99, 1 connection", (r) => r.p99, ms);
  line(`p50, ${CONCURRENCY} connections`, (r) => r.loadedP50, ms);
  line(`p99, ${CONCURRENCY} connections`, (r) => r.loadedP99, ms);
  line("workerd CPU/request", (r) => r.cpuUs, (n) => `${fmt(n)} µs`);
  line("workerd busy", (r) => r.busy * 100, (n) => `${fmt(n)} %`);
  line("client CPU/request", (r) => r.clientUs, (n) => `${fmt(n)} µs`);
  line("upstream CPU/request", (r) => r.upstreamUs, (n) => `${fmt(n)} µs`);
  const busy = Math.min(...[...sw, ...bare].map((r) => r.busy));
  const unsure = busy < 0.85 ? "  (machine busy: see NOTE)" : "";
  if (size === 10_000) {
    console.log(`  ${verdict(ratio >= 0.9)} [cpu ${verdict(cpuRatio >= 0.9)}]  throughput ≥ 90 % of the bare Worker's at 10,000 routers: ${fmt(ratio * 100, 1)} % (bare ${fmt(med(bare, (r) => r.rps))} req/s), by CPU ${fmt(cpuRatio * 100, 1)} %${unsure}`);
    console.log(`  ${verdict(addedP99 <= 1)}  added p99 ≤ 1 ms (1 connection): ${ms(addedP99)} (bare p99 ${ms(med(bare, (r) => r.p99))}; added p50 ${ms(addedP50)})${unsure}`);
  }
  if (busy < 0.85) console.log(`  NOTE  workerd was busy only ${fmt(busy * 100)} % of a round at worst: other processes held the cores, so the throughput ratio is the machine's; trust the CPU figures ("by CPU") more`);
}

// --- the run ----------------------------------------------------------------------------------------

let wrong = 0;
try {
  console.log(`bench:proxy  ${new Date().toISOString()}  load ${loadavg().map((n) => fmt(n, 2)).join(" ")}  rounds ${ROUNDS} × (${ROUND_MS / 1000} s at ${CONCURRENCY} connections + ${LATENCY_MS / 1000} s at 1)`);
  const built = await bundle();
  const upstreamPort = await startUpstream();
  const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
  const ports = await startWorkerd(built, upstreamUrl);
  console.log(`workerd pid ${ports.workerd} (Miniflare, direct sockets): switchyard :${ports.switchyard}, bare :${ports.bare}; upstream ${upstreamUrl} (node)`);

  // The bare Worker's ceiling first: what this machine, workerd and the upstream can do at all.
  const bareRequests = benchRequests(10).map((r) => r.wire);
  const warm = await runLoad({ port: ports.bare, requests: bareRequests, concurrency: CONCURRENCY, durationMs: 2_000 });
  wrong += non2xx(warm) + warm.errors;
  console.log(`\nbare Worker ceiling (fetch(upstream) only), ${fmt(ROUND_MS / 2000, 1)} s per step:`);
  for (const c of [1, 4, 16, 64]) {
    const r = await round(ports.bare, ports.workerd, bareRequests, c, ROUND_MS / 2);
    wrong += r.wrong;
    console.log(`  ${String(c).padStart(2)} connections  ${fmt(r.rps).padStart(7)} req/s  p50 ${ms(r.loadedP50)}  p99 ${ms(r.loadedP99)}  workerd ${fmt(r.cpuUs)} µs/req (busy ${fmt(r.busy * 100)} %)  client ${fmt(r.clientUs)} µs/req  upstream ${fmt(r.upstreamUs)} µs/req${r.wrong ? `  WRONG: ${r.errors.join("; ")}` : ""}`);
  }

  for (const size of SIZES) {
    const requests = benchRequests(size);
    const wires = requests.map((r) => r.wire);
    const stamp = `plain-${size}`;
    const put = await putConfig(ports.switchyard, benchConfig(size, upstreamUrl, stamp));
    const servedMs = await waitServed(ports.switchyard, wires[0]!, put.version);
    console.log(`\n${fmt(size)} routers: PUT ${ADMIN}/config → version ${put.version} in ${ms(put.ms)}, served ${ms(servedMs)} later; ${requests.length} distinct requests`);
    const problems = await checkResponses(ports, requests, put.version, stamp);
    if (problems.length > 0) {
      wrong += problems.length;
      console.log(`  WRONG responses (no timing at this size):\n    ${problems.join("\n    ")}`);
      continue;
    }
    // Warm both (JIT, connection pools), then alternate, switching who goes first each round.
    for (const port of [ports.switchyard, ports.bare]) {
      const warm = await runLoad({ port, requests: wires, concurrency: CONCURRENCY, durationMs: 2_000 });
      wrong += non2xx(warm) + warm.errors;
      if (non2xx(warm) + warm.errors > 0) console.log(`  WRONG in the warm-up of :${port}: ${describeBad(warm).join("; ")}`);
    }
    const sw: Round[] = [];
    const bare: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const order = i % 2 === 0 ? (["sw", "bare"] as const) : (["bare", "sw"] as const);
      for (const who of order) {
        const r = await round(who === "sw" ? ports.switchyard : ports.bare, ports.workerd, wires);
        (who === "sw" ? sw : bare).push(r);
        wrong += r.wrong;
        if (r.wrong) console.log(`  WRONG in a ${who} round: ${r.errors.join("; ")}`);
      }
    }
    report(size, sw, bare);
  }

  for (const size of SWAP_SIZES) await swapRun(ports, upstreamUrl, size);
} catch (err) {
  await bail(`bench:proxy could not run: ${(err as Error).stack ?? String(err)}`, 2);
}
await cleanup();
if (wrong > 0) console.log(`\n${wrong} wrong responses in the plain rounds: exit 1`);
process.exit(wrong > 0 ? 1 : 0);

// --- swaps under load -------------------------------------------------------------------------------

async function swapRun(ports: { switchyard: number; workerd: number }, upstreamUrl: string, size: number): Promise<void> {
  // The table is loaded first, so that the swaps change one header value, not the size.
  const first = await putConfig(ports.switchyard, benchConfig(size, upstreamUrl, "swap-0"));
  const requests = benchRequests(size);
  await waitServed(ports.switchyard, requests[0]!.wire, first.version);
  const wires = requests.map((r) => r.wire);
  const seen = new Map<number, number>(); // version → responses
  const pairs = new Set<string>(); // "version stamp" as served
  let newest = 0;
  let stopLoad = () => {};
  const until = new Promise<void>((resolve) => (stopLoad = resolve));
  const load = runLoad({
    port: ports.switchyard,
    requests: wires,
    concurrency: CONCURRENCY,
    durationMs: 0,
    until,
    maxMs: TOTAL_TIMEOUT_MS,
    onResponse: (r) => {
      const v = Number(headerOf(r.head, "x-switchyard-version"));
      seen.set(v, (seen.get(v) ?? 0) + 1);
      pairs.add(`${v} ${headerOf(r.head, "x-seen-bench")}`);
      if (v > newest) newest = v;
    },
  });
  const stamps = new Map<number, string>();
  const putMs: number[] = [];
  let putErrors = 0;
  let last = 0;
  const t0 = performance.now();
  for (let i = 1; i <= SWAPS; i++) {
    const stamp = `swap-${i}`;
    try {
      const put = await putConfig(ports.switchyard, benchConfig(size, upstreamUrl, stamp));
      stamps.set(put.version, stamp);
      putMs.push(put.ms);
      last = put.version;
    } catch (err) {
      putErrors++;
      console.log(`  PUT ${i} failed: ${(err as Error).message}`);
    }
  }
  const swapsMs = performance.now() - t0;
  const t1 = performance.now();
  while (newest < last && performance.now() - t1 < 60_000) await new Promise((r) => setTimeout(r, 20));
  const convergeMs = performance.now() - t1;
  stopLoad();
  const result = await load;
  const mismatched = [...pairs].filter((p) => {
    const [v, stamp] = p.split(" ");
    const want = stamps.get(Number(v));
    return want !== undefined && want !== stamp;
  });
  const bad = non2xx(result) + result.errors;
  const versionsServed = [...seen.keys()].filter((v) => stamps.has(v)).length;
  console.log(`\n${SWAPS} config swaps under load (${fmt(size)} routers, back to back, ${CONCURRENCY} connections, POLL_INTERVAL_MS=${POLL_INTERVAL_MS}):`);
  console.log(`  ${fmt(result.responses)} responses in ${ms(result.elapsedMs)} (${fmt(result.responses / (result.elapsedMs / 1000))} req/s), p50 ${ms(percentile(result.latenciesUs, 50) / 1000)}, p99 ${ms(percentile(result.latenciesUs, 99) / 1000)}, max ${ms(percentile(result.latenciesUs, 100) / 1000)}`);
  console.log(`  PUTs: ${SWAPS - putErrors} of ${SWAPS} accepted in ${ms(swapsMs)} (median ${ms(median(putMs))} each); last version ${last}, served ${ms(convergeMs)} after its PUT answered`);
  const skipped = versionsServed < stamps.size ? " (the others were replaced before a poll saw them)" : "";
  console.log(`  versions seen in responses: ${versionsServed} of ${stamps.size} swapped in${skipped}, newest ${newest}`);
  console.log(`  ${verdict(bad === 0)}  0 errors during swaps: ${bad} (${describeBad(result).join("; ") || "none"}), ${putErrors} failed PUTs`);
  console.log(`  ${verdict(mismatched.length === 0 && newest === last)}  responses carry the header of the version that served them, and moved to the last version: ${mismatched.length ? mismatched.slice(0, 3).join(", ") : `yes (${last})`}`);
}
