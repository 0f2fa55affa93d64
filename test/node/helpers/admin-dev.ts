// `wrangler dev` for the end-to-end tests that publish with the CLI and read the admin API back
// (fleet status, signed configs): a loopback whoami upstream, the admin token also given to the CLI
// (SWITCHYARD_TOKEN), polling every 100 ms and the version header on. Every wait is bounded.
import { expect } from "vitest";
import { startWhoami, type Whoami } from "../../../examples/whoami.ts";
import { startWranglerDev, type Running } from "./processes.ts";

export interface AdminDev {
  readonly dev: Running;
  readonly whoami: Whoami;
  /** GET <base><path> with the admin token: must answer 200; its JSON. */
  admin<T>(path: string): Promise<T>;
  /** Traffic (each request to /app lets the isolate poll and report) until `done`, for at most `ms`. */
  until<T>(what: string, probe: () => Promise<T>, done: (t: T) => boolean, ms?: number): Promise<T>;
  /** Stops wrangler dev and whoami, and takes SWITCHYARD_TOKEN out of the environment. */
  stop(): Promise<void>;
}

/** `name` tags whoami's answers; `vars` are added to (or override) the Worker vars above. */
export async function startAdminDev(name: string, token: string, vars: Record<string, string> = {}): Promise<AdminDev> {
  const whoami = await startWhoami({ port: 0, name });
  const dev = await startWranglerDev({ vars: { ADMIN_TOKEN: token, POLL_INTERVAL_MS: "100", VERSION_HEADER: "true", ...vars }, readyPath: "/__switchyard/status" }).catch(async (err: unknown) => {
    await whoami.close();
    throw err;
  });
  process.env.SWITCHYARD_TOKEN = token;
  const admin = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${dev.url}/__switchyard${path}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };
  const until = async <T>(what: string, probe: () => Promise<T>, done: (t: T) => boolean, ms = 15_000): Promise<T> => {
    const deadline = Date.now() + ms;
    let last: T;
    do {
      await (await fetch(`${dev.url}/app`, { signal: AbortSignal.timeout(10_000) })).arrayBuffer();
      last = await probe();
      if (done(last)) return last;
      await new Promise((r) => setTimeout(r, 50));
    } while (Date.now() < deadline);
    throw new Error(`${what} not within ${ms} ms; last: ${JSON.stringify(last)}`);
  };
  const stop = async () => {
    delete process.env.SWITCHYARD_TOKEN;
    await dev.stop();
    await whoami.close();
  };
  return { dev, whoami, admin, until, stop };
}
