// The Prometheus text exposition format 0.0.4 of the global figures: HELP and TYPE per family,
// histograms as cumulative _bucket{le} plus _sum and _count, label values escaped as the format says.
import { BUCKETS, FAMILIES, familyNamed, type Family } from "./families.ts";
import type { Series } from "./series.ts";

export const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** The series (one per family and labels: merged already) under their families' HELP and TYPE, in
 *  families.ts order; a family without series is left out, as client_golang does. */
export function exposition(series: readonly Series[], storeDropped = 0): string {
  const grouped = new Map<string, Series[]>();
  for (const x of series) {
    if (!familyNamed(x.f)) continue;
    let list = grouped.get(x.f);
    if (!list) grouped.set(x.f, (list = []));
    list.push(x);
  }
  const lines: string[] = [];
  for (const family of Object.values(FAMILIES) as Family[]) {
    const list = grouped.get(family.name) ?? [];
    if (family === FAMILIES.droppedSeries && storeDropped > 0) list.push({ f: family.name, l: [], v: storeDropped });
    if (list.length === 0) continue;
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.kind}`);
    for (const x of sorted(list)) writeSeries(lines, family, x);
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function writeSeries(lines: string[], family: Family, x: Series): void {
  const pairs = family.labels.map((name, i) => `${name}="${escapeLabel(x.l[i] ?? "")}"`);
  if (family.kind !== "histogram") {
    lines.push(`${family.name}${braces(pairs)} ${number(x.v)}`);
    return;
  }
  let cumulative = 0;
  BUCKETS.forEach((le, i) => {
    cumulative += x.b?.[i] ?? 0;
    lines.push(`${family.name}_bucket${braces([...pairs, `le="${number(le)}"`])} ${number(cumulative)}`);
  });
  lines.push(`${family.name}_bucket${braces([...pairs, 'le="+Inf"'])} ${number(x.v)}`);
  lines.push(`${family.name}_sum${braces(pairs)} ${number(x.s ?? 0)}`);
  lines.push(`${family.name}_count${braces(pairs)} ${number(x.v)}`);
}

function sorted(list: Series[]): Series[] {
  return list.sort((a, b) => {
    for (let i = 0; i < a.l.length; i++) {
      const d = (a.l[i] ?? "") < (b.l[i] ?? "") ? -1 : (a.l[i] ?? "") > (b.l[i] ?? "") ? 1 : 0;
      if (d !== 0) return d;
    }
    return 0;
  });
}

function braces(pairs: string[]): string {
  return pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
}

/** Label values: backslash, double quote and line feed escaped (the format's three). */
export function escapeLabel(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
}

/** HELP text: backslash and line feed escaped. */
function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === "\n" ? "\\n" : "\\\\"));
}

/** Go's formatting of float64 in the text format: integers without a point, +Inf/-Inf/NaN spelled out. */
function number(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "+Inf";
  if (n === -Infinity) return "-Inf";
  return String(n);
}
