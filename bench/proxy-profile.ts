// Where Switchyard's CPU per request goes (bench:proxy measures how much): the same setup as
// bench/proxy.ts, with the Worker bundled unminified, under load, sampled by V8's profiler through
// workerd's inspector. Prints self time by source file (the bundle's `// path` markers) and by
// function. JavaScript only: workerd's own C++ (HTTP, fetch, headers) shows as (program).
//   node bench/proxy-profile.ts [routers=10000] [seconds=5] [worker=switchyard|bare]
// (`bare`: the bare fetch(upstream) Worker under the same load, for what workerd's own proxying costs.)
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { runLoad } from "./http-client.ts";
import { benchConfig, benchRequests } from "./proxy-config.ts";
import { bundle, cleanup, guard, putConfig, startUpstream, startWorkerd, waitServed } from "./proxy-setup.ts";

const size = Number(process.argv[2] ?? 10_000);
const seconds = Number(process.argv[3] ?? 5);
const worker = process.argv[4] === "bare" ? "bare" : "switchyard";
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
guard("bench:proxy-profile", 5 * 60_000);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** A minimal CDP client: one request at a time, answered by id. */
async function devtools(url: string) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve, { once: true });
    ws.addEventListener("error", () => reject(new Error(`cannot connect to ${url}`)), { once: true });
  });
  let id = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  return {
    send: <T>(method: string, params: object = {}): Promise<T> =>
      new Promise((resolve, reject) => {
        const n = ++id;
        const timer = setTimeout(() => reject(new Error(`${method}: no answer in 30 s`)), 30_000);
        waiting.set(n, (result) => {
          clearTimeout(timer);
          resolve(result as T);
        });
        ws.send(JSON.stringify({ id: n, method, params }));
      }),
    close: () => ws.close(),
  };
}

/** For each line of the unminified bundle, the source file esbuild's `// path` marker names above it. */
function sourceOfLine(bundleText: string): (line: number) => string {
  const marks: { line: number; file: string }[] = [];
  bundleText.split("\n").forEach((text, line) => {
    const m = /^\/\/ ((?:node_modules|worker|providers)\/\S+)$/.exec(text);
    if (m) marks.push({ line, file: m[1]!.replace(/^(node_modules\/(?:@[^/]+\/)?[^/]+)\/.*$/, "$1") });
  });
  return (line) => {
    let lo = 0;
    let hi = marks.length - 1;
    let found = "(bundle)";
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (marks[mid]!.line <= line) {
        found = marks[mid]!.file;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

try {
  const built = await bundle(false);
  const entry = built.modules.find((m) => m.type === "ESModule")!.path;
  const fileOf = sourceOfLine(readFileSync(entry, "utf8"));
  const upstreamUrl = `http://127.0.0.1:${await startUpstream()}`;
  const inspectorPort = await freePort();
  const ports = await startWorkerd(built, upstreamUrl, inspectorPort);
  const requests = benchRequests(size).map((r) => r.wire);
  const put = await putConfig(ports.switchyard, benchConfig(size, upstreamUrl, "profile"));
  await waitServed(ports.switchyard, requests[0]!, put.version);
  const port = worker === "bare" ? ports.bare : ports.switchyard;
  await runLoad({ port, requests, concurrency: CONCURRENCY, durationMs: 2_000 });

  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as { title: string; webSocketDebuggerUrl: string }[];
  const target = targets.find((t) => t.title.endsWith(worker));
  if (!target) throw new Error(`no inspector target for ${worker} in ${JSON.stringify(targets.map((t) => t.title))}`);
  const cdp = await devtools(target.webSocketDebuggerUrl);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  await cdp.send("Profiler.start");
  const load = await runLoad({ port, requests, concurrency: CONCURRENCY, durationMs: seconds * 1000 });
  const { profile } = await cdp.send<{ profile: { nodes: ProfileNode[]; startTime: number; endTime: number } }>("Profiler.stop");
  cdp.close();

  const byFile = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url === "" ? (functionName.startsWith("(") ? functionName : `(${functionName || "native"})`) : url.endsWith(".js") && url.includes("index") ? fileOf(lineNumber) : url;
    byFile.set(file, (byFile.get(file) ?? 0) + hits);
    const fn = url === "" ? file : `${functionName || "(anonymous)"}  ${file}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
  }
  const usPerRequest = (profile.endTime - profile.startTime) / load.responses;
  const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)} %`;
  const us = (n: number) => `${((n / total) * usPerRequest).toFixed(1).padStart(6)} µs/req`;
  console.log(`${worker === "bare" ? "Bare Worker" : "Switchyard"} isolate, ${size} routers, ${load.responses} requests in ${seconds} s at ${CONCURRENCY} connections; ${total} samples, ${usPerRequest.toFixed(0)} µs of wall time per request in the profile (µs/req below: a share of that, (idle) included)`);
  console.log("\nself time by source file:");
  for (const [file, hits] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${pct(hits)} ${us(hits)}  ${file}`);
  console.log("\nself time by function (top 30):");
  for (const [fn, hits] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${pct(hits)} ${us(hits)}  ${fn}`);
} finally {
  await cleanup();
}
process.exit(0);
