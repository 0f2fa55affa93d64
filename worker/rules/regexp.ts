// Go regexp (RE2 syntax, as Traefik's HostRegexp/PathRegexp/HeaderRegexp/QueryRegexp compile it)
// to a JS RegExp with the same meaning. Only "does it match anywhere" matters to rules, so
// greediness is dropped and every group is non-capturing. Go's line anchors, `.` and `\s` differ
// from JS's, so they are written out explicitly instead of relying on JS flags; case-insensitive
// parts use the `i` flag for the whole pattern, or `(?i:…)` modifier groups when mixed.

import type { Result } from "./types.ts";
import { complement, foldAscii, type ClassItem, type Range } from "./regexp-classes.ts";
import { GoRegexpError, parseGoRegexp, type ReNode } from "./regexp-syntax.ts";

export interface GoRegexp {
  readonly re: RegExp;
  /** A literal the subject must start with (`^/api…` gives "/api"), for indexing; null if none. */
  readonly literalPrefix: string | null;
  /**
   * Literals one of which the subject must end with (`\.example\.com$` gives ".example.com"), in
   * lower case, for indexing hosts; null if the pattern does not pin its end.
   */
  readonly lowerSuffixes: readonly string[] | null;
}

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
  let ast: ReNode;
  try {
    ast = parseGoRegexp(pattern);
  } catch (e) {
    if (e instanceof GoRegexpError) return { ok: false, error: e.message };
    throw e;
  }
  const fold = dominantFold(ast);
  let re: RegExp;
  try {
    re = new RegExp(emit(ast, fold), fold ? "iu" : "u");
  } catch (e) {
    return { ok: false, error: `cannot be expressed as a JavaScript regular expression (${String(e)})` };
  }
  return { ok: true, value: { re, literalPrefix: literalPrefix(ast), lowerSuffixes: lowerSuffixes(ast) } };
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

const isAlnum = (cp: number): boolean => (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);

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
