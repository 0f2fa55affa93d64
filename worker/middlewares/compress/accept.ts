// Traefik's choice of encoding from Accept-Encoding (acceptencoding.go), reproduced as it is,
// including its ordering: with any q-value present, entries are tried by weight, and an entry
// without a q-value ranks below weighted ones (but above q=0).

export type Encoding = "gzip" | "deflate" | "br" | "zstd";

const KNOWN = new Set(["zstd", "br", "gzip", "deflate", "identity", "*"]);

interface Entry {
  readonly type: string;
  readonly weight: number | null;
}

function compare(a: Entry, b: Entry): number {
  const [l, r] = [a.weight, b.weight];
  if (l === null && r === null) return 0;
  if (l === null) return r === 0 ? -1 : 1;
  if (r === null) return l === 0 ? 1 : -1;
  return l < r ? 1 : l > r ? -1 : 0;
}

export function parseAcceptEncoding(value: string): { entries: Entry[]; weighted: boolean } {
  const entries: Entry[] = [];
  let weighted = false;
  for (const item of value.replaceAll(" ", "").split(",")) {
    const semi = item.indexOf(";");
    const type = semi < 0 ? item : item.slice(0, semi);
    if (!KNOWN.has(type)) continue;
    const param = semi < 0 ? "" : item.slice(semi + 1);
    let weight: number | null = null;
    if (param.startsWith("q=")) {
      weight = Number.parseFloat(param.slice(2)) || 0; // Go's ParseFloat error leaves 0
      weighted = true;
    }
    entries.push({ type, weight });
  }
  entries.sort(compare);
  return { entries, weighted };
}

/**
 * The encoding to use among `allowed` (in priority order), or null for none (identity, or
 * nothing acceptable: Traefik then sends the response as it is, never a 406).
 */
export function chooseEncoding(acceptEncoding: string, allowed: readonly Encoding[], defaultEncoding: Encoding | null): Encoding | null {
  const fallback = defaultEncoding ?? (allowed.includes("br") ? "br" : allowed[0]!);
  const { entries, weighted } = parseAcceptEncoding(acceptEncoding);
  if (weighted) {
    for (const { type, weight } of entries) {
      if ((type === "identity" || type === "*") && weight === 0) return null;
      if (type === "*") return fallback;
      if ((allowed as readonly string[]).includes(type)) return type as Encoding;
    }
    return null;
  }
  const listed = allowed.find((encoding) => entries.some((e) => e.type === encoding));
  if (listed) return listed;
  return entries.some((e) => e.type === "*") ? fallback : null;
}
