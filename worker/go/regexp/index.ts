// Go regular expressions (RE2 syntax and semantics), as Traefik compiles every regex in a config,
// matched in time linear in the input. One module for every site: rule matchers (HostRegexp,
// PathRegexp, HeaderRegexp, QueryRegexp) and middleware fields (stripPrefixRegex, replacePathRegex,
// redirectRegex, CORS origin lists, forwardAuth header and cookie regexes).
//
// Two engines behind one interface:
//   - re2js, a JavaScript port of RE2: linear-time by construction, Go's syntax, errors and
//     semantics (leftmost-first, (?i) with simple folding, \s and POSIX classes as Go reads them).
//   - the runtime's RegExp, only for patterns linear.ts proves cannot backtrack super-linearly:
//     they run about 20x faster, and the commonest rule patterns are of that kind.
// re2js compiles a pattern in ~30 µs warm; a config loads thousands of regex rules, so a pattern
// whose syntax the shortcut (simple.ts) proves valid is compiled on its first match instead.

import { RE2JS } from "re2js";
import type { Result } from "../result.ts";
import { linearSource, type LinearSource } from "./linear.ts";
import { simpleTranslation } from "./simple.ts";

/** A match: where it starts and ends in the subject (UTF-16 indexes) and its groups' text. */
export interface GoMatch {
  readonly start: number;
  readonly end: number;
  /** Group i's text (0: the whole match), or undefined when it took no part or does not exist. */
  group(i: number): string | undefined;
}

export interface GoRegexp {
  /** The Go pattern as written. */
  readonly pattern: string;
  /** "native" when linear.ts proved the runtime's RegExp safe on it, else "re2". */
  readonly engine: "native" | "re2";
  /** Whether the pattern matches anywhere in `s` (Go's MatchString). */
  test(s: string): boolean;
  /** The leftmost-first match starting at `from` or later, with `^`, `\b` etc. seeing all of `s`. */
  find(s: string, from: number): GoMatch | null;
  /** The number of the group named `name`, or -1. */
  groupIndex(name: string): number;
  /** A literal the subject must start with (`^/api…` gives "/api"), for indexing; null if none. */
  readonly literalPrefix: string | null;
  /** Lower-cased literals one of which the subject must end with, for indexing hosts; or null. */
  readonly lowerSuffixes: readonly string[] | null;
  /** Whether the pattern matches "" (HostRegexp's Traefik quirk); learnt on first read. */
  readonly matchesEmpty: boolean;
}

class NativeRegexp implements GoRegexp {
  readonly engine = "native";
  readonly pattern: string;
  readonly literalPrefix: string | null;
  readonly lowerSuffixes: readonly string[] | null;
  private readonly source: string;
  private readonly flags: string;
  private compiled: RegExp | null = null;
  private stepping: RegExp | null = null;
  private empty: boolean | null = null;

  constructor(pattern: string, js: LinearSource, prefix: string | null, suffixes: readonly string[] | null) {
    this.pattern = pattern;
    this.source = js.source;
    this.flags = js.fold ? "iu" : "u";
    this.literalPrefix = prefix;
    this.lowerSuffixes = suffixes;
  }

  test(s: string): boolean {
    // Built on first use: constructing a RegExp parses the pattern once more, and most rules of a
    // large config are not evaluated before the next reload. No g flag: test() keeps no state.
    return (this.compiled ??= new RegExp(this.source, this.flags)).test(s);
  }

  find(s: string, from: number): GoMatch | null {
    const re = (this.stepping ??= new RegExp(this.source, this.flags + "g"));
    re.lastIndex = from;
    const m = re.exec(s);
    if (m === null) return null;
    const text = m[0];
    // linear.ts admits no groups: only group 0 exists.
    return { start: m.index, end: m.index + text.length, group: (i) => (i === 0 ? text : undefined) };
  }

  groupIndex(): number {
    return -1;
  }

  get matchesEmpty(): boolean {
    return (this.empty ??= this.test(""));
  }
}

class Re2Regexp implements GoRegexp {
  readonly engine = "re2";
  readonly pattern: string;
  readonly literalPrefix: string | null;
  readonly lowerSuffixes: readonly string[] | null;
  private compiled: RE2JS | null;
  private empty: boolean | null = null;

  /** `compiled` null: compiled on first use (the shortcut proved the syntax valid). */
  constructor(pattern: string, compiled: RE2JS | null, prefix: string | null, suffixes: readonly string[] | null) {
    this.pattern = pattern;
    this.compiled = compiled;
    this.literalPrefix = prefix;
    this.lowerSuffixes = suffixes;
  }

  private get re(): RE2JS {
    return (this.compiled ??= RE2JS.compile(this.pattern));
  }

  test(s: string): boolean {
    return this.re.test(s);
  }

  find(s: string, from: number): GoMatch | null {
    const re = this.re;
    // The DFA answers "no match" without tracking groups: the common case, and the cheap one.
    if (from === 0 && !re.test(s)) return null;
    const m = re.matcher(s);
    if (!m.find(from)) return null;
    const count = re.groupCount();
    return { start: m.start(), end: m.end(), group: (i) => (i <= count ? (m.group(i) ?? undefined) : undefined) };
  }

  groupIndex(name: string): number {
    const groups = this.re.namedGroups();
    return Object.hasOwn(groups, name) ? groups[name]! : -1;
  }

  get matchesEmpty(): boolean {
    return (this.empty ??= this.test(""));
  }
}

// Configs repeat patterns (the same PathRegexp on many hosts), and a compiled pattern keeps no
// state between matches, so one instance serves every site using the pattern.
const cache = new Map<string, Result<GoRegexp, string>>();
const CACHE_MAX = 20_000;

/** Compiles a Go regular expression, or says in Go's words why Go would refuse it. */
export function compileGoRegexp(pattern: string): Result<GoRegexp, string> {
  let r = cache.get(pattern);
  if (r === undefined) {
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(pattern, (r = compile(pattern)));
  }
  return r;
}

function compile(pattern: string): Result<GoRegexp, string> {
  const simple = simpleTranslation(pattern);
  const prefix = simple?.prefix ?? null;
  const suffixes = simple?.suffixes ?? null;
  const linear = linearSource(pattern);
  if (linear !== null) return { ok: true, value: new NativeRegexp(pattern, linear, prefix, suffixes) };
  if (simple !== null) return { ok: true, value: new Re2Regexp(pattern, null, prefix, suffixes) };
  try {
    return { ok: true, value: new Re2Regexp(pattern, RE2JS.compile(pattern), null, null) };
  } catch (e) {
    return { ok: false, error: goMessage(e) };
  }
}

/** re2js says "error parsing regexp: missing closing ): `(a`", as Go; the callers add their own lead. */
function goMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(/^error parsing regexp: /, "");
}
