// Character classes of Go's regexp syntax, as items the emitter can write in JS. Go's Perl and
// POSIX classes are ASCII-only, unlike some of their JS namesakes (`\s` in JS is Unicode), so they
// are spelled out as ranges here; `\d` and `\w` mean the same in both and stay native.

export type Range = readonly [number, number];

export type ClassItem =
  /** A code point range from a bracket expression. */
  | { readonly k: "range"; readonly lo: number; readonly hi: number }
  /** JS `\d` or `\w` (same meaning as Go's), negated for `\D` and `\W`. */
  | { readonly k: "esc"; readonly esc: "d" | "w"; readonly neg: boolean }
  /** An ASCII class such as Go's `\s` or `[:alpha:]`, given as ranges. */
  | { readonly k: "ranges"; readonly ranges: readonly Range[]; readonly neg: boolean }
  /** A Unicode property, written as the body of JS `\p{…}`. */
  | { readonly k: "prop"; readonly body: string; readonly neg: boolean };

const r = (lo: string, hi = lo): Range => [lo.codePointAt(0)!, hi.codePointAt(0)!];

const POSIX: Record<string, readonly Range[]> = {
  alnum: [r("0", "9"), r("A", "Z"), r("a", "z")],
  alpha: [r("A", "Z"), r("a", "z")],
  ascii: [[0, 0x7f]],
  blank: [r("\t"), r(" ")],
  cntrl: [[0, 0x1f], [0x7f, 0x7f]],
  digit: [r("0", "9")],
  graph: [r("!", "~")],
  lower: [r("a", "z")],
  print: [r(" ", "~")],
  punct: [r("!", "/"), r(":", "@"), r("[", "`"), r("{", "~")],
  space: [r("\t", "\r"), r(" ")],
  upper: [r("A", "Z")],
  word: [r("0", "9"), r("A", "Z"), r("a", "z"), r("_")],
  xdigit: [r("0", "9"), r("A", "F"), r("a", "f")],
};

/** Go's `\s`: no `\v`, no Unicode spaces. */
const PERL_SPACE: readonly Range[] = [r("\t", "\n"), r("\f", "\r"), r(" ")];

export function perlClass(c: string): ClassItem | null {
  switch (c) {
    case "d":
    case "D":
      return { k: "esc", esc: "d", neg: c === "D" };
    case "w":
    case "W":
      return { k: "esc", esc: "w", neg: c === "W" };
    case "s":
    case "S":
      return { k: "ranges", ranges: PERL_SPACE, neg: c === "S" };
    default:
      return null;
  }
}

/** `[:alpha:]` or `[:^alpha:]`, the whole bracketed name; null when the name is unknown. */
export function namedClass(name: string): ClassItem | null {
  const m = /^\[:(\^?)([a-z]+):\]$/.exec(name);
  const ranges = m ? POSIX[m[2]!] : undefined;
  return m && ranges ? { k: "ranges", ranges, neg: m[1] === "^" } : null;
}

const CATEGORIES = [
  "C", "Cc", "Cf", "Cn", "Co", "Cs", "L", "LC", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
  "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So",
  "Z", "Zl", "Zp", "Zs", "Other", "Control", "Format", "Unassigned", "Private_Use", "Surrogate",
  "Letter", "Cased_Letter", "Lowercase_Letter", "Modifier_Letter", "Other_Letter", "Titlecase_Letter",
  "Uppercase_Letter", "Mark", "Spacing_Mark", "Enclosing_Mark", "Nonspacing_Mark", "Number",
  "Decimal_Number", "Letter_Number", "Other_Number", "Punctuation", "Connector_Punctuation",
  "Dash_Punctuation", "Close_Punctuation", "Final_Punctuation", "Initial_Punctuation",
  "Other_Punctuation", "Open_Punctuation", "Symbol", "Currency_Symbol", "Modifier_Symbol",
  "Math_Symbol", "Other_Symbol", "Separator", "Line_Separator", "Paragraph_Separator", "Space_Separator",
];

// Go (since 1.25, after Unicode TR18) looks category names up ignoring case, spaces, `_` and `-`.
const looseKey = (name: string): string => name.replace(/[\s_-]/g, "").toLowerCase();
const CATEGORY_BY_KEY = new Map(CATEGORIES.map((c) => [looseKey(c), c]));

/** `\p{name}` / `\P{name}`: a Go category, script, or one of Any/ASCII/Assigned. */
export function unicodeClass(name: string, neg: boolean): ClassItem | null {
  const key = looseKey(name);
  if (key === "any") return { k: "ranges", ranges: [[0, 0x10ffff]], neg };
  if (key === "ascii") return { k: "ranges", ranges: [[0, 0x7f]], neg };
  if (key === "assigned") return { k: "prop", body: "Cn", neg: !neg };
  const category = CATEGORY_BY_KEY.get(key);
  if (category) return { k: "prop", body: category, neg };
  if (!/^[A-Za-z][A-Za-z_]*$/.test(name)) return null;
  try {
    new RegExp(`\\p{Script=${name}}`, "u");
    return { k: "prop", body: `Script=${name}`, neg };
  } catch {
    return null;
  }
}

/**
 * Adds what Go's case folding adds to an ASCII set: the other case of each letter, plus the two
 * non-ASCII letters that fold to ASCII ones (U+017F ſ to s, U+212A Kelvin sign to k).
 */
export function foldAscii(ranges: readonly Range[]): Range[] {
  const out: Range[] = [...ranges];
  const has = (cp: number) => ranges.some(([lo, hi]) => lo <= cp && cp <= hi);
  for (let cp = 0x41; cp <= 0x5a; cp++) {
    if (has(cp) || has(cp + 32)) out.push([cp, cp], [cp + 32, cp + 32]);
  }
  if (has(0x73) || has(0x53)) out.push([0x17f, 0x17f]);
  if (has(0x6b) || has(0x4b)) out.push([0x212a, 0x212a]);
  return out;
}

/** The complement of a set of ranges within all of Unicode. */
export function complement(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}
