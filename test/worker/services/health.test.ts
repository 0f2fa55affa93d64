// Health: active checks run by the health-checker Durable Object's alarm and learned by the pools
// with a background poll (servers go DOWN and come back UP), the probe's options, the API's
// serverStatus, and passive health per isolate.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { traefikApi } from "../../../worker/api/traefik-api.ts";
import type { ServerHealthCheck } from "../../../worker/config/index.ts";
import type { Snapshot } from "../../../worker/compile/snapshot.ts";
import type { HealthChecker } from "../../../worker/services/health/checker.ts";
import { probe } from "../../../worker/services/health/probe.ts";
import { probeSpec, probeTarget } from "../../../worker/services/health/spec.ts";
import type { LoadBalancer } from "../../../worker/services/loadbalancer.ts";
import { count, get, hits, poolOf, routed, sendTo, setHealth, snapshotOf, testEnv, uniquePath, upstreams, who } from "./helpers.ts";

function checkerOf(pool: LoadBalancer): DurableObjectStub<HealthChecker> {
  const ns = testEnv.HEALTH_CHECKER;
  return ns.get(ns.idFromName(pool.active!.objectName));
}

/** The first check runs as soon as the object has the spec: its alarm is due at once and may fire
 *  on its own before runDurableObjectAlarm gets to it. Waits until the pool knows every server. */
async function firstCheck(pool: LoadBalancer): Promise<void> {
  await pool.active!.poll(testEnv);
  await runDurableObjectAlarm(checkerOf(pool));
  for (let i = 0; i < 100; i++) {
    await refresh(pool);
    if (pool.servers.every((s) => pool.active!.get(s.configuredURL))) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("the first health check never ran");
}

/** A poll that starts now (one a request started earlier may still be under way with older news). */
async function refresh(pool: LoadBalancer): Promise<void> {
  await pool.active!.poll(testEnv);
  await pool.active!.poll(testEnv);
}

async function serverStatus(snapshot: Snapshot, service: string): Promise<Record<string, string>> {
  const res = traefikApi(`/api/http/services/${service}`, new URL("https://admin.test/"), snapshot);
  return ((await res.json()) as { serverStatus: Record<string, string> }).serverStatus;
}

async function serverChecks(snapshot: Snapshot, service: string): Promise<Record<string, { status: string; lastCheck: string | null; error?: string }>> {
  const res = traefikApi(`/api/http/services/${service}`, new URL("https://admin.test/"), snapshot);
  return ((await res.json()) as { serverChecks: Record<string, { status: string; lastCheck: string | null; error?: string }> }).serverChecks;
}

async function tally(snapshot: Snapshot, n: number): Promise<Map<string, number>> {
  const seen: string[] = [];
  for (let i = 0; i < n; i++) seen.push(await who(await get(snapshot, "https://h.test/")));
  return count(seen);
}

describe("active health checks through the Durable Object alarm", () => {
  it("takes a failing server out of rotation and brings it back when it recovers", async () => {
    await setHealth(upstreams.flap1, 200);
    const s = snapshotOf(routed({ svc: { loadBalancer: { servers: [{ url: upstreams.flap1 }, { url: upstreams.s1 }], healthCheck: { path: "/__health", interval: "10s" } } } }));
    const pool = poolOf(s, "svc");
    // A request's background poll registers the check with the object, which schedules its alarm.
    expect(pool.active!.get(upstreams.flap1)).toBeUndefined();
    await (await sendTo(s, "https://h.test/")).settled();
    await firstCheck(pool);
    const checker = checkerOf(pool);
    expect(await serverStatus(s, "svc")).toEqual({ [upstreams.flap1]: "UP", [upstreams.s1]: "UP" });
    expect(await tally(s, 10)).toEqual(new Map([["flap1", 5], ["s1", 5]]));

    await setHealth(upstreams.flap1, 503);
    expect(await runDurableObjectAlarm(checker)).toBe(true);
    await refresh(pool);
    expect(await serverStatus(s, "svc")).toEqual({ [upstreams.flap1]: "DOWN", [upstreams.s1]: "UP" });
    const checks = await serverChecks(s, "svc");
    expect(checks[upstreams.flap1]).toEqual({ status: "DOWN", lastCheck: new Date(pool.active!.get(upstreams.flap1)!.checkedAt).toISOString(), error: "status 503" });
    expect(checks[upstreams.s1]).toEqual({ status: "UP", lastCheck: expect.any(String) });
    expect(await tally(s, 10)).toEqual(new Map([["s1", 10]]));

    await setHealth(upstreams.flap1, 200);
    expect(await runDurableObjectAlarm(checker)).toBe(true);
    await refresh(pool);
    expect(await serverStatus(s, "svc")).toEqual({ [upstreams.flap1]: "UP", [upstreams.s1]: "UP" });
    expect((await tally(s, 10)).get("flap1")).toBe(5);
  });

  it("answers 503 when no server is healthy, and fails over on the main service's health", async () => {
    await setHealth(upstreams.flap2, 500);
    const s = snapshotOf(
      routed({
        svc: { failover: { service: "main", fallback: "backup" } },
        main: { loadBalancer: { servers: [{ url: upstreams.flap2 }], healthCheck: { path: "/__health" } } },
        backup: { loadBalancer: { servers: [{ url: upstreams.backup }] } },
      }),
    );
    const main = poolOf(s, "main");
    await (await sendTo(s, "https://h.test/")).settled();
    await firstCheck(main);
    expect(await who(await get(s, "https://h.test/"))).toBe("backup");
    const direct = await main.handle(new Request("https://h.test/"), { url: new URL("https://h.test/"), clientIP: null, waitUntil: () => undefined, env: testEnv });
    expect([direct.status, await direct.text()]).toEqual([503, "no available server"]);

    await setHealth(upstreams.flap2, 200);
    expect(await runDurableObjectAlarm(checkerOf(main))).toBe(true);
    await refresh(main);
    expect(await who(await get(s, "https://h.test/"))).toBe("flap2");
  });

  it("probes unhealthy servers at unhealthyInterval and forgets a check no isolate asks for", async () => {
    await setHealth(upstreams.flap3, 503);
    const s = snapshotOf(routed({ svc: { loadBalancer: { servers: [{ url: upstreams.flap3 }], healthCheck: { path: "/__health", interval: "60s", unhealthyInterval: "2s" } } } }));
    const pool = poolOf(s, "svc");
    await firstCheck(pool);
    expect(pool.status(pool.servers[0]!)).toBe("DOWN");
    const checker = checkerOf(pool);
    const alarmAt = await runInDurableObject(checker, (_o: HealthChecker, state: DurableObjectState) => state.storage.getAlarm());
    expect(alarmAt! - Date.now()).toBeGreaterThan(1_000);
    expect(alarmAt! - Date.now()).toBeLessThanOrEqual(2_000);
    // Nobody has asked for an hour: the next alarm clears the check and schedules nothing more.
    await runInDurableObject(checker, (_o: HealthChecker, state: DurableObjectState) => void state.storage.sql.exec("UPDATE spec SET last_seen = ?", Date.now() - 3_600_000));
    expect(await runDurableObjectAlarm(checker)).toBe(true);
    expect(await runDurableObjectAlarm(checker)).toBe(false);
    await setHealth(upstreams.flap3, 200);
  });
});

describe("the probe", () => {
  const check = (extra: Partial<ServerHealthCheck>): ServerHealthCheck => ({ mode: "http", interval: "30s", timeout: "5s", followRedirects: true, ...extra });
  const run = (server: string, hc: ServerHealthCheck) => probe(probeTarget(server, hc), probeSpec("svc", [server], hc), testEnv);

  it("sends the check's method, path and headers", async () => {
    const path = uniquePath("hc");
    expect(await run(upstreams.s2, check({ path: `${path}?x=1`, method: "head", headers: { "X-Check": "yes" } }))).toEqual({ up: true, error: null });
    const seen = (await hits(upstreams.s2, path)).hits;
    expect(seen.map((h) => [h.method, h.headers["x-check"]])).toEqual([["HEAD", "yes"]]);
  });

  it("is healthy on 2xx/3xx by default, or on exactly `status`", async () => {
    expect((await run(upstreams.s2, check({ path: "/status/302", followRedirects: false }))).up).toBe(true);
    expect(await run(upstreams.s2, check({ path: "/status/302", followRedirects: false, status: 200 }))).toEqual({ up: false, error: "status 302, expected 200" });
    expect((await run(upstreams.s2, check({ path: "/status/404" }))).up).toBe(false);
    expect((await run(upstreams.s2, check({ path: "/status/418", status: 418 }))).up).toBe(true);
  });

  it("gives up after `timeout`", async () => {
    const started = Date.now();
    expect(await run(upstreams.s2, check({ path: "/slow?ms=3000", timeout: "200ms" }))).toEqual({ up: false, error: "no answer within 200 ms" });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("replaces the server's scheme and port, and resolves the path against its URL", () => {
    const port = new URL(upstreams.s2).port;
    expect(probeTarget("http://127.0.0.1:1/base/", check({ path: "health", port: Number(port) })).url).toBe(`http://127.0.0.1:${port}/base/health`);
    expect(probeTarget("http://a.example/x", check({ path: "/h", scheme: "https" })).url).toBe("https://a.example/h");
  });

  it("checks a service-binding server through its binding, with hostname as the host it sees", async () => {
    const hc = check({ path: "/ping", hostname: "auth.internal" });
    expect(probeTarget("binding://ECHO", hc)).toEqual({ server: "binding://ECHO", url: "http://auth.internal/ping", binding: "ECHO" });
    expect(await run("binding://ECHO", hc)).toEqual({ up: true, error: null });
    expect(await run("binding://NOPE", hc)).toEqual({ up: false, error: "no service binding named NOPE" });
  });
});

describe("passive health (per isolate)", () => {
  const dead = "http://127.0.0.1:1";

  it("built in: three transport failures take a server out for a while; the pool is never emptied", async () => {
    const s = snapshotOf(routed({ svc: { loadBalancer: { servers: [{ url: dead }, { url: upstreams.s1 }] } } }));
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await get(s, "https://h.test/")).status);
    expect(statuses.filter((x) => x === 502).length).toBe(3);
    expect(statuses.slice(6)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await serverStatus(s, "svc")).toEqual({ [dead]: "DOWN", [upstreams.s1]: "UP" });
    const alone = snapshotOf(routed({ svc: { loadBalancer: { servers: [{ url: dead }] } } }));
    for (let i = 0; i < 5; i++) expect((await get(alone, "https://h.test/")).status).toBe(502);
  });

  it("passiveHealthCheck: maxFailedAttempts failures (5xx included) within failureWindow, out for failureWindow", async () => {
    const s = snapshotOf(routed({ svc: { loadBalancer: { servers: [{ url: upstreams.s1 }], passiveHealthCheck: { maxFailedAttempts: 2, failureWindow: "1s" } } } }));
    expect((await get(s, "https://h.test/status/500")).status).toBe(500);
    expect((await get(s, "https://h.test/")).status).toBe(200); // a success clears the count
    expect((await get(s, "https://h.test/status/502")).status).toBe(502);
    expect((await get(s, "https://h.test/status/503")).status).toBe(503);
    const out = await get(s, "https://h.test/");
    expect([out.status, await out.text()]).toEqual([503, "no available server"]);
    await new Promise((r) => setTimeout(r, 1_050));
    expect((await get(s, "https://h.test/")).status).toBe(200);
  });

  it("does not count a client that went away (499)", async () => {
    const s = snapshotOf(routed({ svc: { loadBalancer: { servers: [{ url: upstreams.s1 }], passiveHealthCheck: { maxFailedAttempts: 1 } } } }));
    const abort = new AbortController();
    const pending = get(s, "https://h.test/slow?ms=2000", { signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    expect((await pending).status).toBe(499);
    expect(await serverStatus(s, "svc")).toEqual({ [upstreams.s1]: "UP" });
  });
});
