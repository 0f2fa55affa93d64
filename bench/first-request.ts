// `npm run bench:first-request`: what a cold isolate's first request costs, in workerd, with the config in
// KV as the config store publishes it, at 10, 1,000 and 10,000 routers, against the same isolate's
// warm request, and against a bare Worker's first request. Two ways to load: from the store's load
// facts (what the store publishes now) and by full validation (a snapshot written to KV by hand,
// which is also how every load went before facts). Each round is a fresh workerd process.
//
// workerd's clock does not move while a request computes, so the phases inside the isolate are
// timed in Node on the same code (bench/load.ts) and printed after, and workerd is measured from
// outside: wall time of the request, and the workerd process's CPU time across it.
// A report: exits 0 whatever the figures; 1 only when a request does not answer 200.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import { benchConfig } from "./config.ts";
import { loadPhases, type LoadPhases } from "./load.ts";
import { ADMIN_TOKEN, bundleWorker, startBare, startSwitchyard, startUpstream, workerdCpuNs, type Bundle } from "./workerd.ts";

const SIZES = (process.env.BENCH_COLD_SIZES ?? "10,1000,10000").split(",").map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARM = 20;
/** Targets (issue 14): CPU of a cold load. */
const TARGET_MS: Record<number, number> = { 10: 2, 10000: 25 };

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function timed(mf: Miniflare, url: string, init?: RequestInit): Promise<Sample> {
  const cpu0 = await workerdCpuNs();
  const t0 = performance.now();
  const response = await mf.dispatchFetch(url, init as Parameters<Miniflare["dispatchFetch"]>[1]);
  await response.arrayBuffer();
  const wallMs = performance.now() - t0;
  const cpuMs = ((await workerdCpuNs()) - cpu0) / 1e6;
  if (response.status !== 200) {
    console.error(`${url}: ${response.status} ${await response.text().catch(() => "")}`);
    process.exit(1);
  }
  return { wallMs, cpuMs };
}

/** Puts the config through the admin API (the store validates and publishes to KV). */
async function publish(bundle: Bundle, persist: string, config: unknown): Promise<{ ref: Record<string, unknown> }> {
  const mf = await startSwitchyard(bundle, persist);
  try {
    const put = await mf.dispatchFetch("http://bench.local/__switchyard/config", {
      method: "PUT",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(config),
    });
    if (put.status !== 200) throw new Error(`PUT /config: ${put.status} ${await put.text()}`);
    const kv = await mf.getKVNamespace("CONFIG_KV");
    const ref = (await kv.get("config/version", "json")) as Record<string, unknown> | null;
    if (!ref?.facts) throw new Error(`the store published no load facts: ${JSON.stringify(ref)}`);
    return { ref };
  } finally {
    await mf.dispose();
  }
}

/** Rewrites the version key: the store's (with facts) or as if written by hand (without). */
async function setRef(bundle: Bundle, persist: string, ref: Record<string, unknown>): Promise<void> {
  const mf = await startSwitchyard(bundle, persist);
  try {
    await (await mf.getKVNamespace("CONFIG_KV")).put("config/version", JSON.stringify(ref));
  } finally {
    await mf.dispose();
  }
}

/** ROUNDS fresh isolates: each one's first request, then its warm requests (median). */
/**
 * Background calls to Durable Objects off: Miniflare runs the objects in the same workerd process,
 * so the config store's CPU for an isolate's fleet report would count as the isolate's (deployed,
 * the store runs in an isolate of its own, and the report is not on the request's path).
 */
const QUIET = { FLEET_REPORT_INTERVAL_MS: "0" };

async function rounds(bundle: Bundle, persist: string, url: string): Promise<{ cold: Sample[]; warm: Sample[] }> {
  const cold: Sample[] = [];
  const warm: Sample[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const mf = await startSwitchyard(bundle, persist, QUIET);
    try {
      cold.push(await timed(mf, url));
      const w: Sample[] = [];
      for (let j = 0; j < WARM; j++) w.push(await timed(mf, url));
      warm.push({ wallMs: median(w.map((s) => s.wallMs)), cpuMs: median(w.map((s) => s.cpuMs)) });
    } finally {
      await mf.dispose();
    }
  }
  return { cold, warm };
}

async function bareRounds(upstream: string, persist?: string): Promise<{ cold: Sample[]; warm: Sample[] }> {
  const cold: Sample[] = [];
  const warm: Sample[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const mf = await startBare(upstream, persist);
    try {
      cold.push(await timed(mf, "http://bench.local/x"));
      const w: Sample[] = [];
      for (let j = 0; j < WARM; j++) w.push(await timed(mf, "http://bench.local/x"));
      warm.push({ wallMs: median(w.map((s) => s.wallMs)), cpuMs: median(w.map((s) => s.cpuMs)) });
    } finally {
      await mf.dispose();
    }
  }
  return { cold, warm };
}

const f = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1)).padStart(7);
const row = (label: string, s: readonly Sample[]) => `${label.padEnd(34)} wall ${f(median(s.map((x) => x.wallMs)))} ms   workerd CPU ${f(median(s.map((x) => x.cpuMs)))} ms`;

async function main(): Promise<void> {
  const upstream = await startUpstream();
  const bundle = await bundleWorker();
  const phases: LoadPhases[] = [];
  try {
    console.log(`cold isolates in workerd (Miniflare ${ROUNDS} rounds, medians; first request = fresh workerd process)\n`);
    const bare = await bareRounds(upstream.url);
    console.log(row("bare Worker: first request", bare.cold));
    console.log(row("bare Worker: warm request", bare.warm));
    for (const size of SIZES) {
      const { config, hit } = benchConfig(size, upstream.url);
      const persist = await mkdtemp(join(tmpdir(), "switchyard-cold-"));
      try {
        const { ref } = await publish(bundle, persist, config);
        const facts = await rounds(bundle, persist, hit);
        const floor = await bareRounds(upstream.url, persist);
        const { facts: _, ...byHand } = ref;
        await setRef(bundle, persist, byHand);
        const full = await rounds(bundle, persist, hit);
        console.log(`\n${size} routers (${hit})`);
        console.log(row("  first request, from load facts", facts.cold));
        console.log(row("  first request, full validation", full.cold));
        console.log(row("  warm request", facts.warm));
        console.log(row("  bare Worker reading the same KV", floor.cold));
        const added = median(facts.cold.map((s) => s.cpuMs)) - median(floor.cold.map((s) => s.cpuMs));
        const before = median(full.cold.map((s) => s.cpuMs)) - median(floor.cold.map((s) => s.cpuMs));
        const target = TARGET_MS[size];
        console.log(`  CPU over that bare Worker's first request: ${f(added)} ms from facts, ${f(before)} ms validating (${(before / added).toFixed(1)}x)${target ? `; target <= ${target} ms: ${added <= target ? "met" : "NOT met"}` : ""}`);
      } finally {
        await rm(persist, { recursive: true, force: true });
      }
      phases.push(await loadPhases(size));
    }
    console.log("\nphases of a cold load, Node, same code (median of fresh processes; CPU ms of the main thread):");
    for (const p of phases) console.log(`  ${String(p.size).padStart(6)} routers  facts: ${p.facts}   full: ${p.full}`);
  } finally {
    upstream.server.close();
    await rm(bundle.dir, { recursive: true, force: true });
  }
}

await main();
