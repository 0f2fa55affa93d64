// The internal services the Worker provides, handed to the compiler by the entry as Traefik's
// ManagerFactory fills InternalHandlers when its static configuration has `api`: `api@internal`
// (Traefik's read-only API, guarded only by the router's own middlewares) and `dashboard@internal`
// (refused with a reason: Traefik's dashboard UI is not part of Switchyard). noop@internal is the
// compiler's own.
import type { InternalFactory, InternalServices, SnapshotSlot } from "../compile/internal.ts";
import type { Handler } from "../services/types.ts";
import { refreshHealth, showsServers } from "./health.ts";
import { withoutBody } from "./responses.ts";
import { apiError, traefikApi } from "./traefik-api.ts";

/** api@internal for the snapshot in `slot`: GET and HEAD only, the same paths as <admin base>/api. */
export function apiService(slot: SnapshotSlot): Handler {
  return async (request, rc) => {
    if (request.method !== "GET" && request.method !== "HEAD") return apiError(405, "the API is read-only");
    const snapshot = slot.current;
    const path = new URL(request.url).pathname;
    if (snapshot && showsServers(path)) await refreshHealth(snapshot, rc.env);
    const response = snapshot ? traefikApi(path, rc.url, snapshot) : apiError(503, "not ready");
    return request.method === "HEAD" ? withoutBody(response) : response;
  };
}

const noDashboard: InternalFactory = () =>
  "dashboard@internal is not available: Switchyard has no dashboard UI (use api@internal for the API)";

/** What the entry, the config store's dry run and the CLI compile with. */
export const apiInternalServices: InternalServices = new Map<string, InternalFactory>([
  ["api@internal", apiService],
  ["dashboard@internal", noDashboard],
]);
