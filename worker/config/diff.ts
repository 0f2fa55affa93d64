// What changed between two configs, field by field (issue 18): for each router, service,
// middleware and transport that changed, every leaf that differs, at a path in the notation of
// validation errors (`http.routers.api.rule`, `http.services.s.loadBalancer.servers[0].url`).
// Pure, so the admin API (<base>/config/diff), `switchyard diff`, `switchyard plan` and the
// dashboard all say the same. The name lists (added/removed/changed per section) are the config
// store's own (providers/store/diff.ts), so the two never disagree on which entries changed.
//
// Objects are compared key by key down to the leaves; arrays element by element by index (a
// server inserted at the front shows as every later index changed plus one added: predictable and
// what the text of the config shows, where matching by a key such as `url` would guess). A value
// whose type changes (object → string, array → object) is one change of the whole value. An entry
// added or removed as a whole is one change at its own path, with its whole value.
import type { SectionDiff } from "../../providers/config-store-api.ts";
import { DIFF_SECTIONS, diffConfigs, type DiffSection, type DiffSide } from "../../providers/store/diff.ts";
import { formatPath, type Path } from "./issues.ts";
import { setOwn } from "./own.ts";

export { DIFF_SECTIONS, type DiffSection, type DiffSide } from "../../providers/store/diff.ts";

/** At most this many field changes are listed per entry; beyond, the entry is named in `truncated`. */
export const MAX_FIELD_CHANGES = 100;

export interface FieldChange {
  readonly path: string;
  readonly op: "added" | "removed" | "changed";
  /** The value before (absent when added). */
  readonly from?: unknown;
  /** The value after (absent when removed). */
  readonly to?: unknown;
}

export interface FieldSectionDiff extends SectionDiff {
  /** name → its field changes, for every name added, removed or changed. */
  readonly fields: Record<string, FieldChange[]>;
  /** Names whose list was cut at MAX_FIELD_CHANGES (absent when none was). */
  readonly truncated?: string[];
}

export interface FieldConfigDiff {
  readonly from: number;
  readonly to: number;
  readonly routers: FieldSectionDiff;
  readonly services: FieldSectionDiff;
  readonly middlewares: FieldSectionDiff;
  readonly serversTransports: FieldSectionDiff;
}

/** The store's section diff plus, per section, each entry's field changes. */
export function diffConfigFields(from: DiffSide, to: DiffSide, limit = MAX_FIELD_CHANGES): FieldConfigDiff {
  const sections = diffConfigs(from, to);
  const before = JSON.parse(from.canonical) as unknown;
  const after = JSON.parse(to.canonical) as unknown;
  const section = (name: DiffSection): FieldSectionDiff => {
    const names = sections[name];
    const fields: Record<string, FieldChange[]> = {};
    const truncated: string[] = [];
    for (const item of [...names.added, ...names.removed, ...names.changed].sort()) {
      const out: FieldChange[] = [];
      const complete = diffValues(entry(before, name, item), entry(after, name, item), ["http", name, item], out, limit);
      setOwn(fields, item, out);
      if (!complete) truncated.push(item);
    }
    return { ...names, fields, ...(truncated.length > 0 ? { truncated } : {}) };
  };
  const [routers, services, middlewares, serversTransports] = DIFF_SECTIONS.map(section) as [FieldSectionDiff, FieldSectionDiff, FieldSectionDiff, FieldSectionDiff];
  return { from: sections.from, to: sections.to, routers, services, middlewares, serversTransports };
}

/**
 * Appends the changes from `a` to `b` (undefined: absent) under `path` to `out`; false once `out`
 * holds `limit` changes and more were left out.
 */
export function diffValues(a: unknown, b: unknown, path: Path, out: FieldChange[], limit: number): boolean {
  if (a === undefined && b === undefined) return true;
  if (a === undefined || b === undefined || kind(a) !== kind(b) || (kind(a) === "leaf" && !sameLeaf(a, b))) {
    if (out.length >= limit) return false;
    const at = formatPath(path);
    out.push(a === undefined ? { path: at, op: "added", to: b } : b === undefined ? { path: at, op: "removed", from: a } : { path: at, op: "changed", from: a, to: b });
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) if (!diffValues(a[i], b[i], [...path, i], out, limit)) return false;
    return true;
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) if (!diffValues(own(a, key), own(b, key), [...path, key], out, limit)) return false;
  }
  return true;
}

type Kind = "array" | "object" | "leaf";

function kind(value: unknown): Kind {
  return Array.isArray(value) ? "array" : isObject(value) ? "object" : "leaf";
}

function sameLeaf(a: unknown, b: unknown): boolean {
  return a === b;
}

function entry(config: unknown, section: DiffSection, name: string): unknown {
  return own(own(own(config, "http"), section), name);
}

/** An own property (a name such as `__proto__` or `constructor` is a name, never an inherited member). */
function own(value: unknown, key: string): unknown {
  return isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
