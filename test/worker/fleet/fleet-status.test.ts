// The fleet status in workerd: isolates (independent runtimes, as createRuntime makes one per
// isolate) report to one config store, which sums them up for <base>/status/fleet.
import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import type { ConfigStoreObject } from "../../../providers/config-store.ts";
import { VERSION_KEY, snapshotKey } from "../../../providers/kv.ts";
import type { FleetReport, FleetStatus } from "../../../providers/store/fleet.ts";
import { sha256Hex } from "../../../providers/store/hash.ts";
import { admin } from "../../../worker/admin/index.ts";
import { fleetReport } from "../../../worker/fleet/reporter.ts";
import type { WorkerEnv } from "../../../worker/index.ts";
import { createRuntime, type Runtime } from "../../../worker/runtime.ts";
import { adminFetch, putConfig, TOKEN, untilServing } from "../helpers/admin.ts";

const testEnv = env as WorkerEnv;
const upstream = inject("whoamiUrl");
const INTERVAL = 1_000;
const iso = (ms: number) => new Date(ms).toISOString();

function config(router: string) {
  return { http: { routers: { [router]: { rule: `Path(\`/${router}\`)`, service: "s" } }, services: { s: { loadBalancer: { servers: [{ url: upstream }] } } } } };
}

/** KV under a prefix of this test's own (KV is shared by every test file). */
function prefixedKv(prefix: string): KVNamespace {
  const kv = testEnv.CONFIG_KV;
  const wrapped = {
    get: (key: string, options: unknown) => kv.get(prefix + key, options as KVNamespaceGetOptions<"text">),
    put: (key: string, value: string) => kv.put(prefix + key, value),
  };
  return wrapped as unknown as KVNamespace;
}

/** A config store of this test's own, publishing to `kv`, on a clock the test moves. */
async function openStore(kv: KVNamespace) {
  const stub = testEnv.CONFIG_STORE.get(testEnv.CONFIG_STORE.idFromName(crypto.randomUUID()));
  const clock = { now: Date.UTC(2026, 11, 3, 12, 0, 0) };
  await runInDurableObject(stub, (store: ConfigStoreObject) => {
    store.seams.kv = kv;
    store.seams.publishedInKv = async () => null;
    store.seams.now = () => clock.now;
  });
  return { stub, clock };
}

/** An isolate: its own runtime, reporting to `stub` on a clock of its own. */
function isolate(kv: KVNamespace, stub: DurableObjectStub<ConfigStoreObject>, extra: Partial<WorkerEnv> = {}) {
  // Every request polls (POLL_INTERVAL_MS 0), and a report follows each poll.
  const runtime = createRuntime({ ...testEnv, CONFIG_KV: kv, CONFIG_SOURCE: "kv", POLL_INTERVAL_MS: "0", FLEET_REPORT_INTERVAL_MS: String(INTERVAL), ...extra });
  const clock = { now: Date.now() };
  runtime.fleet.seams = { store: () => stub, now: () => clock.now };
  return { runtime, clock };
}

/** One request from `colo` through the entry's fleet call (it polls, then reports); resolves when what it handed to waitUntil is done. */
async function request(runtime: Runtime, colo: string): Promise<void> {
  const waited: Promise<unknown>[] = [];
  fleetReport(runtime, new Request("https://router.test/", { cf: { colo } }), { waitUntil: (p) => void waited.push(p) });
  await Promise.all(waited);
}

function serving(runtime: Runtime) {
  const current = runtime.switcher.current!;
  return { version: current.meta.version, sha256: current.meta.sha256, since: iso(current.compiledAt) };
}

describe("GET <base>/status/fleet", () => {
  it("two isolates on different versions, one refusing a config: counts, the oldest version, the refusal and why", async () => {
    const kv = prefixedKv(`fleet/${crypto.randomUUID()}/`);
    const { stub, clock } = await openStore(kv);
    const first = await stub.put({ config: config("one") });
    if (!first.ok) throw new Error(JSON.stringify(first));
    const a = isolate(kv, stub);
    await request(a.runtime, "AMS");
    const aReportedAt = clock.now;

    clock.now += 2_000; // past KV's one write per second: the next version is published at once
    const second = await stub.put({ config: config("two") });
    if (!second.ok) throw new Error(JSON.stringify(second));
    const [n, n1] = [first.record.version, second.record.version];
    const b = isolate(kv, stub);
    const c = isolate(kv, stub);
    await request(b.runtime, "LHR");
    await request(c.runtime, "SJC");

    // Version n1 + 1 written to KV by hand (the store never saw it), with a rule that does not parse.
    const bad = JSON.stringify({ http: { routers: { bad: { rule: "Nope(`x`)", service: "s" } }, services: config("x").http.services } });
    const sha = await sha256Hex(bad);
    await kv.put(snapshotKey(n1 + 1, sha), bad);
    await kv.put(VERSION_KEY, JSON.stringify({ version: n1 + 1, key: snapshotKey(n1 + 1, sha), sha256: sha }));
    await request(c.runtime, "SJC");
    expect(c.runtime.status()).toMatchObject({ serving: { version: n1 }, lastError: { version: n1 + 1, paths: ["http.routers.bad.rule"] } });
    const [sa, sb, sc] = [serving(a.runtime), serving(b.runtime), serving(c.runtime)];
    expect([sa.version, sb.version, sc.version]).toEqual([n, n1, n1]);
    const refusal = c.runtime.status().lastError!;
    expect(refusal.message).toMatch(new RegExp(`^config version ${n1 + 1} rejected: http\\.routers\\.bad\\.rule: `));

    const expected = {
      at: iso(clock.now),
      storeVersion: n1,
      isolates: 3,
      notServing: 0,
      versions: [
        { version: n1, sha256: sb.sha256, isolates: 2, colos: ["LHR", "SJC"], since: sb.since < sc.since ? sb.since : sc.since },
        { version: n, sha256: sa.sha256, isolates: 1, colos: ["AMS"], since: sa.since },
      ],
      oldest: { version: n, sha256: sa.sha256, isolates: 1, colos: ["AMS"], since: sa.since, supersededAt: second.record.createdAt },
      refused: [{
        version: n1 + 1,
        isolates: 1,
        reasons: [{ message: refusal.message, paths: ["http.routers.bad.rule"], isolates: 1, colos: ["SJC"], isolateIds: [c.runtime.status().isolate] }],
      }],
      errors: [],
      notHeardFrom: { isolates: 0, list: [] },
    };
    expect(await stub.fleet()).toEqual(expected);

    // The same through the admin API (token-guarded, as every admin route), answered from that store.
    const namespace = { idFromName: () => stub.id, get: () => stub } as unknown as WorkerEnv["CONFIG_STORE"];
    const adminEnv = { ...testEnv, CONFIG_STORE: namespace };
    const url = "https://router.test/__switchyard/status/fleet";
    const res = await admin(new Request(url, { headers: { authorization: `Bearer ${TOKEN}` } }), adminEnv, a.runtime.admin);
    expect([res.status, res.headers.get("content-type"), await res.json()]).toEqual([200, "application/json; charset=utf-8", expected]);
    expect((await admin(new Request(url), adminEnv, a.runtime.admin)).status).toBe(401);

    // Isolate a gets no more traffic, so it stops reporting: after 3 intervals it is listed as not heard from, its version no longer counted...
    clock.now += 3 * INTERVAL + 1;
    b.clock.now += INTERVAL;
    c.clock.now += INTERVAL;
    await request(b.runtime, "LHR");
    await request(c.runtime, "SJC");
    const later = await stub.fleet();
    expect(later).toMatchObject({ isolates: 2, versions: [{ version: n1, isolates: 2 }], oldest: { version: n1, supersededAt: null } });
    expect(later.notHeardFrom).toEqual({ isolates: 1, list: [{ isolate: a.runtime.status().isolate, colo: "AMS", version: n, lastReportAt: iso(aReportedAt) }] });
    // ...and after 10 it is forgotten (b and c, silent for 7, are listed in its place).
    clock.now += 7 * INTERVAL;
    const silentAt = iso(clock.now - 7 * INTERVAL);
    const silent = [{ isolate: b.runtime.status().isolate, colo: "LHR", version: n1, lastReportAt: silentAt }, { isolate: c.runtime.status().isolate, colo: "SJC", version: n1, lastReportAt: silentAt }]
      .sort((x, y) => (x.isolate < y.isolate ? -1 : 1));
    expect(await stub.fleet()).toMatchObject({ isolates: 0, versions: [], oldest: null, refused: [], notHeardFrom: { isolates: 2, list: silent } });
  });

  it("an isolate whose DEFAULT_RULE_SYNTAX refuses every config serves nothing, and says so", async () => {
    const kv = prefixedKv(`fleet/${crypto.randomUUID()}/`);
    const { stub } = await openStore(kv);
    const put = await stub.put({ config: config("one") });
    if (!put.ok) throw new Error(JSON.stringify(put));
    const good = isolate(kv, stub);
    const misconfigured = isolate(kv, stub, { DEFAULT_RULE_SYNTAX: "v4" });
    await request(good.runtime, "LHR");
    await request(misconfigured.runtime, "LHR");
    const fleet = await stub.fleet();
    expect(fleet).toMatchObject({ isolates: 2, notServing: 1, versions: [{ version: put.record.version, isolates: 1 }] });
    expect(fleet.refused).toEqual([{
      version: put.record.version,
      isolates: 1,
      reasons: [{ message: misconfigured.runtime.status().lastError!.message, paths: ["DEFAULT_RULE_SYNTAX"], isolates: 1, colos: ["LHR"], isolateIds: [misconfigured.runtime.status().isolate] }],
    }]);
    expect(fleet.refused[0]!.reasons[0]!.message).toMatch(/^config version \d+ rejected: DEFAULT_RULE_SYNTAX: /);
  });

  it("the store keeps at most fleetLimit isolates (the longest silent go first) and refuses what is not a report", async () => {
    const { stub, clock } = await openStore(prefixedKv(`fleet/${crypto.randomUUID()}/`));
    await runInDurableObject(stub, (store: ConfigStoreObject) => void (store.seams.fleetLimit = 2));
    const report = (isolate: string): FleetReport => ({
      isolate, colo: "LHR", source: "kv+file", reportIntervalMs: 60_000, serving: { version: 1, sha256: "aa", since: 0 }, lastPollAt: 0, lastError: null,
    });
    for (const id of ["first", "second", "third"]) {
      expect(await stub.report(report(id))).toEqual({ ok: true });
      clock.now += 1_000;
    }
    expect(await stub.report(report("second"))).toEqual({ ok: true }); // a known isolate evicts nobody
    const rows = await runInDurableObject(stub, (_s: ConfigStoreObject, state) => state.storage.sql.exec<{ isolate: string }>("SELECT isolate FROM fleet_reports ORDER BY isolate").toArray());
    expect(rows.map((r) => r.isolate)).toEqual(["second", "third"]);
    expect(await stub.report({ ...report("x"), serving: { version: "1" } } as unknown as FleetReport)).toEqual({ ok: false, error: "serving must be null or {version, sha256, since}" });
    expect((await stub.fleet()).isolates).toBe(2);
  });
});

describe("the Worker's own isolate", () => {
  it("reports through the entry: a request's isolate shows up in /status/fleet with its version and location", async () => {
    const put = await putConfig(config("fleet-self"));
    const { version } = (await put.json()) as { version: number };
    await (await untilServing(version)).arrayBuffer();
    let fleet: FleetStatus | null = null;
    // Reports go out in waitUntil, after the request: ask until this isolate's has landed (bounded).
    for (let i = 0; i < 100; i++) {
      await (await SELF.fetch("http://router.test/fleet-self")).arrayBuffer();
      fleet = (await (await adminFetch("/status/fleet")).json()) as FleetStatus;
      if (fleet.versions.some((v) => v.version === version && v.colos.includes("local"))) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(fleet?.versions).toContainEqual(expect.objectContaining({ version, colos: expect.arrayContaining(["local"]) }));
    expect(fleet?.storeVersion).toBeGreaterThanOrEqual(version);
  });
});
