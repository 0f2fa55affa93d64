// Built-in services a router may name as `NAME@internal`. As in Traefik (InternalHandlers, filled by
// its ManagerFactory from the static configuration), the compiler does not build them itself: the
// entry hands in a registry (the API's `api@internal` lives in worker/api/, above this folder).
// Only `noop@internal`, which needs nothing, is built here. A name the registry lacks is "not
// enabled", as Traefik answers for `api@internal` without an `api` section.
import { INTERNAL_SERVICES } from "../config/index.ts";
import type { Handler } from "../services/types.ts";
import type { Snapshot } from "./types.ts";

/** The snapshot being built: set once it exists, read by an internal service on every request. */
export interface SnapshotSlot {
  readonly current: Snapshot | null;
}

/** Builds one internal service for the snapshot being compiled: its handler, or why it cannot be served. */
export type InternalFactory = (snapshot: SnapshotSlot) => Handler | string;

/** The internal services the entry provides, by full name (`api@internal`); a ReadonlyMap will do. */
export interface InternalServices {
  get(name: string): InternalFactory | undefined;
}

/** No internal service but noop@internal: what a compile is given when the entry hands in none. */
export const NO_INTERNAL_SERVICES: InternalServices = new Map<string, InternalFactory>();

// Answers 200 with no body, for routers whose middlewares answer first (redirects).
const noop: Handler = async () => new Response(null, { status: 200 });

export function internalService(ref: string, registry: InternalServices, slot: SnapshotSlot): Handler | string {
  if (ref === "noop@internal") return noop;
  const factory = registry.get(ref);
  if (factory) return factory(slot);
  const name = ref.slice(0, -"@internal".length);
  // Traefik: "api is not enabled" (the API is off in its static configuration).
  if ((INTERNAL_SERVICES as readonly string[]).includes(name)) return `${ref} is not enabled: this build was compiled without it (Traefik: "${name} is not enabled")`;
  return `unknown internal service "${ref}"`;
}
