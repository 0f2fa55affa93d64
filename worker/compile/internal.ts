// Built-in services a router may name: `api@internal` (Traefik's read-only API, guarded only by
// the router's own middlewares) and `noop@internal` (answers 200 with no body; used behind
// redirect middlewares). Traefik's dashboard UI is not part of Switchyard.
import { withoutBody } from "../api/responses.ts";
import { apiError, traefikApi } from "../api/traefik-api.ts";
import type { Handler } from "../services/types.ts";
import type { Snapshot } from "./snapshot.ts";

/** The snapshot being built: set once it exists, read by api@internal on every request. */
export interface SnapshotSlot {
  current: Snapshot | null;
}

export function internalService(ref: string, slot: SnapshotSlot): Handler | string {
  switch (ref) {
    case "api@internal":
      return async (request, rc) => {
        if (request.method !== "GET" && request.method !== "HEAD") return apiError(405, "the API is read-only");
        const response = slot.current ? traefikApi(new URL(request.url).pathname, rc.url, slot.current) : apiError(503, "not ready");
        return request.method === "HEAD" ? withoutBody(response) : response;
      };
    case "noop@internal":
      return async () => new Response(null, { status: 200 });
    case "dashboard@internal":
      return "dashboard@internal is not available: Switchyard has no dashboard UI (use api@internal for the API)";
    default:
      return `unknown internal service "${ref}" (available: api@internal, noop@internal)`;
  }
}
