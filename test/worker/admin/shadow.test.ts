// Shadow evaluation through the Worker (issue 18): PUT <base>/config/shadow keeps a candidate
// without serving it, real requests keep getting the live routers' responses, the isolate's
// samples reach the config store, and GET <base>/config/shadow answers the routing diff.
import { env, SELF } from "cloudflare:test";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { WorkerEnv } from "../../../worker/index.ts";
import { runtimeFor } from "../../../worker/runtime.ts";
import { adminFetch, putConfig, untilServing } from "../helpers/admin.ts";

const upstream = inject("whoamiUrl");
/** The routers both versions have (probe, sh-api) and `routers`, all on one service. */
const configOf = (routers: Record<string, { rule: string; service: string }>) => ({
  http: {
    routers: {
      probe: { rule: "PathPrefix(`/__probe`)", service: "app" },
      "sh-api": { rule: "PathPrefix(`/sh/api`)", service: "app" },
      ...routers,
    },
    services: { app: { loadBalancer: { servers: [{ url: upstream }] } } },
  },
});
const LIVE = configOf({ "sh-web": { rule: "PathPrefix(`/sh`)", service: "app" } });
/** /sh/api/v2 moves to a new router, the rest of /sh/api stays, /sh/web gets 404. */
const CANDIDATE = configOf({ "sh-api-v2": { rule: "PathPrefix(`/sh/api/v2`)", service: "app" } });

const put = (config: unknown, query = "") =>
  adminFetch(`/config/shadow${query}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(config) });

type State = { active: boolean; id: string; sampled: number; moved: number; author: string; basedOn: number; sampleRate: number; moves: { from: string | null; to: string | null; count: number; percent: number }[]; summary: string[] };
const state = async () => (await (await adminFetch("/config/shadow")).json()) as State;

const runtime = runtimeFor(env as WorkerEnv);
const original = { options: runtime.shadow.options, random: runtime.shadow.seams.random, now: runtime.shadow.seams.now };

afterAll(async () => {
  await adminFetch("/config/shadow", { method: "DELETE" });
  runtime.shadow.options = original.options;
  runtime.shadow.seams.random = original.random;
  runtime.shadow.seams.now = original.now;
});

describe("shadow evaluation", () => {
  it("refuses an invalid candidate (with paths) and a bad sample rate; nothing starts", async () => {
    const bad = await put({ http: { routers: { x: { rule: "Path(`/x`)", service: "nowhere" } } } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain("http.routers.x.service");
    expect((await put(CANDIDATE, "?sampleRate=2")).status).toBe(400);
    expect((await put(CANDIDATE, "?sampleRate=0")).status).toBe(400);
    expect(await state()).toEqual({ active: false });
    expect((await adminFetch("/config/shadow", { method: "DELETE" })).status).toBe(404);
  });

  it("real requests keep the live routing; the isolate reports where the candidate would send them", async () => {
    const live = (await (await putConfig(LIVE)).json()) as { version: number };
    await (await untilServing(live.version)).arrayBuffer();
    // The isolate serving SELF: every request sampled, the pointer read and counts sent at once.
    runtime.shadow.options = { ...runtime.shadow.options, pollIntervalMs: 0, flushIntervalMs: 0 };
    runtime.shadow.seams.random = () => 0;
    // Its clock an hour on: the pointer read it scheduled (30 s after its first request) is due now.
    runtime.shadow.seams.now = () => Date.now() + 3_600_000;

    const started = await put(CANDIDATE, "?sampleRate=1");
    expect(started.status).toBe(200);
    const s = (await started.json()) as State;
    expect(s).toMatchObject({ active: true, sampled: 0, author: "admin", basedOn: live.version, sampleRate: 1 });

    const paths = ["/sh/api/v2/items", "/sh/api/v1/items", "/sh/web", "/sh/web/x"];
    const deadline = Date.now() + 10_000;
    let seen = await state();
    while (seen.sampled < 8 && Date.now() < deadline) {
      for (const path of paths) {
        const res = await SELF.fetch(`http://router.test${path}`);
        await res.arrayBuffer();
        // The shadow never changes a response: the live router answers, as without it.
        expect(res.status).toBe(200);
        expect(res.headers.get("x-switchyard-router")).toBe(path.startsWith("/sh/api") ? "sh-api" : "sh-web");
      }
      seen = await state();
    }
    expect(seen.sampled).toBeGreaterThanOrEqual(8);
    const moves = Object.fromEntries(seen.moves.map((m) => [`${m.from} -> ${m.to}`, m]));
    expect(Object.keys(moves).sort()).toEqual(["sh-api -> sh-api-v2", "sh-web -> null"]);
    // Each path was sampled as often as the others, give or take the round in flight.
    const share = (m: { count: number }) => m.count / seen.sampled;
    expect(share(moves["sh-web -> null"]!)).toBeGreaterThan(0.3);
    expect(share(moves["sh-api -> sh-api-v2"]!)).toBeGreaterThan(0.1);
    expect(seen.moved).toBe(moves["sh-web -> null"]!.count + moves["sh-api -> sh-api-v2"]!.count);
    expect(seen.summary).toContain(`${moves["sh-web -> null"]!.percent} % of requests would get 404 (they go to router \`sh-web\` now)`);
    expect(seen.summary).toContain(`${moves["sh-api -> sh-api-v2"]!.percent} % of requests would move from router \`sh-api\` to \`sh-api-v2\``);

    // Ending it answers the last state; the live config was never touched.
    const stopped = await adminFetch("/config/shadow", { method: "DELETE" });
    expect(stopped.status).toBe(200);
    expect(((await stopped.json()) as State).id).toBe(s.id);
    expect(await state()).toEqual({ active: false });
    const history = (await (await adminFetch("/config/history?limit=1")).json()) as { version: number }[];
    expect(history[0]!.version).toBe(live.version);
  });
});
