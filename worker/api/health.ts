// Before the API shows servers' health: this isolate may have served no request to a service
// (the background polls that learn the health checker's results ride on requests), so an API read
// asks every active check of the snapshot once, bounded in time, and shows what came back.
import type { Snapshot } from "../compile/snapshot.ts";
import type { RequestEnv } from "../services/types.ts";

/** The longest an API read waits for the health checkers (ms); past it, what is known is shown. */
export const HEALTH_REFRESH_LIMIT_MS = 1_000;

/** Whether an API path shows services (and so their servers' health). */
export function showsServers(path: string): boolean {
  return path === "/api/rawdata" || path.startsWith("/api/http/services");
}

/** Polls the health checker of every service with an active check (each single flight, at most once per poll interval), within `limitMs`. */
export async function refreshHealth(snapshot: Snapshot, env: RequestEnv, limitMs = HEALTH_REFRESH_LIMIT_MS): Promise<void> {
  if (!env.HEALTH_CHECKER) return;
  const polls: Promise<void>[] = [];
  for (const name of Object.keys(snapshot.config.http?.services ?? {})) {
    const active = snapshot.services.get(name)?.pool?.active;
    if (active) polls.push(active.refresh(env));
  }
  if (polls.length === 0) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)));
  await Promise.race([Promise.all(polls), limit]);
  clearTimeout(timer);
}
