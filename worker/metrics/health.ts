// traefik_service_server_up: sampled at each flush (not per request) from the health this isolate
// knows, for the services with an active health check (Traefik shows the gauge only for those).
import type { Snapshot } from "../compile/snapshot.ts";
import type { Recorder } from "./recorder.ts";
import { qualified } from "./request.ts";

export function sampleServerUp(current: () => Snapshot | null): (recorder: Recorder, nowMs: number) => void {
  return (recorder, nowMs) => {
    const snapshot = current();
    if (!snapshot) return;
    for (const [name, entry] of snapshot.services) {
      const pool = entry.pool;
      if (!pool?.active) continue;
      const service = qualified(name, snapshot.meta.provider);
      for (const server of pool.servers) recorder.serverUp(service, server.configuredURL, pool.status(server) === "UP", nowMs);
    }
  };
}
