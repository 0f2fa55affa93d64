// Failed admin-token attempts are throttled per client address (CF-Connecting-IP), across isolates
// (the RATE_LIMITER Durable Object): after ADMIN_AUTH_MAX_FAILURES wrong tokens the address gets
// 429 with Retry-After for everything, the right token included; other addresses are unaffected;
// the failures refill over ADMIN_AUTH_WINDOW_MS.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker, { type WorkerEnv } from "../../../worker/index.ts";
import { DEFAULT_MAX_FAILURES, DEFAULT_WINDOW_MS, throttleRule } from "../../../worker/admin/throttle.ts";
import { BASE, TOKEN } from "../helpers/admin.ts";

let nextHost = 1;
/** A fresh address per test: each has its own bucket. */
const freshIP = () => `198.51.100.${nextHost++}`;

const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;

function call(ip: string, token: string | null, settings: Partial<WorkerEnv> = {}): Promise<Response> {
  const headers: Record<string, string> = { "cf-connecting-ip": ip };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const request = new Request(`${BASE}/status`, { headers });
  return Object.keys(settings).length === 0 ? SELF.fetch(request) : worker.fetch(request, { ...(env as WorkerEnv), ...settings }, ctx);
}

async function statuses(n: number, ip: string, token: string | null, settings: Partial<WorkerEnv> = {}): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await call(ip, token, settings);
    await res.arrayBuffer();
    out.push(res.status);
  }
  return out;
}

describe("admin auth throttle", () => {
  it(`${DEFAULT_MAX_FAILURES} wrong tokens, then 429 with Retry-After for every request from that address`, async () => {
    const ip = freshIP();
    expect(await statuses(DEFAULT_MAX_FAILURES, ip, "wrong-token")).toEqual(Array(DEFAULT_MAX_FAILURES).fill(401));
    const blocked = await call(ip, "wrong-token");
    expect(blocked.status).toBe(429);
    // One failure refills every window / N: 5 min / 10 = 30 s.
    expect(blocked.headers.get("retry-after")).toBe(String(DEFAULT_WINDOW_MS / DEFAULT_MAX_FAILURES / 1000));
    expect(((await blocked.json()) as { error: string }).error).toMatch(/too many failed admin logins/);
    // The right token too, and no token: else 429 vs 200 would tell a guess right from wrong.
    const right = await call(ip, TOKEN);
    expect(right.status).toBe(429);
    expect(right.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await call(ip, null)).status).toBe(429);
  });

  it("a correct token from another address is unaffected, and so is that address's own count", async () => {
    const attacker = freshIP();
    await statuses(DEFAULT_MAX_FAILURES + 5, attacker, "guess");
    expect((await call(attacker, TOKEN)).status).toBe(429);
    const operator = freshIP();
    expect((await call(operator, TOKEN)).status).toBe(200);
    expect((await call(operator, "typo")).status).toBe(401);
    expect((await call(operator, TOKEN)).status).toBe(200);
  });

  it("successes and requests without a token take nothing from the bucket", async () => {
    const ip = freshIP();
    expect(await statuses(25, ip, TOKEN)).toEqual(Array(25).fill(200));
    expect(await statuses(5, ip, null)).toEqual(Array(5).fill(401));
    expect(await statuses(DEFAULT_MAX_FAILURES, ip, "wrong")).toEqual(Array(DEFAULT_MAX_FAILURES).fill(401));
    expect((await call(ip, "wrong")).status).toBe(429);
  });

  it("an IPv6 client is counted by its /64", async () => {
    const [a, b, other] = ["2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:db8:1:3::1"];
    await statuses(DEFAULT_MAX_FAILURES, a, "wrong");
    expect((await call(b, "wrong")).status).toBe(429);
    expect((await call(b, TOKEN)).status).toBe(429);
    expect((await call(other, TOKEN)).status).toBe(200);
  });

  it("the count lives in the Durable Object: failures made elsewhere block this isolate", async () => {
    // Another isolate's failures are takes from the same object; this isolate never saw them.
    const ip = freshIP();
    const rule = throttleRule(env as WorkerEnv);
    const stub = (env as WorkerEnv).RATE_LIMITER.get((env as WorkerEnv).RATE_LIMITER.idFromName(`admin-auth:${ip}`));
    for (let i = 0; i < DEFAULT_MAX_FAILURES; i++) expect((await stub.take(rule)).allowed).toBe(true);
    const res = await call(ip, TOKEN);
    expect(res.status).toBe(429);
    expect(res.headers.has("retry-after")).toBe(true);
  });

  it("the failures refill over the window (3 per 3 s here)", async () => {
    // One failure back per second: the 4 quick attempts below fit well inside one.
    const settings = { ADMIN_AUTH_MAX_FAILURES: "3", ADMIN_AUTH_WINDOW_MS: "3000" };
    const ip = freshIP();
    expect(await statuses(4, ip, "wrong", settings)).toEqual([401, 401, 401, 429]);
    const blocked = await call(ip, TOKEN, settings);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toBe("1");
    await new Promise((r) => setTimeout(r, 3100));
    expect((await call(ip, TOKEN, settings)).status).toBe(200);
    expect(await statuses(4, ip, "wrong", settings)).toEqual([401, 401, 401, 429]);
  });

  it("when the throttle cannot be asked, every attempt gets 503 (never an unthrottled guess)", async () => {
    const broken = {
      idFromName: () => ({}),
      get: () => ({ take: () => Promise.reject(new Error("down")), peek: () => Promise.reject(new Error("down")) }),
    } as unknown as WorkerEnv["RATE_LIMITER"];
    const ip = freshIP();
    for (const token of [TOKEN, "wrong"]) {
      const res = await call(ip, token, { RATE_LIMITER: broken });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("1");
    }
  });
});
