// What changed between two stored configs, per section: names added, removed, and changed (an
// entry whose canonical JSON differs, so key order never counts as a change).
//
// Both sides are canonical JSON text (keys sorted: worker/config canonicalJSON). JSON.parse builds
// each object in its text's key order (integer-like keys first, on both sides alike), so
// JSON.stringify of equal entries gives equal strings, of different ones different strings: no
// canonicalizer is needed here (the store knows storage, not the config model).
import type { ConfigDiff, SectionDiff } from "../config-store-api.ts";

export const DIFF_SECTIONS = ["routers", "services", "middlewares", "serversTransports"] as const;
export type DiffSection = (typeof DIFF_SECTIONS)[number];

export interface DiffSide {
  readonly version: number;
  /** Canonical JSON (sorted keys), as stored. */
  readonly canonical: string;
}

export function diffConfigs(from: DiffSide, to: DiffSide): ConfigDiff {
  const before = JSON.parse(from.canonical) as unknown;
  const after = JSON.parse(to.canonical) as unknown;
  const section = (name: DiffSection) => diffSection(entries(before, name), entries(after, name));
  return {
    from: from.version,
    to: to.version,
    routers: section("routers"),
    services: section("services"),
    middlewares: section("middlewares"),
    serversTransports: section("serversTransports"),
  };
}

export function diffSection(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): SectionDiff {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [name, json] of after) {
    const old = before.get(name);
    if (old === undefined) added.push(name);
    else if (old !== json) changed.push(name);
  }
  for (const name of before.keys()) if (!after.has(name)) removed.push(name);
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}

/** name → the entry's JSON (canonical, as the text it came from), for `http.<section>`. */
function entries(config: unknown, section: DiffSection): Map<string, string> {
  const http = field(config, "http");
  const items = field(http, section);
  const out = new Map<string, string>();
  if (!isObject(items)) return out;
  for (const [name, value] of Object.entries(items)) out.set(name, JSON.stringify(value));
  return out;
}

function field(value: unknown, name: string): unknown {
  return isObject(value) ? value[name] : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
