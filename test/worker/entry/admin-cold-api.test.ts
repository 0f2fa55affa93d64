// A cold isolate's first request is a read of Traefik's API: it waits (bounded) for the first
// config load and answers from it, as a routed request would, instead of a 503 race.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker, { type WorkerEnv } from "../../../worker/index.ts";
import { BASE, TOKEN } from "../helpers/admin.ts";

/** KV that answers 300 ms late: the first load is still running when the admin request is handled. */
function slowKv(kv: KVNamespace): KVNamespace {
  return new Proxy(kv, {
    get: (target, key) => (key === "get" ? (...args: unknown[]) => new Promise((r) => setTimeout(r, 300)).then(() => (target.get as (...a: unknown[]) => unknown)(...args)) : Reflect.get(target, key)),
  });
}

const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;

describe("the entry: an admin read on a cold isolate", () => {
  it("waits for the first load and answers from the loaded config", async () => {
    // This file's isolate is fresh: this is its first request. KV holds nothing (and answers late),
    // so the bundled demo config is what loads.
    const cold: WorkerEnv = { ...(env as WorkerEnv), CONFIG_SOURCE: "kv", CONFIG_KV: slowKv((env as WorkerEnv).CONFIG_KV) };
    const res = await worker.fetch(new Request(`${BASE}/api/http/routers`, { headers: { authorization: `Bearer ${TOKEN}` } }), cold, ctx);
    expect(res.status).toBe(200);
    const routers = (await res.json()) as { name: string }[];
    expect(routers.map((r) => r.name)).toContain("whoami@file");
  });
});
