// Traefik's read-only API (`/api/...`), same paths and JSON shapes, served from a snapshot: under
// the admin base path (token-guarded) and through a user router to `api@internal` (guarded by that
// router's own middlewares, as in Traefik).
import type { Snapshot } from "../compile/snapshot.ts";
import { json } from "./responses.ts";
import { representations, type Item } from "./represent.ts";

export const VERSION = "0.1.0";
const startDate = new Date().toISOString();

export function traefikApi(path: string, url: URL, snapshot: Snapshot): Response {
  const r = representations(snapshot);
  switch (path) {
    case "/api/version":
      return json({ Version: `switchyard-${VERSION}`, Codename: "switchyard", startDate });
    case "/api/overview":
      return json(overview(r.routers, r.services, r.middlewares, snapshot.meta.provider));
    case "/api/rawdata":
      return json({ routers: byName(r.routers), services: byName(r.services), middlewares: byName(r.middlewares) });
  }
  const match = /^\/api\/http\/(routers|services|middlewares)(?:\/([^/]+))?$/.exec(path);
  if (!match) return apiError(404, `not found: ${path}`);
  const items = r[match[1] as "routers" | "services" | "middlewares"];
  const kind = match[1]!.slice(0, -1);
  if (match[2] === undefined) return list(items, url);
  const name = decodedSegment(match[2]);
  // Go's HTTP server refuses a malformed escape in the path with 400 before Traefik's API sees it.
  return name === null ? apiError(400, `invalid percent-encoding in the ${kind} name "${match[2]}" (write a literal % as %25)`) : one(items, name, kind);
}

/** A path segment with its percent-escapes decoded; null when one is malformed (`%E0%A4%A`, `%zz`). */
function decodedSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function one(items: readonly Item[], name: string, kind: string): Response {
  // Traefik names items `name@provider`; a bare name is accepted too.
  const item = items.find((i) => i.name === name || i.name.split("@")[0] === name);
  return item ? json(item) : apiError(404, `${kind} not found: ${name}`);
}

function list(items: readonly Item[], url: URL): Response {
  const q = url.searchParams;
  const filtered = items.filter((i) => keep(i, q)).sort((a, b) => a.name.localeCompare(b.name));
  const page = Number(q.get("page") ?? 1);
  const perPage = Number(q.get("per_page") ?? 100);
  const start = (page - 1) * perPage;
  if (!Number.isInteger(page) || !Number.isInteger(perPage) || page < 1 || perPage < 1 || (start >= filtered.length && page > 1)) {
    return apiError(400, `invalid request: page: ${q.get("page")}, per_page: ${q.get("per_page")}`);
  }
  const end = Math.min(start + perPage, filtered.length);
  const next = end < filtered.length ? page + 1 : 1;
  return json(filtered.slice(start, end), 200, { "x-next-page": String(next) });
}

function keep(item: Item, q: URLSearchParams): boolean {
  const status = q.get("status");
  const search = q.get("search")?.toLowerCase();
  const service = q.get("serviceName");
  const middleware = q.get("middlewareName");
  if (status && item.status !== status) return false;
  if (search && !`${item.name} ${typeof item.rule === "string" ? item.rule : ""}`.toLowerCase().includes(search)) return false;
  if (service && item.service !== service) return false;
  if (middleware && !(Array.isArray(item.middlewares) && item.middlewares.includes(middleware))) return false;
  return true;
}

function byName(items: readonly Item[]): Record<string, Item> {
  return Object.fromEntries(items.map((i) => [i.name, i]));
}

function overview(routers: readonly Item[], services: readonly Item[], middlewares: readonly Item[], provider: string) {
  const count = (items: readonly Item[]) => ({
    total: items.length,
    warnings: items.filter((i) => i.status === "warning").length,
    errors: items.filter((i) => i.status === "disabled").length,
  });
  const zero = { total: 0, warnings: 0, errors: 0 };
  return {
    http: { routers: count(routers), services: count(services), middlewares: count(middlewares) },
    tcp: { routers: zero, services: zero, middlewares: zero },
    udp: { routers: zero, services: zero },
    features: { tracing: "", metrics: "", accessLog: false },
    providers: [provider],
  };
}

/** Traefik's API error body. */
export function apiError(status: number, message: string): Response {
  return json({ message }, status);
}
