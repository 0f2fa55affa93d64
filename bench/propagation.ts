// `npm run bench:propagation`: how long a config write takes to be served, KV mode
// (CONFIG_SOURCE=kv, the default) against CONFIG_SOURCE=durable-object, in the same run: one
// `wrangler dev` per mode, one after the other, each on its own port and state directory, with a
// loopback upstream. Each change is a PUT /__switchyard/config; from the moment its 2xx arrives,
// the data plane is polled back to back (VERSION_HEADER=true tags each response with its version):
//   first:  the first response from the new version;
//   steady: the first response of the unbroken run of new-version responses that lasts STEADY_MS
//           (every isolate behind the proxy has switched, not just the one that answered first).
// A report, not a test: exits 0 whatever the figures, 1 when the router misbehaves or a wait runs out.
// Data-plane traffic runs between the writes too, so writes land at every point of the poll cycle.
// Every wait is bounded; wrangler and the upstream are stopped on exit, on error and on Ctrl-C.
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { startWhoami, type Whoami } from "../examples/whoami.ts";
import { startWranglerDev, type Running } from "../test/node/helpers/processes.ts";

const POLL_INTERVAL_MS = Number(process.env.POLL_INTERVAL_MS ?? 1000);
const CHANGES = Math.max(1, Number(process.env.BENCH_PROPAGATION_CHANGES ?? 5));
/** How long the new version must be served without a break to count as steady: 3 poll intervals. */
const STEADY_MS = Math.max(1000, 3 * POLL_INTERVAL_MS);
/** One change may take this long (the platform bound in KV mode is cacheTtl 30 s + one poll). */
const CHANGE_TIMEOUT_MS = 45_000 + POLL_INTERVAL_MS;
/** The whole run, both modes: past this everything is stopped and the run fails. */
const RUN_TIMEOUT_MS = Number(process.env.BENCH_PROPAGATION_TIMEOUT_MS ?? 10 * 60_000);
/** The config store writes KV's version key at most once a second (KV's per-key write rate). */
const WRITE_GAP_MS = 1_100;
const TOKEN = "bench-propagation-token";
const MODES = ["kv", "durable-object"] as const;
type Mode = (typeof MODES)[number];

const running = new Set<{ stop(): Promise<void> }>();
let stopping: Promise<void> | null = null;
function stopAll(): Promise<void> {
  stopping ??= Promise.allSettled([...running].map((r) => r.stop())).then(() => running.clear());
  return stopping;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stopAll().then(() => process.exit(130)));
const runTimer = setTimeout(() => {
  console.error(`bench:propagation: still running after ${RUN_TIMEOUT_MS} ms; stopping`);
  void stopAll().then(() => process.exit(1));
}, RUN_TIMEOUT_MS);
runTimer.unref();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Change {
  readonly version: number;
  /** ms from the write's 2xx to the first response from the new version. */
  readonly first: number;
  /** ms from the write's 2xx to the start of the steady run of new-version responses. */
  readonly steady: number;
  /** Responses from an older version after the first new one (another isolate lagging). */
  readonly flaps: number;
  readonly requests: number;
}

function config(upstream: string, n: number) {
  return {
    http: {
      routers: { [`probe-${n}`]: { rule: "PathPrefix(`/probe`)", service: `s-${n}` } },
      services: { [`s-${n}`]: { loadBalancer: { servers: [{ url: `${upstream}/v${n}`, preservePath: true }] } } },
    },
  };
}

async function put(dev: Running, body: unknown): Promise<number> {
  const res = await fetch(`${dev.url}/__switchyard/config`, {
    method: "PUT",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const json = (await res.json()) as { version?: number; errors?: unknown };
  if (!res.ok || typeof json.version !== "number") throw new Error(`PUT config: ${res.status} ${JSON.stringify(json)}`);
  return json.version;
}

/** The version the data plane serves /probe from (NaN for a response without the header). */
async function served(dev: Running): Promise<number> {
  const res = await fetch(`${dev.url}/probe/x`, { signal: AbortSignal.timeout(5_000) });
  await res.arrayBuffer();
  return Number(res.headers.get("x-switchyard-version"));
}

/** Polls back to back from `t0` until `version` has been served without a break for STEADY_MS. */
async function follow(dev: Running, version: number, t0: number): Promise<Change> {
  let first: number | null = null;
  let runStart: number | null = null;
  let flaps = 0;
  let requests = 0;
  for (;;) {
    const v = await served(dev);
    const at = performance.now() - t0;
    requests++;
    if (v === version) {
      first ??= at;
      runStart ??= at;
      if (at - runStart >= STEADY_MS) return { version, first, steady: runStart, flaps, requests };
    } else {
      if (v > version) throw new Error(`served version ${v} while waiting for ${version}`);
      if (first !== null) flaps++;
      runStart = null;
    }
    if (at > CHANGE_TIMEOUT_MS) throw new Error(`version ${version} not served steadily within ${CHANGE_TIMEOUT_MS} ms (last served: ${v})`);
    await sleep(5);
  }
}

/** Data-plane traffic for `ms`, each response from `version`. */
async function keepServing(dev: Running, version: number, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const v = await served(dev);
    if (v !== version) throw new Error(`served version ${v} while version ${version} was steady`);
    await sleep(5);
  }
}

async function measureMode(mode: Mode, upstream: Whoami): Promise<Change[]> {
  const dev = await startWranglerDev({
    vars: { ADMIN_TOKEN: TOKEN, CONFIG_SOURCE: mode, POLL_INTERVAL_MS: String(POLL_INTERVAL_MS), VERSION_HEADER: "true" },
    readyPath: "/__switchyard/status",
    timeoutMs: 120_000,
  });
  running.add(dev);
  try {
    // The first write is not measured: it takes the router off the bundled config and warms it.
    const warm = await put(dev, config(upstream.url, 0));
    await follow(dev, warm, performance.now());
    const changes: Change[] = [];
    let last = warm;
    for (let n = 1; n <= CHANGES; n++) {
      // Traffic goes on between writes, as in production, so each write lands at another point of
      // the poll cycle (phases spread evenly over one interval). Without it, the PUT itself would
      // start every poll (admin requests poll too) and each change would wait one whole interval.
      await keepServing(dev, last, WRITE_GAP_MS + ((n * 0.618034) % 1) * POLL_INTERVAL_MS);
      const version = await put(dev, config(upstream.url, n));
      const change = await follow(dev, version, performance.now());
      changes.push(change);
      last = version;
      console.log(`  ${mode} v${version}: first ${Math.round(change.first)} ms, steady ${Math.round(change.steady)} ms (${change.requests} requests, ${change.flaps} from an older version after the first new one)`);
    }
    return changes;
  } finally {
    await dev.stop();
    running.delete(dev);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const max = (xs: number[]) => Math.max(...xs);
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const BOUND: Record<Mode, string> = {
  kv: `${30 + POLL_INTERVAL_MS / 1000} s away from the writing location (version key's cacheTtl 30 s, KV's minimum, + POLL_INTERVAL_MS), KV's eventual consistency aside; one poll interval in it`,
  "durable-object": `≈ ${POLL_INTERVAL_MS / 1000} s everywhere (POLL_INTERVAL_MS + one Durable Object round trip)`,
};

async function main(): Promise<void> {
  console.log(`propagation under wrangler dev: POLL_INTERVAL_MS=${POLL_INTERVAL_MS}, ${CHANGES} changes per mode, steady = new version for ${STEADY_MS} ms unbroken; load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  const upstream = await startWhoami({ port: 0, name: "propagation" });
  running.add({ stop: () => upstream.close() });
  const results = new Map<Mode, Change[]>();
  for (const mode of MODES) results.set(mode, await measureMode(mode, upstream));
  console.log(`\n| CONFIG_SOURCE (POLL_INTERVAL_MS=${POLL_INTERVAL_MS}) | write → first new response, median / max | write → steady, median / max | platform bound |\n|---|---|---|---|`);
  for (const [mode, changes] of results) {
    const first = changes.map((c) => c.first);
    const steady = changes.map((c) => c.steady);
    console.log(`| \`${mode}\` | ${sec(median(first))} / ${sec(max(first))} | ${sec(median(steady))} / ${sec(max(steady))} | ${BOUND[mode]} |`);
  }
  console.log("\nLocally KV is one process and miniflare validates cacheTtl (≥ 30) without caching, so the KV row shows the poll interval, not the 30 s a distant location can wait.");
}

try {
  await main();
} catch (err) {
  console.error(`bench:propagation: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await stopAll();
  clearTimeout(runTimer);
}
