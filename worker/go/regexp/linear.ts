// Which Go patterns may run on JavaScript's backtracking RegExp at no more than linear cost, and
// their JavaScript source. Everything else runs on re2js (linear by construction). A backtracking
// engine is linear on a pattern when it never has a real choice to undo:
//   - anchored at the start (`^`), so one start position is tried (V8 tries no other), and
//   - no groups or alternation: a sequence of single-character atoms, each with a quantifier, and
//   - every atom whose count varies matches no character that the atoms after it could begin
//     with (up to the first one that must match, or the end): then the greedy run is the only
//     run that can lead to a match, and each character given back fails at the very next atom.
//   Without `^`, every atom must have a fixed count: each start position then costs at most the
//   pattern's length, whatever the input.
// The grammar admitted is small on purpose (ASCII literals, escaped punctuation, `.`, simple
// classes, \d \w \D, greedy * + ? {n} {n,} {n,m} below 1000, an optional (?i) first and `$` last), so
// Go and JavaScript (with the u flag) read it alike; test/worker/go/regexp.test.ts checks both the
// agreement with re2js and the linear cost of what is admitted.

/** A set of characters: exact over ASCII (four 32-bit words), plus "may hold non-ASCII ones". */
export class Chars {
  readonly bits = new Uint32Array(4);
  wide = false;

  add(lo: number, hi = lo): void {
    for (let c = lo; c <= hi; c++) this.bits[c >> 5]! |= 1 << (c & 31);
  }
  has(c: number): boolean {
    return (this.bits[c >> 5]! & (1 << (c & 31))) !== 0;
  }
  union(o: Chars): void {
    for (let i = 0; i < 4; i++) this.bits[i]! |= o.bits[i]!;
    this.wide ||= o.wide;
  }
  meets(o: Chars): boolean {
    for (let i = 0; i < 4; i++) if ((this.bits[i]! & o.bits[i]!) !== 0) return true;
    return this.wide && o.wide;
  }
  invert(): void {
    for (let i = 0; i < 4; i++) this.bits[i] = ~this.bits[i]!;
    this.wide = true;
  }
  /** Both cases of every ASCII letter; k and s also fold to non-ASCII (Kelvin sign, long s). */
  fold(): void {
    for (let c = 0x41; c <= 0x5a; c++) if (this.has(c) || this.has(c + 32)) this.add(c), this.add(c + 32);
    if (this.has(0x6b) || this.has(0x73)) this.wide = true;
  }
}

/** One character matcher and its count; `src` is its JavaScript source (without the count). */
export interface Atom {
  readonly set: Chars;
  readonly src: string;
  readonly min: number;
  readonly max: number;
}

export interface LinearSource {
  /** JavaScript source for the u flag (iu when `fold`). */
  readonly source: string;
  readonly fold: boolean;
  /** What the proof was made on (the tests replay backtracking on it). */
  readonly atoms: readonly Atom[];
  readonly anchored: boolean;
  readonly pinnedEnd: boolean;
}

const MAX_COUNT = 999; // Go refuses counts over 1000; leave the edge to re2js and its messages
const SPECIAL = new Set(".^$*+?()|[]{}\\");
const JS_SYNTAX = new Set("^$\\.*+?()[]{}|/-");
const isAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const printable = (c: number): boolean => c >= 0x20 && c < 0x7f;

/** The JavaScript source of `p` when backtracking on it is proven linear (see above), else null. */
export function linearSource(p: string): LinearSource | null {
  const fold = p.startsWith("(?i)");
  let i = fold ? 4 : 0;
  const anchored = p[i] === "^";
  if (anchored) i++;
  let out = anchored ? "^" : "";
  const atoms: Atom[] = [];
  let pinnedEnd = false;
  while (i < p.length) {
    if (p[i] === "$") {
      if (i !== p.length - 1) return null;
      out += "$";
      pinnedEnd = true;
      break;
    }
    const atom = readAtom(p, i, fold);
    if (atom === null) return null;
    const q = readCount(p, atom.next);
    if (q === null) return null;
    atoms.push({ set: atom.set, src: atom.src, min: q.min, max: q.max });
    out += atom.src + p.slice(atom.next, q.next);
    i = q.next;
  }
  return provenLinear(atoms, anchored) ? { source: out, fold, atoms, anchored, pinnedEnd } : null;
}

function provenLinear(atoms: readonly Atom[], anchored: boolean): boolean {
  for (let i = 0; i < atoms.length; i++) {
    const a = atoms[i]!;
    if (a.min === a.max) continue;
    if (!anchored) return false;
    const follow = new Chars();
    for (let j = i + 1; j < atoms.length; j++) {
      follow.union(atoms[j]!.set);
      if (atoms[j]!.min >= 1) break;
    }
    if (a.set.meets(follow)) return false;
  }
  return true;
}

interface Read {
  readonly set: Chars;
  readonly src: string;
  readonly next: number;
}

function readAtom(p: string, i: number, fold: boolean): Read | null {
  const c = p.charCodeAt(i);
  if (p[i] === "[") return readClass(p, i, fold);
  const set = new Chars();
  if (p[i] === ".") {
    set.add(0, 0x7f);
    set.bits[0]! &= ~(1 << 0x0a);
    set.wide = true;
    return { set, src: "[^\\n]", next: i + 1 };
  }
  if (p[i] === "\\") {
    const e = p.charCodeAt(i + 1);
    if (!(e >= 0 && e < 0x80)) return null;
    const perl = perlClass(p[i + 1]!, fold);
    if (perl !== null) return { set: perl, src: p.slice(i, i + 2), next: i + 2 };
    if (isAlnum(e) || !printable(e) || e === 0x20) return null; // \b, \s, \pL, \x41, \Q, ...: re2js's
    return literal(e, fold, i + 2);
  }
  if (!printable(c) || SPECIAL.has(p[i]!)) return null;
  return literal(c, fold, i + 1);
}

function literal(c: number, fold: boolean, next: number): Read {
  const set = new Chars();
  set.add(c);
  if (fold) set.fold();
  const ch = String.fromCharCode(c);
  return { set, src: JS_SYNTAX.has(ch) && ch !== "-" ? `\\${ch}` : ch, next };
}

/** \d \D \w (ASCII in Go, and in JavaScript with the u flag); \W under (?i) folds oddly: re2js's. */
function perlClass(e: string, fold: boolean): Chars | null {
  const set = new Chars();
  if (e === "d" || e === "D") set.add(0x30, 0x39);
  else if (e === "w") {
    set.add(0x30, 0x39), set.add(0x41, 0x5a), set.add(0x61, 0x7a), set.add(0x5f);
    if (fold) set.wide = true; // JavaScript's and Go's folded \w take in U+017F and U+212A
  } else return null;
  if (e === "D") set.invert();
  return set;
}

/** `[...]` of ASCII characters, ranges between them, \d \w and escaped punctuation; else null. */
function readClass(p: string, start: number, fold: boolean): Read | null {
  let i = start + 1;
  const neg = p[i] === "^";
  if (neg) i++;
  if (p[i] === "]") return null; // Go's leading literal "]": re2js's
  const set = new Chars();
  let src = neg ? "[^" : "[";
  while (p[i] !== "]") {
    const item = classItem(p, i, set);
    if (item === null) return null;
    src += item.src;
    i = item.next;
  }
  if (fold) set.fold();
  if (neg) set.invert();
  return { set, src: src + "]", next: i + 1 };
}

function classItem(p: string, i: number, set: Chars): { src: string; next: number } | null {
  const c = p.charCodeAt(i);
  if (p[i] === "\\") {
    const e = p[i + 1];
    if (e === "d" || e === "w") {
      set.union(perlClass(e, false)!);
      return { src: `\\${e}`, next: i + 2 };
    }
    const code = p.charCodeAt(i + 1);
    if (!(code < 0x80) || isAlnum(code) || !printable(code) || p[i + 2] === "-") return null;
    set.add(code);
    return { src: classChar(code), next: i + 2 };
  }
  if (!printable(c) || p[i] === "[") return null;
  if (p[i + 1] === "-" && p[i + 2] !== "]") {
    const hi = p.charCodeAt(i + 2);
    if (!isAlnum(c) || !isAlnum(hi) || hi < c) return null; // other ranges (odd edges): re2js's
    set.add(c, hi);
    return { src: `${classChar(c)}-${classChar(hi)}`, next: i + 3 };
  }
  set.add(c);
  return { src: classChar(c), next: i + 1 };
}

const classChar = (c: number): string => (JS_SYNTAX.has(String.fromCharCode(c)) ? "\\" : "") + String.fromCharCode(c);

/** The count after an atom: none, * + ? or {n}, {n,}, {n,m}; null if lazy, doubled or out of bounds. */
function readCount(p: string, i: number): { min: number; max: number; next: number } | null {
  let q: { min: number; max: number; next: number };
  const c = p[i];
  if (c === "*") q = { min: 0, max: Infinity, next: i + 1 };
  else if (c === "+") q = { min: 1, max: Infinity, next: i + 1 };
  else if (c === "?") q = { min: 0, max: 1, next: i + 1 };
  else if (c === "{") {
    const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(p.slice(i, i + 12));
    if (m === null) return null; // a literal "{" in Go: re2js's
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
    if (min > MAX_COUNT || (max !== Infinity && (max > MAX_COUNT || max < min))) return null;
    q = { min, max, next: i + m[0].length };
  } else return { min: 1, max: 1, next: i };
  const after = p[q.next];
  if (after === "?" || after === "*" || after === "+" || after === "{") return null;
  return q;
}
