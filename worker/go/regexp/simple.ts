// The shortcut: the common Go patterns (ASCII literals, escaped punctuation, simple classes,
// groups, alternation, greedy and lazy quantifiers) read in one pass over their char codes, without
// a syntax tree. What it accepts is valid Go syntax, so re2js can compile the pattern on first use
// instead of at config load (a config has thousands of regex rules, most never evaluated before the
// next reload); and it reads off the literal prefix and suffixes the rule engine indexes by.

import { commonTranslation, pinned, type Simple } from "./simple-common.ts";

// For these patterns Go and JS (with the u flag) read the same text the same way, except `.`
// (rewritten) and escaped punctuation JS's u flag refuses (unescaped): the JS source it also gives
// was how they ran before re2js, and is kept as a cross-check of the reading in the tests.
// Counted repeats are taken as `{n}` and `{n,}` with n < 1000 outside groups (see countEnd).
// Anything else (other braces, POSIX classes, \s, \b under (?i), flags mid-pattern, named groups,
// a quantifier with nothing to repeat…) is compiled by re2js at load, which also gives Go's errors.

const PLAIN = 0; // a literal in both Go and JS
const SPECIAL = 1; // . ^ $ * + ? ( ) |
const UNSUPPORTED = 2; // [ ] { } \ and non-ASCII: handled apart, or by re2js at load
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
 * limit) and repeats inside groups (Go limits their product) are re2js's.
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
 * literal in Go, which JS's u flag wants bare), or null when re2js must read it.
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

function isAlnum(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}
