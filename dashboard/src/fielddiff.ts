// The config diff (GET <base>/config/diff) as rows to render: per section, each entry added,
// removed or changed, with its field changes when the API gives them (`fields`, CONTRACTS.md),
// else only the names (the API before field-level diffs).
export type FieldOp = "added" | "removed" | "changed";
export interface FieldChange {
  readonly path: string;
  readonly op: FieldOp;
  readonly from?: unknown;
  readonly to?: unknown;
}
interface SectionDiff {
  readonly added?: readonly string[];
  readonly removed?: readonly string[];
  readonly changed?: readonly string[];
  readonly fields?: Readonly<Record<string, readonly FieldChange[]>>;
  /** Names whose field list the API cut short. */
  readonly truncated?: readonly string[];
}
export type ConfigDiff = { readonly from: number; readonly to: number } & Readonly<Record<string, unknown>>;

export interface DiffEntry {
  readonly name: string;
  readonly op: FieldOp;
  /** null: the API sent no field changes for this entry. */
  readonly fields: readonly FieldChange[] | null;
  /** The API listed only the first of this entry's field changes. */
  readonly truncated: boolean;
}
export interface DiffSectionRows {
  readonly section: string;
  readonly entries: readonly DiffEntry[];
}

export const SECTIONS = ["routers", "services", "middlewares", "serversTransports"] as const;

export function diffRows(diff: ConfigDiff): DiffSectionRows[] {
  const rows: DiffSectionRows[] = [];
  const names = [...SECTIONS, ...Object.keys(diff).filter((k) => !(SECTIONS as readonly string[]).includes(k) && isSection(diff[k]))];
  for (const section of names) {
    const value = diff[section];
    if (!isSection(value)) continue;
    const entries: DiffEntry[] = [];
    for (const op of ["added", "removed", "changed"] as const) {
      for (const name of value[op] ?? []) entries.push({ name, op, fields: value.fields?.[name] ?? null, truncated: value.truncated?.includes(name) ?? false });
    }
    entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    if (entries.length > 0) rows.push({ section, entries });
  }
  return rows;
}

/** A value in a diff row: JSON, cut short. */
export function showValue(value: unknown, max = 120): string {
  if (value === undefined) return "";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function isSection(value: unknown): value is SectionDiff {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return ["added", "removed", "changed"].some((k) => Array.isArray(v[k]));
}
