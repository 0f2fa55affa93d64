// Canaries and previews end to end over HTTP: wrangler dev, loopback upstreams, the CLI. A
// candidate whose router points at a failing upstream is rolled back by the policy before its
// promote-after window ends, with no error for any client outside its share; a healthy one is
// promoted step by step to every client; every response comes wholly from one version (the
// X-Switchyard-Version header, VERSION_HEADER=true, agrees with the upstream that answered). Then
// a preview token serves a rolled-back version to its bearer only, and a bad token changes nothing.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWhoami, type Whoami } from "../../examples/whoami.ts";
import type { CanaryStatus } from "../../providers/store/canary.ts";
import { inCanary } from "../../worker/dynamic/canary.ts";
import { runCli as run } from "./helpers/cli.ts";
import { startWranglerDev, type Running } from "./helpers/processes.ts";

const TOKEN = "canary-e2e-token";
const SECRET = "canary-e2e-preview-secret";
const SHARE = 20;
let dev: Running;
let stable: Whoami;
let healthy: Whoami;
let failing: { url: string; server: Server };
const dir = mkdtempSync(join(tmpdir(), "switchyard-canary-e2e-"));

/** Client addresses with known buckets: 4 inside a 20 % share, 4 outside even a 50 % one. */
const clients = { inside: [] as string[], outside: [] as string[] };
for (let i = 1; clients.inside.length < 4 || clients.outside.length < 4; i++) {
  const ip = `10.0.${i >> 8}.${i & 255}`;
  if (inCanary(ip, SHARE) && clients.inside.length < 4) clients.inside.push(ip);
  else if (!inCanary(ip, 50) && clients.outside.length < 4) clients.outside.push(ip);
}

beforeAll(async () => {
  stable = await startWhoami({ port: 0, name: "v-stable" });
  healthy = await startWhoami({ port: 0, name: "v-healthy" });
  const server = createServer((_req, res) => res.writeHead(500, { "content-type": "text/plain", "x-whoami": "v-failing" }).end("failing upstream\n"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  failing = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
  const vars = {
    ADMIN_TOKEN: TOKEN, PREVIEW_SECRET: SECRET, POLL_INTERVAL_MS: "100", VERSION_HEADER: "true",
    FLEET_REPORT_INTERVAL_MS: "1000", CANARY_REPORT_INTERVAL_MS: "300",
  };
  dev = await startWranglerDev({ vars, readyPath: "/__switchyard/status" });
  process.env.SWITCHYARD_TOKEN = TOKEN;
}, 120_000);

afterAll(async () => {
  delete process.env.SWITCHYARD_TOKEN;
  await dev?.stop();
  await stable?.close();
  await healthy?.close();
  await new Promise<void>((resolve) => (failing ? (failing.server.closeAllConnections(), failing.server.close(() => resolve())) : resolve()));
});

function configFile(name: string, upstream: string): string {
  const path = join(dir, name);
  writeFileSync(path, `http:\n  routers:\n    app:\n      rule: "PathPrefix(\`/app\`)"\n      service: app\n  services:\n    app:\n      loadBalancer:\n        servers:\n          - url: "${upstream}"\n`);
  return path;
}

interface Served {
  readonly ip: string;
  readonly status: number;
  readonly version: number;
  /** Which upstream answered (its x-whoami header). */
  readonly upstream: string | null;
  readonly body: string;
}

async function get(ip: string, headers: Record<string, string> = {}): Promise<Served> {
  const res = await fetch(`${dev.url}/app`, { headers: { "cf-connecting-ip": ip, ...headers }, signal: AbortSignal.timeout(10_000) });
  const body = await res.text();
  return { ip, status: res.status, version: Number(res.headers.get("x-switchyard-version")), upstream: res.headers.get("x-whoami"), body };
}

async function canary(): Promise<CanaryStatus> {
  const res = await fetch(`${dev.url}/__switchyard/config/canary`, { headers: { authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(10_000) });
  expect(res.status).toBe(200);
  return (await res.json()) as CanaryStatus;
}

/** Traffic from every client (one round at a time) until `done`, at most `ms`; every response seen. */
async function traffic(what: string, done: (s: CanaryStatus, round: Served[]) => boolean, ms: number): Promise<{ seen: Served[]; status: CanaryStatus; elapsedMs: number }> {
  const started = Date.now();
  const seen: Served[] = [];
  let status: CanaryStatus;
  do {
    const round = await Promise.all([...clients.inside, ...clients.outside].map((ip) => get(ip)));
    seen.push(...round);
    status = await canary();
    if (done(status, round)) return { seen, status, elapsedMs: Date.now() - started };
  } while (Date.now() - started < ms);
  throw new Error(`${what} not within ${ms} ms; last status: ${JSON.stringify(status).slice(0, 2000)}`);
}

/** Which upstream each version's router points at: a response must come wholly from one version. */
function expectWhole(seen: Served[], upstreamOf: Record<number, string>): void {
  for (const r of seen) {
    const wanted = upstreamOf[r.version];
    expect(wanted, `version ${r.version} answered ${r.ip}`).toBeDefined();
    expect(r.upstream, `${r.ip} got version ${r.version}`).toBe(wanted);
  }
}

/** The headers the upstream received, but those that differ per request (trace and request ids). */
function echoedHeaders(r: Served): Record<string, unknown> {
  const { traceparent: _t, "x-request-id": _id, ...rest } = (JSON.parse(r.body) as { headers: Record<string, unknown> }).headers;
  return rest;
}

const outside = (seen: Served[]) => seen.filter((r) => clients.outside.includes(r.ip));

describe("canary over HTTP", () => {
  it("rolls a failing candidate back within its window, with no error outside its share; promotes a healthy one; previews", { timeout: 180_000 }, async () => {
    expect((await run("push", configFile("stable.yaml", stable.url), "--url", dev.url)).code).toBe(0);
    await traffic("version 1 served", (_s, round) => round.every((r) => r.version === 1 && r.status === 200), 20_000);

    // 1. A candidate pointing at an upstream that answers 500: rolled back by the policy.
    const pushed = await run("push", configFile("failing.yaml", failing.url), "--url", dev.url, "--canary", `${SHARE}%`, "--promote-after", "60s", "--min-requests", "20");
    expect(pushed.code, pushed.err).toBe(0);
    expect(pushed.lines.slice(-2)).toEqual([expect.stringMatching(/^pushed .*failing\.yaml: version 2$/), `canary: version 2 serves ${SHARE}% of clients, version 1 the rest (switchyard canary status)`]);
    const rolled = await traffic("the rollback", (s) => !s.running && s.events[0]?.action === "rolled-back", 40_000);
    const [rollback, started] = rolled.status.events;
    expect(started).toMatchObject({ action: "started", candidate: 2, stable: 1, share: SHARE });
    expect(rollback).toMatchObject({ action: "rolled-back", candidate: 2, stable: 1, author: "canary-policy" });
    expect(rollback!.reason).toMatch(/^5xx ratio 1\.0000 \(\d+\/\d+\) vs stable 0\.0000 .*most 5xx from router app \(\d+\)$/);
    expect(Date.parse(rollback!.at) - Date.parse(started!.at)).toBeLessThan(60_000);
    // Zero errors outside the share; the candidate was seen inside it (else the test proves nothing).
    // (Version 3, stable's content again, may already answer the last round.)
    expect(outside(rolled.seen).filter((r) => r.status !== 200 || r.version === 2), "outside the share: an error or the candidate").toEqual([]);
    expect(rolled.seen.some((r) => r.version === 2 && r.status === 500), "the candidate answered inside its share").toBe(true);
    expectWhole(rolled.seen, { 1: "v-stable", 2: "v-failing", 3: "v-stable" });
    // History says why: version 3 is version 1's content again, by the policy.
    const history = await run("history", "--url", dev.url, "--limit", "1");
    expect(history.out).toMatch(/^\s+3 {2}\S+ {2}[0-9a-f]{12} {2}canary-policy {2}canary of version 2 rolled back: 5xx ratio 1\.0000/);
    const after = await traffic("every client back on stable", (_s, round) => round.every((r) => r.version === 3 && r.status === 200), 20_000);
    expectWhole(after.seen, { 1: "v-stable", 2: "v-failing", 3: "v-stable" });
    expect(outside(after.seen).filter((r) => r.status !== 200), "outside the share: an error").toEqual([]);

    // 2. A healthy candidate: 20 % → 50 % → 100 %. (p99 over 10 requests on a shared 2-core machine
    // is one slow request: the latency rule is tested in test/unit/providers/canary-policy.test.ts.)
    const healthyPush = await run("push", configFile("healthy.yaml", healthy.url), "--url", dev.url, "--canary", String(SHARE), "--steps", "50,100", "--promote-after", "1s", "--min-requests", "10", "--max-p99-ratio", "1000");
    expect(healthyPush.code, healthyPush.err).toBe(0);
    const promoted = await traffic("the promotion", (s) => !s.running && s.events[0]?.action === "promoted", 60_000);
    expect(promoted.status.events.slice(0, 3).map((e) => [e.action, e.share, e.author])).toEqual([
      ["promoted", 100, "canary-policy"], ["step", 50, "canary-policy"], ["started", SHARE, "cli"],
    ].map(([a, s, who]) => [a, s, a === "started" ? expect.any(String) : who]));
    expect(promoted.seen.filter((r) => r.status !== 200), "an error during the healthy canary").toEqual([]);
    expectWhole(promoted.seen, { 3: "v-stable", 4: "v-healthy" });
    expect(outside(promoted.seen).filter((r) => r.version === 4).length).toBeLessThan(outside(promoted.seen).length);
    const all = await traffic("every client on version 4", (_s, round) => round.every((r) => r.version === 4), 20_000);
    expectWhole(all.seen, { 3: "v-stable", 4: "v-healthy" });

    // 3. Preview: the rolled-back version 2, for the token's bearer only.
    const preview = await run("preview", "2", "--ttl", "10m", "--url", dev.url);
    expect(preview.code, preview.err).toBe(0);
    const token = /^curl -H 'X-Switchyard-Preview: ([^']+)' http:\/\/127\.0\.0\.1:\d+\/$/.exec(preview.out)?.[1];
    expect(token, preview.out).toBeDefined();
    const previewed = await get(clients.outside[0]!, { "x-switchyard-preview": token! });
    expect(previewed).toMatchObject({ status: 500, version: 2, upstream: "v-failing" });
    const plain = await get(clients.outside[0]!);
    for (const bad of [token!.replace(/.$/, (c) => (c === "A" ? "B" : "A")), `2.${Math.floor(Date.now() / 1000) - 5}.${token!.split(".")[2]}`, "2", "garbage", ""]) {
      const answered = await get(clients.outside[0]!, { "x-switchyard-preview": bad });
      // An attacker learns nothing: the same answer as without the header (the echo shows no such header).
      expect({ ...answered, body: echoedHeaders(answered) }).toEqual({ ...plain, body: echoedHeaders(plain) });
    }
    // The upstream never sees the token, valid or not.
    const echoed = await get(clients.outside[0]!, { "x-switchyard-preview": (/'X-Switchyard-Preview: ([^']+)'/.exec((await run("preview", "4", "--url", dev.url)).out))![1]! });
    expect(echoed.version).toBe(4);
    expect(Object.keys(JSON.parse(echoed.body).headers as Record<string, unknown>).map((h) => h.toLowerCase())).not.toContain("x-switchyard-preview");
    console.log(`canary e2e: rollback ${Date.parse(rollback!.at) - Date.parse(started!.at)} ms after start; promotion in ${promoted.elapsedMs} ms; ${rolled.seen.length + promoted.seen.length} responses checked`);
  });
});
