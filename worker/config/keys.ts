// Keys of raw config data, read as Traefik reads them: case-insensitively. A key that differs from
// a known key only in letter case is renamed to Switchyard's spelling (with a warning), so every
// consumer sees `healthCheck`, never `healthcheck`. Names chosen by the user (the keys of a
// z.record: router names, header names...) are data and stay as written.
import { $ZodArray, $ZodObject, $ZodRecord, $ZodUnion, type $ZodType } from "zod/v4/core";
import type { IssueList, Path } from "./issues.ts";
import { unwrap } from "./zod-issues.ts";

type Schema = $ZodType;

export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The known key `key` stands for: itself, or the one key it equals but for case. */
function canonicalSpelling(key: string, known: readonly string[]): string | undefined {
  if (known.includes(key)) return key;
  const lower = key.toLowerCase();
  const matches = known.filter((k) => k.toLowerCase() === lower);
  return matches.length === 1 ? matches[0] : undefined;
}

/** Groups the keys of `map` by the key they stand for (an unknown key stands for itself). */
function spellingsByKey(map: Record<string, unknown>, known: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const key of Object.keys(map)) {
    const target = canonicalSpelling(key, known) ?? key;
    groups.set(target, [...(groups.get(target) ?? []), key]);
  }
  return groups;
}

/**
 * How the values of several spellings of one key become one value: given them in the order
 * Traefik fills them. Traefik merges them (its decoder matches keys case-insensitively and fills
 * the same field once per spelling); the default keeps the last.
 */
export type Combine = (target: string, values: readonly unknown[]) => unknown;

const lastValue: Combine = (_target, values) => values[values.length - 1];

/**
 * Traefik's order for the spellings of one key: paerser sorts a map's keys (file/raw_node.go
 * sortKeys, Go's byte order) before filling, so the spelling that sorts last wins where two set
 * the same option, wherever each is in the file ("inFlightReq" before "inflightreq").
 */
function traefikOrder(spellings: readonly string[]): string[] {
  return [...spellings].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The value kept for `target`: one spelling (a warning for a case variant), or several merged (a warning naming them). */
function combineSpellings(map: Record<string, unknown>, target: string, spellings: readonly string[], path: Path, issues: IssueList, combine: Combine): unknown {
  const first = spellings[0] ?? target;
  if (spellings.length === 1) {
    if (first !== target) issues.warn([...path, first], `key "${first}" read as "${target}" (Switchyard's canonical spelling)`);
    return map[first];
  }
  const ordered = traefikOrder(spellings);
  const written = ordered.map((s) => `"${s}"`).join(" and ");
  const last = ordered[ordered.length - 1];
  issues.warn([...path, target], `keys ${written} are one key written in different case: merged into "${target}" as Traefik does; where both set the same option, "${last}" wins (Traefik fills the spellings in sorted order)`);
  return combine(target, ordered.map((s) => map[s]));
}

/**
 * `map` with every key that is a case variant of one of `known` renamed to it, and the spellings
 * of one key combined by `combine`. Unknown keys are kept for the schema to report. Built with
 * fromEntries so a `__proto__` key stays a plain key. A map whose keys are all spelled as known
 * (nearly every map of every config) is returned as is.
 */
export function canonicalKeys(map: Record<string, unknown>, known: readonly string[], path: Path, issues: IssueList, combine: Combine = lastValue): Record<string, unknown> {
  if (Object.keys(map).every((key) => (canonicalSpelling(key, known) ?? key) === key)) return map;
  const entries: [string, unknown][] = [];
  for (const [target, spellings] of spellingsByKey(map, known)) {
    entries.push([target, combineSpellings(map, target, spellings, path, issues, combine)]);
  }
  return Object.fromEntries(entries);
}

/**
 * `later` filled over `earlier` as Traefik fills one field twice (paerser parser/element_fill.go):
 * a struct (zod object) keeps what `later` does not set and merges what both set; a map (zod
 * record) keeps its entries and takes `later`'s, each whole; a list or a scalar is replaced. An
 * empty value (YAML `key:`) sets nothing: paerser skips nil values. Both are in canonical case.
 */
export function fillOver(earlier: unknown, later: unknown, schema: Schema | undefined): unknown {
  if (later === null || later === undefined) return earlier ?? later;
  if (earlier === null || earlier === undefined || schema === undefined || !isMap(earlier) || !isMap(later)) return later;
  const s = unwrap(schema);
  if (s instanceof $ZodRecord) return Object.fromEntries([...Object.entries(earlier), ...Object.entries(later)]);
  if (!(s instanceof $ZodObject)) return later;
  const shape = s._zod.def.shape;
  const entries = new Map(Object.entries(earlier));
  for (const [key, value] of Object.entries(later)) {
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
    entries.set(key, entries.has(key) ? fillOver(entries.get(key), value, field) : value);
  }
  return Object.fromEntries(entries);
}

/** Whether `value` has the shape `schema` describes at its top (a map or a list). */
function fits(value: unknown, schema: Schema): boolean {
  const s = unwrap(schema);
  if (s instanceof $ZodObject || s instanceof $ZodRecord) return isMap(value);
  if (s instanceof $ZodArray) return Array.isArray(value);
  return false;
}

// The walkers below copy a map or list only when something in it changed: a config of 10,000
// routers is nearly all canonical already, and copying it would cost more than checking it.

function objectCase(map: Record<string, unknown>, schema: $ZodObject, path: Path, issues: IssueList): Record<string, unknown> {
  const shape = schema._zod.def.shape;
  const fieldOf = (key: string) => (Object.hasOwn(shape, key) ? shape[key] : undefined);
  const walk = (key: string, value: unknown) => {
    // Only maps and lists have keys to rename: a scalar needs no walk (nor its path built).
    if (typeof value !== "object" || value === null) return value;
    const field = fieldOf(key);
    return field === undefined ? value : canonicalCase(value, field, [...path, key], issues);
  };
  // Several spellings of one key: each read in canonical case first, then filled in Traefik's
  // order. Their merge is canonical already, so it is not walked again.
  let merged: Set<string> | undefined;
  const combine: Combine = (target, values) => {
    (merged ??= new Set()).add(target);
    return values.map((v) => walk(target, v)).reduce((a, b) => fillOver(a, b, fieldOf(target)));
  };
  const renamed = canonicalKeys(map, Object.keys(shape), path, issues, combine);
  return mapValues(renamed, renamed !== map, (key, value) => (merged?.has(key) ? value : walk(key, value)));
}

function recordCase(map: Record<string, unknown>, schema: $ZodRecord, path: Path, issues: IssueList): Record<string, unknown> {
  // zod's records skip a `__proto__` key without a word; refusing it here keeps it from vanishing.
  // (The names of routers, services, middlewares and transports are not read by zod: they may be `__proto__`.)
  if (Object.hasOwn(map, "__proto__")) issues.error([...path, "__proto__"], '"__proto__" cannot be a key here: rename it');
  const valueType = schema._zod.def.valueType;
  return mapValues(map, false, (name, value) => canonicalCase(value, valueType, [...path, name], issues));
}

/** `map` with `f` applied to its values: `map` itself when no value changed (and not `copied` already). */
function mapValues(map: Record<string, unknown>, copied: boolean, f: (key: string, value: unknown) => unknown): Record<string, unknown> {
  const entries = Object.entries(map);
  let changed = copied;
  for (const entry of entries) {
    const value = f(entry[0], entry[1]);
    if (value !== entry[1]) {
      entry[1] = value;
      changed = true;
    }
  }
  return changed ? Object.fromEntries(entries) : map;
}

/**
 * `value` with the keys of every object `schema` describes in their canonical case, found by
 * walking objects, record values, list items and the wrappers around them (optional, default,
 * nullable, preprocess/pipe, and the union option the value's shape fits). Run before parsing:
 * paths are those of the result, so a warning's last segment is the key as written.
 */
export function canonicalCase(value: unknown, schema: Schema, path: Path, issues: IssueList): unknown {
  const s = unwrap(schema);
  if (s instanceof $ZodUnion) {
    const option = s._zod.def.options.find((o) => fits(value, o));
    return option === undefined ? value : canonicalCase(value, option, path, issues);
  }
  if (s instanceof $ZodObject && isMap(value)) return objectCase(value, s, path, issues);
  if (s instanceof $ZodRecord && isMap(value)) return recordCase(value, s, path, issues);
  if (s instanceof $ZodArray && Array.isArray(value)) {
    const items = value.map((item: unknown, i) => canonicalCase(item, s._zod.def.element, [...path, i], issues));
    return items.every((item, i) => item === value[i]) ? value : items;
  }
  return value;
}
