// Traefik's choice of encoding from Accept-Encoding (compress/acceptencoding.go at fd5a576): every
// entry the middleware knows gets its q-value (1 when absent; q=0 entries are dropped), then the
// highest weight wins and, at equal weight, the configured priority: `*` first, then `encodings`
// in their order, identity last. `*` means defaultEncoding, else the first of `encodings`.

export type Encoding = "gzip" | "deflate" | "br" | "zstd";

export interface AcceptedEncoding {
  readonly type: string;
  readonly weight: number;
}

/** Go's strconv.ParseFloat as acceptencoding.go uses it: anything unparsable is 0. */
function goFloat(text: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return 0;
  return Number(text);
}

/** Priority of each known type: `*` is -1, `encodings[i]` is i, identity comes last. */
function priorities(encodings: readonly string[]): Map<string, number> {
  const out = new Map<string, number>([["*", -1], ["identity", encodings.length]]);
  encodings.forEach((encoding, i) => out.set(encoding, i));
  return out;
}

/** The acceptable entries of an Accept-Encoding value, in the client's order (parseAcceptableEncodings). */
export function parseAcceptEncoding(value: string, encodings: readonly string[]): AcceptedEncoding[] {
  const known = priorities(encodings);
  const out: AcceptedEncoding[] = [];
  for (const item of value.replaceAll(" ", "").split(",")) {
    const semi = item.indexOf(";");
    const type = semi < 0 ? item : item.slice(0, semi);
    if (!known.has(type)) continue;
    const param = semi < 0 ? "" : item.slice(semi + 1);
    let weight = 1;
    if (param.startsWith("q=")) {
      weight = goFloat(param.slice(2));
      if (weight === 0) continue;
    }
    out.push({ type, weight });
  }
  return out;
}

/**
 * The encoding to use among `encodings` (in priority order), or null for none: identity, an empty
 * Accept-Encoding, or nothing acceptable (Traefik then sends the response as it is, never a 406).
 */
export function chooseEncoding(acceptEncoding: string, encodings: readonly Encoding[], defaultEncoding: Encoding | null): Encoding | null {
  if (acceptEncoding === "") return null;
  const known = priorities(encodings);
  const entries = parseAcceptEncoding(acceptEncoding, encodings);
  if (entries.length === 0) return null;
  entries.sort((a, b) => (a.weight === b.weight ? known.get(a.type)! - known.get(b.type)! : b.weight - a.weight));
  const best = entries[0]!.type;
  if (best === "*") return defaultEncoding ?? encodings[0] ?? null;
  return best === "identity" ? null : (best as Encoding);
}

/**
 * Traefik compresses gzip through klauspost's gzhttp, which looks at Accept-Encoding again and
 * compresses only when it names gzip with a q-value above 0 (so `*` alone, or defaultEncoding gzip
 * without the header, leave the response as it is). Its parseEncodingGzip, on one header value.
 */
export function namesGzip(acceptEncoding: string | null): boolean {
  for (const coding of (acceptEncoding ?? "").trim().split(",")) {
    const [name = "", ...params] = coding.split(";").map((p) => p.trim());
    if (name.toLowerCase() !== "gzip") continue;
    // parseCoding resets the q-value for every parameter: only a last "q=" one counts.
    const last = params[params.length - 1];
    return last === undefined || !last.startsWith("q=") || goFloat(last.slice(2)) > 0;
  }
  return false;
}
