// Go regexp (RE2 syntax, as Traefik's HostRegexp/PathRegexp/HeaderRegexp/QueryRegexp compile it)
// to a JS RegExp with the same meaning, always with the u flag (Go matches code points). Only
// "does it match anywhere" matters to rules, so greediness and captures are irrelevant. The full
// translation parses Go's syntax and writes Go's line anchors, `.` and `\s` out explicitly
// instead of relying on JS flags; case-insensitive parts use the `i` flag for the whole pattern,
// or `(?i:…)` modifier groups when mixed. Common simple patterns take a shortcut (further down).

import type { Result } from "./types.ts";
import { complement, foldAscii, type ClassItem, type Range } from "./regexp-classes.ts";
import { commonTranslation, pinned, type Simple } from "./regexp-common.ts";
import { GoRegexpError, parseGoRegexp, type ReNode } from "./regexp-syntax.ts";

export interface GoRegexp {
  /** The JS RegExp; built on first read for patterns the shortcut translated (see LazyGoRegexp). */
  readonly re: RegExp;
  /** A literal the subject must start with (`^/api…` gives "/api"), for indexing; null if none. */
  readonly literalPrefix: string | null;
  /**
   * Literals one of which the subject must end with (`\.example\.com$` gives ".example.com"), in
   * lower case, for indexing hosts; null if the pattern does not pin its end.
   */
  readonly lowerSuffixes: readonly string[] | null;
  /** Whether the pattern matches "" (HostRegexp's Traefik quirk); learnt on first read. */
  readonly matchesEmpty: boolean;
}

/**
 * A translated pattern whose RegExp is built on first use: a config loads thousands of regex
 * rules and most of them are never evaluated before the next reload, while constructing a RegExp
 * parses the pattern once more. Only the shortcut's output is deferred, and the shortcut only
 * accepts syntax that JS (u flag) reads as well (see simpleTranslation), so deferring cannot turn
 * a compile-time error into a run-time one. One class for every pattern keeps `.re` monomorphic.
 */
class LazyGoRegexp implements GoRegexp {
  readonly literalPrefix: string | null;
  readonly lowerSuffixes: readonly string[] | null;
  private readonly source: string;
  private readonly flags: string;
  private compiled: RegExp | null;
  private empty: boolean | null = null;

  constructor(source: string, flags: string, compiled: RegExp | null, prefix: string | null, suffixes: readonly string[] | null) {
    this.source = source;
    this.flags = flags;
    this.compiled = compiled;
    this.literalPrefix = prefix;
    this.lowerSuffixes = suffixes;
  }

  get re(): RegExp {
    return (this.compiled ??= new RegExp(this.source, this.flags));
  }

  get matchesEmpty(): boolean {
    return (this.empty ??= this.re.test(""));
  }
}

// Longer simple patterns are still checked by JS at compile time: a parser's own limits (nesting
// depth, size) are the one thing the shortcut's scan does not prove.
const LAZY_MAX_LENGTH = 256;

// Configs repeat patterns (the same PathRegexp on many hosts); a RegExp without the g or y flag
// keeps no state between test() calls, so one instance can serve every rule using the pattern.
const cache = new Map<string, Result<GoRegexp, string>>();
const CACHE_MAX = 20_000;

export function compileGoRegexp(pattern: string): Result<GoRegexp, string> {
  let r = cache.get(pattern);
  if (r === undefined) {
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(pattern, (r = translate(pattern)));
  }
  return r;
}

function translate(pattern: string): Result<GoRegexp, string> {
  const fast = simpleTranslation(pattern);
  if (fast !== null) {
    const flags = fast.fold ? "iu" : "u";
    if (pattern.length <= LAZY_MAX_LENGTH) {
      return { ok: true, value: new LazyGoRegexp(fast.source, flags, null, fast.prefix, fast.suffixes) };
    }
    try {
      const re = new RegExp(fast.source, flags);
      return { ok: true, value: new LazyGoRegexp(fast.source, flags, re, fast.prefix, fast.suffixes) };
    } catch {
      // Not valid JS after all: the full translation knows what Go makes of it.
    }
  }
  return fullTranslation(pattern);
}

export function fullTranslation(pattern: string): Result<GoRegexp, string> {
  let ast: ReNode;
  try {
    ast = parseGoRegexp(pattern);
  } catch (e) {
    if (e instanceof GoRegexpError) return { ok: false, error: e.message };
    throw e;
  }
  const fold = dominantFold(ast);
  const source = emit(ast, fold);
  const flags = fold ? "iu" : "u";
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch (e) {
    return { ok: false, error: `cannot be expressed as a JavaScript regular expression (${String(e)})` };
  }
  return { ok: true, value: new LazyGoRegexp(source, flags, re, literalPrefix(ast), lowerSuffixes(ast)) };
}

/** Whether most case-sensitive parts are folded: that becomes the `i` flag, the rest gets modifiers. */
function dominantFold(ast: ReNode): boolean {
  let folded = 0;
  let exact = 0;
  walk(ast, (n) => {
    if (n.t === "lit" || n.t === "class") {
      if (n.fold) folded++;
      else exact++;
    }
  });
  return folded > exact;
}

function walk(n: ReNode, f: (n: ReNode) => void): void {
  f(n);
  if (n.t === "group" || n.t === "rep") walk(n.sub, f);
  else if (n.t === "concat" || n.t === "alt") n.subs.forEach((s) => walk(s, f));
}

function emit(n: ReNode, fold: boolean): string {
  switch (n.t) {
    case "lit":
      return withFold(litChar(n.cp), n.fold, fold, hasCase(n.cp));
    case "class":
      return withFold(emitClass(n.neg, n.items, n.fold), n.fold, fold, true);
    case "any":
      return n.nl ? "[\\s\\S]" : "[^\\n]";
    case "bot":
      return "^";
    case "eot":
      return "$";
    case "bol":
      return "(?<![^\\n])";
    case "eol":
      return "(?![^\\n])";
    case "wb":
      // Go's \b is ASCII-only; JS's widens under the i flag, so keep it out of folding.
      return fold ? `(?-i:\\${n.neg ? "B" : "b"})` : `\\${n.neg ? "B" : "b"}`;
    case "group":
      return `(?:${emit(n.sub, fold)})`;
    case "concat":
      return emitConcat(n.subs, fold);
    case "alt":
      return n.subs.map((s) => emit(s, fold)).join("|");
    case "rep":
      return emitRepeat(n.sub, n.min, n.max, fold);
  }
}

function withFold(src: string, want: boolean, fold: boolean, matters: boolean): string {
  if (want === fold || !matters) return src;
  return want ? `(?i:${src})` : `(?-i:${src})`;
}

/** Literals in a row that need the other case mode share one modifier group. */
function emitConcat(subs: readonly ReNode[], fold: boolean): string {
  let out = "";
  for (let i = 0; i < subs.length; ) {
    const s = subs[i]!;
    if (s.t !== "lit" || s.fold === fold || !hasCase(s.cp)) {
      out += emit(s, fold);
      i++;
      continue;
    }
    let run = "";
    for (; i < subs.length; i++) {
      const t = subs[i]!;
      if (t.t !== "lit" || (t.fold !== s.fold && hasCase(t.cp))) break;
      run += litChar(t.cp);
    }
    out += withFold(run, s.fold, fold, true);
  }
  return out;
}

function emitRepeat(sub: ReNode, min: number, max: number, fold: boolean): string {
  const single = sub.t === "any" || sub.t === "group" || sub.t === "class" || sub.t === "lit";
  const body = single ? emit(sub, fold) : `(?:${emit(sub, fold)})`;
  if (min === 0 && max === -1) return body + "*";
  if (min === 1 && max === -1) return body + "+";
  if (min === 0 && max === 1) return body + "?";
  if (max === -1) return `${body}{${min},}`;
  return min === max ? `${body}{${min}}` : `${body}{${min},${max}}`;
}

const SYNTAX = new Set("^$\\.*+?()[]{}|/");

function litChar(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (SYNTAX.has(ch)) return "\\" + ch;
  return cp >= 0x20 && cp < 0x7f ? ch : `\\u{${cp.toString(16)}}`;
}

const hasCase = (cp: number): boolean => {
  const ch = String.fromCodePoint(cp);
  return ch.toLowerCase() !== ch.toUpperCase() || cp === 0x130 || cp === 0x131;
};

function isAlnum(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}

function classChar(cp: number): string {
  return isAlnum(cp) ? String.fromCharCode(cp) : `\\u{${cp.toString(16)}}`;
}

const emitRanges = (ranges: readonly Range[]): string =>
  ranges.map(([lo, hi]) => (lo === hi ? classChar(lo) : `${classChar(lo)}-${classChar(hi)}`)).join("");

/**
 * One item inside `[...]`, or null for a negated Unicode property under case folding: Go folds the
 * property before negating it, which only a negated class of its own (`[^\p{Lu}]`) does in JS.
 */
function classItem(item: ClassItem, fold: boolean): string | null {
  switch (item.k) {
    case "range":
      return emitRanges([[item.lo, item.hi]]);
    case "esc":
      return `\\${item.neg ? item.esc.toUpperCase() : item.esc}`;
    case "ranges":
      return emitRanges(item.neg ? complement(fold ? foldAscii(item.ranges) : item.ranges) : item.ranges);
    case "prop":
      if (item.neg && fold) return null;
      return `\\${item.neg ? "P" : "p"}{${item.body}}`;
  }
}

function emitClass(neg: boolean, items: readonly ClassItem[], fold: boolean): string {
  const inline: string[] = [];
  const alone: string[] = [];
  for (const item of items) {
    const src = classItem(item, fold);
    if (src !== null) inline.push(src);
    else if (item.k === "prop") alone.push(`[^\\p{${item.body}}]`);
  }
  if (alone.length === 0) return `[${neg ? "^" : ""}${inline.join("")}]`;
  const union = `(?:${[...(inline.length ? [`[${inline.join("")}]`] : []), ...alone].join("|")})`;
  return neg ? `(?:(?!${union})[\\s\\S])` : union;
}

/** The literal text right after a leading `^` (case-sensitive only), if any. */
function literalPrefix(ast: ReNode): string | null {
  if (ast.t !== "concat" || ast.subs[0]?.t !== "bot") return null;
  let prefix = "";
  for (const s of ast.subs.slice(1)) {
    if (s.t !== "lit" || (s.fold && hasCase(s.cp))) break;
    prefix += String.fromCodePoint(s.cp);
  }
  return prefix === "" ? null : prefix;
}

/** The literal text before a final `$`/`\z`, per top-level alternative, lower-cased. */
function lowerSuffixes(ast: ReNode): string[] | null {
  const branches = ast.t === "alt" ? ast.subs : [ast];
  const out: string[] = [];
  for (const b of branches) {
    const subs = b.t === "concat" ? b.subs : [b];
    if (subs.at(-1)?.t !== "eot") return null;
    let suffix = "";
    for (let i = subs.length - 2; i >= 0; i--) {
      const s = subs[i]!;
      if (s.t !== "lit") break;
      const ch = String.fromCodePoint(s.cp);
      // Hosts are lower case: a folded ASCII letter is its lower case; anything less clear ends it.
      if (hasCase(s.cp) && (s.cp > 0x7f || (!s.fold && ch !== ch.toLowerCase()))) break;
      suffix = ch.toLowerCase() + suffix;
    }
    if (suffix === "") return null;
    out.push(suffix);
  }
  return out;
}

// --- The common case without a syntax tree ---------------------------------------------------------
//
// Most patterns in configs are ASCII literals, escaped punctuation, simple classes, groups and
// quantifiers, an optional leading (?i). For those, Go and JS (with the u flag) read the same text
// the same way, except `.` (rewritten) and escaped punctuation JS's u flag refuses (unescaped).
// Counted repeats are taken as `{n}` and `{n,}` with n < 1000 outside groups (see countEnd).
// Anything else (other braces, POSIX classes, \s, \b under (?i), flags mid-pattern, named groups,
// a quantifier with nothing to repeat…) goes to the full translation, which also produces Go's errors.
// Thousands of rules compile at config load, so this is one pass over char codes.

const PLAIN = 0; // a literal in both Go and JS
const SPECIAL = 1; // . ^ $ * + ? ( ) |
const UNSUPPORTED = 2; // [ ] { } \ and non-ASCII: handled apart, or by the full translation
const KIND = new Uint8Array(128);
for (const c of ".^$*+?()|") KIND[c.charCodeAt(0)] = SPECIAL;
for (const c of "[]{}\\") KIND[c.charCodeAt(0)] = UNSUPPORTED;

const SYNTAX_ESCAPES = new Set("\\.^$*+?()[]{}|/");
const PERL = new Set("dDwW");

export function simpleTranslation(p: string): Simple | null {
  return commonTranslation(p) ?? scanTranslation(p);
}

/** The shortcut's general case: one pass over the pattern's char codes. */
export function scanTranslation(p: string): Simple | null {
  const fold = p.startsWith("(?i)");
  const start = fold ? 4 : 0;
  let out = "";
  let copied = start;
  let depth = 0;
  let alternation = false;
  let repeatable = false; // whether a quantifier here has something to repeat
  for (let i = start; i < p.length; ) {
    const c = p.charCodeAt(i);
    if (c >= 0x80) return null;
    if (KIND[c] === PLAIN) {
      repeatable = true;
      i++;
      continue;
    }
    const ch = p[i]!;
    if (ch === "*" || ch === "+" || ch === "?") {
      if (!repeatable) return null;
      repeatable = false;
      i += p[i + 1] === "?" ? 2 : 1;
    } else if (ch === "(") {
      if (p[i + 1] === "?" && !p.startsWith("(?:", i)) return null;
      depth++;
      repeatable = false;
      i += p[i + 1] === "?" ? 3 : 1;
    } else if (ch === ")" || ch === "|") {
      if (ch === "|") alternation = true;
      else if (--depth < 0) return null;
      repeatable = ch === ")";
      i++;
    } else if (ch === "^" || ch === "$") {
      repeatable = false;
      i++;
    } else if (ch === ".") {
      out += p.slice(copied, i) + "[^\\n]";
      copied = ++i;
      repeatable = true;
    } else if (ch === "[") {
      i = simpleClassEnd(p, i);
      if (i < 0) return null;
      repeatable = true;
    } else if (ch === "{") {
      const end = countEnd(p, i);
      if (end < 0 || !repeatable || depth > 0) return null;
      repeatable = false;
      i = p[end] === "?" ? end + 1 : end;
    } else if (ch === "\\") {
      const kind = simpleEscape(p[i + 1], fold);
      if (kind === null) return null;
      if (kind === "unescape") {
        out += p.slice(copied, i);
        copied = i + 1;
      }
      repeatable = kind !== "assertion";
      i += 2;
    } else {
      return null;
    }
  }
  if (depth !== 0) return null;
  const source = out + p.slice(copied);
  return alternation ? { source, fold, prefix: null, suffixes: null } : pinned(p, source, fold);
}

/**
 * The end of a counted repeat `{n}` or `{n,}` at `start` (n of 1 to 3 digits), else -1. Go and JS
 * read these alike; `{n,m}` (JS refuses m < n, where Go's message must win), counts from 1000 (Go's
 * limit) and repeats inside groups (Go limits their product) are the full translation's.
 */
function countEnd(p: string, start: number): number {
  let i = start + 1;
  while (i < p.length && i - start <= 3 && isDigit(p.charCodeAt(i))) i++;
  if (i === start + 1) return -1;
  if (p[i] === ",") i++;
  return p[i] === "}" ? i + 1 : -1;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * `\x` in a simple pattern: kept as is, an assertion kept as is, punctuation to unescape (a
 * literal in Go, which JS's u flag wants bare), or null when it needs the full translation.
 */
function simpleEscape(e: string | undefined, fold: boolean): "keep" | "assertion" | "unescape" | null {
  if (e === undefined || e.charCodeAt(0) >= 0x80) return null;
  if (SYNTAX_ESCAPES.has(e) || PERL.has(e)) return "keep";
  // Go's \b is ASCII-only; so is JS's, except under the i flag.
  if (e === "b" || e === "B") return fold ? null : "assertion";
  return !isAlnum(e.charCodeAt(0)) && e.charCodeAt(0) > 0x20 ? "unescape" : null;
}

/** The end of a class made of alphanumerics, ranges of them, `_.-` and safe escapes; else -1. */
function simpleClassEnd(p: string, start: number): number {
  let i = start + 1;
  if (p[i] === "^") i++;
  if (p[i] === "]") return -1;
  for (; i < p.length && p[i] !== "]"; i++) {
    const c = p[i]!;
    if (c === "\\") {
      const e = p[++i];
      if (e === undefined || !(PERL.has(e) || e === "-" || SYNTAX_ESCAPES.has(e))) return -1;
    } else if (c === "-") {
      const prev = p[i - 1]!;
      const next = p[i + 1]!;
      const edge = prev === "[" || prev === "^" || next === "]";
      if (!edge && !(isAlnum(prev.charCodeAt(0)) && isAlnum(next.charCodeAt(0)) && prev <= next && p[i - 2] !== "\\")) return -1;
    } else if (!isAlnum(c.charCodeAt(0)) && c !== "_" && c !== ".") {
      return -1;
    }
  }
  return i < p.length ? i + 1 : -1;
}
