import { SELF } from "cloudflare:test";
import { expect } from "vitest";

export const TOKEN = "test-admin-token";
export const BASE = "http://router.test/__switchyard";

export function adminFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("authorization")) headers.set("authorization", `Bearer ${TOKEN}`);
  return SELF.fetch(`${BASE}${path}`, { ...init, headers });
}

export async function putConfig(config: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return adminFetch("/config", {
    method: "PUT",
    headers: { "content-type": "application/json", ...headers },
    body: typeof config === "string" ? config : JSON.stringify(config),
  });
}

/** PUTs `config`, which must be accepted, and waits until the router serves it (requests to `path`); its version. */
export async function publish(config: unknown, path = "/__probe"): Promise<number> {
  const res = await putConfig(config);
  expect(res.status).toBe(200);
  const { version } = (await res.json()) as { version: number };
  await (await untilServing(version, path)).arrayBuffer();
  return version;
}

/** Requests through the router until it serves `version` (the watcher polls in the background). */
export async function untilServing(version: number, path = "/__probe", tries = 200): Promise<Response> {
  for (let i = 0; i < tries; i++) {
    const res = await SELF.fetch(`http://router.test${path}`);
    if (res.headers.get("x-switchyard-version") === String(version) || (await currentVersion()) === version) return res;
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`router never served version ${version}`);
}

export async function currentVersion(): Promise<number | null> {
  const res = await adminFetch("/status");
  const status = (await res.json()) as { serving: { version: number } | null };
  return status.serving?.version ?? null;
}
