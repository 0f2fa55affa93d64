// The entry recognises admin paths before it waits for a snapshot: on a cold isolate whose config
// load never finishes, the admin API still answers (from what is loaded: nothing yet), while a
// routed request is still waiting for its first config.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker, { type WorkerEnv } from "../../../worker/index.ts";
import { BASE, TOKEN } from "../helpers/admin.ts";

/** A KV namespace whose every read never settles (the test bounds how long it waits). */
const stuckKv = new Proxy({}, { get: () => () => new Promise<never>(() => {}) }) as KVNamespace;

const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
const TIMED_OUT = Symbol("timed out");

/** `promise`'s value, or TIMED_OUT after `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  return Promise.race([promise, new Promise<typeof TIMED_OUT>((resolve) => setTimeout(() => resolve(TIMED_OUT), ms))]);
}

describe("the entry: admin before the snapshot", () => {
  // This file's isolate is fresh: the first request creates the runtime, here with a KV source
  // whose load is pending for the whole test.
  const coldEnv: WorkerEnv = { ...(env as WorkerEnv), CONFIG_SOURCE: "kv", CONFIG_KV: stuckKv };

  it("answers an admin request while the first config load is still pending", async () => {
    const routed = within(worker.fetch(new Request("http://router.test/anything"), coldEnv, ctx), 300);
    const status = await within(worker.fetch(new Request(`${BASE}/status`, { headers: { authorization: `Bearer ${TOKEN}` } }), coldEnv, ctx), 2_000);
    expect(status).not.toBe(TIMED_OUT);
    const res = status as Response;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ serving: null });
    // The load really is pending: the routed request is still waiting for it.
    expect(await routed).toBe(TIMED_OUT);
    const api = await within(worker.fetch(new Request(`${BASE}/api/overview`, { headers: { authorization: `Bearer ${TOKEN}` } }), coldEnv, ctx), 2_000);
    expect(api === TIMED_OUT ? api : api.status).toBe(503);
  });
});
