// The commonest Go patterns in configs, recognised whole by a few native matches instead of the
// character loop in simple.ts: a literal with simple classes, escaped punctuation and quantifiers,
// anchored at either end (`^[a-z]+\.tenant\.example\.com$`, `^/exports/[0-9]+\.csv$`). A config
// compiles thousands of these, in code V8 has not optimized yet, where each step of a loop costs
// far more than a native match. No groups, alternation, lazy quantifiers or escapes to rewrite;
// braces only as a count `{n}` or `{n,}` (n of 1 to 3 digits); "^" only first and "$" only last;
// class ranges a-z, A-Z and 0-9 only. Anything else gives null, for the loop, which accepts a
// superset and gives the same result on this subset (test/worker/go/regexp.test.ts compares
// them on random patterns). The loop takes a simple pattern's literal prefix and suffix from here
// too: one reading of them for both.

/** A simple pattern's JS source (u flag, `i` when folding) and what it pins for indexing. */
export interface Simple {
  readonly source: string;
  readonly fold: boolean;
  /** Literal text a match must start with, or null. */
  readonly prefix: string | null;
  /** Lower-cased literal text a match must end with (one per alternative), or null. */
  readonly suffixes: string[] | null;
}

const PLAIN = String.raw`[^.^$*+?()|[\]{}\\\x80-\uffff]`; // a literal in Go and JS alike
const PLAIN_NO_UPPER = String.raw`[^.^$*+?()|[\]{}\\A-Z\x80-\uffff]`;
const PLAIN_NO_LETTER = String.raw`[^.^$*+?()|[\]{}\\A-Za-z\x80-\uffff]`;
const ESCAPED_SYNTAX = String.raw`\\[.^$*+?()[\]{}|\\]`; // escaped punctuation: a literal
const KEPT_ESCAPE = String.raw`\\[.^$*+?()[\]{}|/\\dDwW]`; // escapes JS (u flag) reads as Go does
const CLASS = String.raw`\[\^?(?:a-z|A-Z|0-9|[A-Za-z0-9_.]|\\[dDwW.^$*+?()[\]{}|/\\-])+\]`;

const QUANTIFIER = String.raw`[*+?]|\{[0-9]{1,3},?\}`;
const shape = (atom: string): RegExp => new RegExp(String.raw`^(?:\(\?i\))?\^?(?:(?:${atom})(?:${QUANTIFIER})?)*\$?$`);
/** The shape without a bare "." (the usual case: its source is the pattern as written). */
const WITHOUT_DOT = shape(`${PLAIN}|${KEPT_ESCAPE}|${CLASS}`);
const WITH_DOT = shape(String.raw`${PLAIN}|\.|${KEPT_ESCAPE}|${CLASS}`);
/** A bare "." (not escaped, not in a class): Go's "any character but a newline". */
const DOTS = /\\.|\[(?:\\.|[^\]\\])*\]|\./g;
const anyButNewline = (m: string): string => (m === "." ? "[^\\n]" : m);

// Escapes are read as pairs from a point no escape straddles, so `\\.` (an escaped backslash, then
// a bare ".") never reads as `\.`: the run starts at the body's start or after a non-backslash,
// past whole pairs of backslashes.
const suffixOf = (plain: string): RegExp => new RegExp(String.raw`(?:^|[^\\])(?:\\\\)*?((?:${plain}|${ESCAPED_SYNTAX})+)\$$`);
/** The longest run of literals before the final "$" (an upper-case letter ends it unless folding). */
const SUFFIX = suffixOf(PLAIN_NO_UPPER);
const SUFFIX_FOLD = suffixOf(PLAIN);
/** The plain characters after a leading "^" (no letters when folding), and a quantifier after them. */
const PREFIX = new RegExp(String.raw`\^(${PLAIN}+)([*?{])?`, "y");
const PREFIX_FOLD = new RegExp(String.raw`\^(${PLAIN_NO_LETTER}+)([*?{])?`, "y");

export function commonTranslation(p: string): Simple | null {
  const dotless = WITHOUT_DOT.test(p);
  if (!dotless && !WITH_DOT.test(p)) return null;
  const fold = p.startsWith("(?i)");
  const start = fold ? 4 : 0;
  const body = start === 0 ? p : p.slice(start);
  return pinned(p, dotless ? body : body.replace(DOTS, anyButNewline), fold);
}

/** A simple pattern without alternation: `source`, with the literal start and end that `p` pins. */
export function pinned(p: string, source: string, fold: boolean): Simple {
  const start = fold ? 4 : 0;
  const suffix = literalEnd(start === 0 ? p : p.slice(start), fold);
  return { source, fold, prefix: literalStart(p, start, fold), suffixes: suffix === null ? null : [suffix] };
}

/** Literal text right after a leading `^` at `start` (case-sensitive: stops at a letter when folding). */
function literalStart(p: string, start: number, fold: boolean): string | null {
  const re = fold ? PREFIX_FOLD : PREFIX;
  re.lastIndex = start;
  const m = re.exec(p);
  if (m === null) return null;
  // A quantifier may make the last character optional.
  const text = m[2] === undefined ? m[1]! : m[1]!.slice(0, -1);
  return text === "" ? null : text;
}

/** Literal text right before a final `$` of `body` (the pattern after any "(?i)"), lower-cased. */
function literalEnd(body: string, fold: boolean): string | null {
  const m = (fold ? SUFFIX_FOLD : SUFFIX).exec(body);
  if (m === null) return null;
  const text = unescapeRun(m[1]!);
  // Without folding the run holds no upper case (SUFFIX stops at it): nothing to lower.
  return fold ? text.toLowerCase() : text;
}

const BACKSLASHES = /\\/g;
const ESCAPED = /\\(.)/g;

/**
 * The run's escapes are a backslash and one character each. Without an escaped backslash, every
 * backslash goes: a global replace with "" has a fast path in V8, a capture and "$1" does not
 * (about 0.5 µs per pattern, and a config has thousands of HostRegexp).
 */
const unescapeRun = (text: string): string =>
  !text.includes("\\") ? text : text.includes("\\\\") ? text.replace(ESCAPED, "$1") : text.replace(BACKSLASHES, "");
