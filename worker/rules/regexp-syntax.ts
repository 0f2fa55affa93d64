// Parses Go regexp syntax (RE2, the Perl flavour Traefik compiles with `regexp.Compile`) into a
// small AST. We parse instead of rewriting text because Go and JS disagree on too many details
// (`{` as a literal, `\Q…\E`, POSIX classes, flags mid-pattern, `$` vs `\z`); from the AST the
// emitter writes JS that means exactly what Go meant. Errors use Go's wording so that messages
// match what a Traefik user would see.

import { namedClass, perlClass, unicodeClass, type ClassItem } from "./regexp-classes.ts";
import { isASCII } from "./utf8.ts";

export type ReNode =
  | { readonly t: "lit"; readonly cp: number; readonly fold: boolean }
  | { readonly t: "class"; readonly neg: boolean; readonly items: readonly ClassItem[]; readonly fold: boolean }
  | { readonly t: "any"; readonly nl: boolean }
  | { readonly t: "bol" | "eol" | "bot" | "eot" }
  | { readonly t: "wb"; readonly neg: boolean }
  | { readonly t: "group"; readonly sub: ReNode }
  | { readonly t: "concat"; readonly subs: readonly ReNode[] }
  | { readonly t: "alt"; readonly subs: readonly ReNode[] }
  | { readonly t: "rep"; readonly sub: ReNode; readonly min: number; readonly max: number; readonly braces: boolean };

interface Flags {
  fold: boolean;
  multiline: boolean;
  dotNL: boolean;
}

export class GoRegexpError extends Error {}

const MAX_REPEAT = 1000;
const MAX_HEIGHT = 1000;

export function parseGoRegexp(pattern: string): ReNode {
  const parser = new Parser(pattern);
  const node = parser.parseAlt(0);
  if (!parser.done()) throw new GoRegexpError("unexpected ): `" + pattern + "`");
  return node;
}

const isOctal = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "7";
const hexValue = (c: string | undefined): number => (c !== undefined && /^[0-9A-Fa-f]$/.test(c) ? parseInt(c, 16) : -1);
const isAlnum = (c: string): boolean => /^[0-9A-Za-z]$/.test(c);

class Parser {
  /** The pattern, as a string when it is ASCII (the common case, no copy) or as code points. */
  private readonly s: string | readonly string[];
  private i = 0;
  private flags: Flags = { fold: false, multiline: false, dotNL: false };
  private readonly names = new Set<string>();
  private readonly src: string;

  constructor(src: string) {
    this.src = src;
    this.s = isASCII(src) ? src : Array.from(src);
  }

  done(): boolean {
    return this.i >= this.s.length;
  }

  private peek(k = 0): string | undefined {
    return this.s[this.i + k];
  }

  private text(from: number, to: number): string {
    return typeof this.s === "string" ? this.s.slice(from, to) : this.s.slice(from, to).join("");
  }

  private rest(from = this.i): string {
    return this.text(from, this.s.length);
  }

  private fail(message: string, from: number, to = this.i): never {
    throw new GoRegexpError(`${message}: \`${this.text(from, to)}\``);
  }

  parseAlt(depth: number): ReNode {
    if (depth > MAX_HEIGHT) throw new GoRegexpError("expression nests too deeply");
    const branches = [this.parseConcat(depth)];
    while (this.peek() === "|") {
      this.i++;
      branches.push(this.parseConcat(depth));
    }
    return branches.length === 1 ? branches[0]! : { t: "alt", subs: branches };
  }

  private parseConcat(depth: number): ReNode {
    const items: ReNode[] = [];
    let lastRepeatStart = -1;
    for (let c = this.peek(); c !== undefined && c !== "|" && c !== ")"; c = this.peek()) {
      const start = this.i;
      const rep = this.parseRepeatOp();
      if (rep) {
        if (lastRepeatStart >= 0) this.fail("invalid nested repetition operator", lastRepeatStart);
        const sub = items.pop();
        if (sub === undefined) this.fail("missing argument to repetition operator", start);
        items.push(this.repeat(sub, rep, start));
        lastRepeatStart = start;
        continue;
      }
      lastRepeatStart = -1;
      const atom = this.parseAtom(depth);
      if (Array.isArray(atom)) items.push(...(atom as readonly ReNode[]));
      else if (atom) items.push(atom as ReNode);
    }
    return items.length === 1 ? items[0]! : { t: "concat", subs: items };
  }

  /** `*`, `+`, `?`, or a well-formed `{n,m}`; a `{` that is not a repeat is a literal, as in Go. */
  private parseRepeatOp(): { min: number; max: number; braces: boolean } | null {
    const c = this.peek();
    let op: { min: number; max: number; braces: boolean } | null = null;
    if (c === "*") op = { min: 0, max: -1, braces: false };
    else if (c === "+") op = { min: 1, max: -1, braces: false };
    else if (c === "?") op = { min: 0, max: 1, braces: false };
    if (op) this.i++;
    else if (c === "{") op = this.parseBraces();
    if (op && this.peek() === "?") this.i++; // non-greedy: irrelevant to whether a match exists
    return op;
  }

  private parseBraces(): { min: number; max: number; braces: boolean } | null {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.rest());
    if (!m) return null;
    const noLeadingZero = (d: string | undefined) => d === undefined || d === "" || !(d.length > 1 && d[0] === "0");
    if (!noLeadingZero(m[1]) || !noLeadingZero(m[3])) return null;
    const start = this.i;
    this.i += m[0].length;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === "" ? -1 : Number(m[3]);
    if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) this.fail("invalid repeat count", start);
    return { min, max, braces: true };
  }

  private repeat(sub: ReNode, op: { min: number; max: number; braces: boolean }, start: number): ReNode {
    const node: ReNode = { t: "rep", sub, ...op };
    if (op.braces && (op.min >= 2 || op.max >= 2) && !repeatIsValid(node, MAX_REPEAT)) {
      this.fail("invalid repeat count", start);
    }
    return node;
  }

  private parseAtom(depth: number): ReNode | readonly ReNode[] | null {
    const c = this.peek()!;
    const start = this.i;
    switch (c) {
      case "(":
        return this.parseGroup(depth);
      case "[":
        return this.parseClass();
      case ".":
        this.i++;
        return { t: "any", nl: this.flags.dotNL };
      case "^":
        this.i++;
        return { t: this.flags.multiline ? "bol" : "bot" };
      case "$":
        this.i++;
        return { t: this.flags.multiline ? "eol" : "eot" };
      case "\\":
        return this.parseBackslash(start);
      default:
        this.i++;
        return { t: "lit", cp: c.codePointAt(0)!, fold: this.flags.fold };
    }
  }

  private parseGroup(depth: number): ReNode | null {
    const start = this.i;
    if (this.peek(1) !== "?") {
      this.i++;
      return this.groupBody(depth, this.flags);
    }
    if ((this.peek(2) === "P" && this.peek(3) === "<") || this.peek(2) === "<") {
      this.parseCaptureName(start);
      return this.groupBody(depth, this.flags);
    }
    return this.parsePerlFlags(depth, start);
  }

  private groupBody(depth: number, inner: Flags): ReNode {
    const saved = this.flags;
    this.flags = inner;
    const sub = this.parseAlt(depth + 1);
    if (this.peek() !== ")") throw new GoRegexpError("missing closing ): `" + this.src + "`");
    this.i++;
    this.flags = saved;
    return { t: "group", sub };
  }

  private parseCaptureName(start: number): void {
    const nameStart = this.i + (this.peek(2) === "P" ? 4 : 3);
    const end = this.s.indexOf(">", nameStart);
    if (end < 0) this.fail("invalid named capture", start, this.s.length);
    const name = this.text(nameStart, end);
    this.i = end + 1;
    if (!/^[A-Za-z0-9_]+$/.test(name)) this.fail("invalid named capture", start);
    if (this.names.has(name)) this.fail("duplicate capture group name", start);
    this.names.add(name);
  }

  /** `(?i)`, `(?i-s:…)`, `(?:…)`: Go's rules, including that a flag group sets flags to the group's end. */
  private parsePerlFlags(depth: number, start: number): ReNode | null {
    const flags = { ...this.flags };
    let negate = false;
    let sawFlag = false;
    for (this.i += 2; this.i < this.s.length; ) {
      const c = this.s[this.i++]!;
      if (c === "i" || c === "m" || c === "s" || c === "U") {
        if (c === "i") flags.fold = !negate;
        if (c === "m") flags.multiline = !negate;
        if (c === "s") flags.dotNL = !negate;
        sawFlag = true;
      } else if (c === "-" && !negate) {
        negate = true;
        sawFlag = false;
      } else if ((c === ":" || c === ")") && !(negate && !sawFlag)) {
        if (c === ":") return this.groupBody(depth, flags);
        this.flags = flags;
        return null;
      } else {
        break;
      }
    }
    return this.fail("invalid or unsupported Perl syntax", start);
  }

  private parseBackslash(start: number): ReNode | readonly ReNode[] {
    const c = this.peek(1);
    if (c === undefined) throw new GoRegexpError("trailing backslash at end of expression");
    const simple: Record<string, ReNode> = {
      A: { t: "bot" },
      z: { t: "eot" },
      b: { t: "wb", neg: false },
      B: { t: "wb", neg: true },
    };
    if (simple[c]) {
      this.i += 2;
      return simple[c];
    }
    if (c === "Q") return this.parseQuoted();
    const item = this.parseClassEscape();
    if (item) return { t: "class", neg: false, items: [item], fold: this.flags.fold };
    if (c === "C") this.fail("invalid escape sequence", start, start + 2);
    return { t: "lit", cp: this.parseEscape(start), fold: this.flags.fold };
  }

  /** `\Q…\E`: separate literals, so that a following `*` repeats only the last one, as in Go. */
  private parseQuoted(): readonly ReNode[] {
    this.i += 2;
    let end = this.s.indexOf("\\", this.i);
    while (end >= 0 && this.s[end + 1] !== "E") end = this.s.indexOf("\\", end + 1);
    const stop = end < 0 ? this.s.length : end;
    const lits = Array.from(this.text(this.i, stop), (ch): ReNode => ({ t: "lit", cp: ch.codePointAt(0)!, fold: this.flags.fold }));
    this.i = end < 0 ? stop : stop + 2;
    return lits;
  }

  /** `\d`, `\pL`, `\p{Greek}`…: a class item, or null when the escape is not a class. */
  private parseClassEscape(): ClassItem | null {
    const c = this.peek(1);
    if (c === "p" || c === "P") return this.parseUnicodeClass(c === "P");
    const item = c === undefined ? null : perlClass(c);
    if (item) this.i += 2;
    return item;
  }

  private parseUnicodeClass(negated: boolean): ClassItem {
    const start = this.i;
    let name: string;
    if (this.peek(2) === "{") {
      const end = this.s.indexOf("}", this.i);
      if (end < 0) this.fail("invalid character class range", start, this.s.length);
      name = this.text(this.i + 3, end);
      this.i = end + 1;
    } else {
      name = this.peek(2) ?? "";
      this.i += 3;
    }
    if (name.startsWith("^")) {
      negated = !negated;
      name = name.slice(1);
    }
    const item = unicodeClass(name, negated);
    return item ?? this.fail("invalid character class range", start);
  }

  /** A single-character escape, as Go's parseEscape: octal, hex, control letters, punctuation. */
  private parseEscape(start: number): number {
    this.i += 2;
    const c = this.s[this.i - 1]!;
    const bad = (): never => this.fail("invalid escape sequence", start);
    if (c >= "1" && c <= "7" && !isOctal(this.peek())) return bad();
    if (c >= "0" && c <= "7") {
      let r = Number(c);
      for (let k = 1; k < 3 && isOctal(this.peek()); k++) r = r * 8 + Number(this.s[this.i++]);
      return r;
    }
    if (c === "x") return this.parseHexEscape(start);
    const controls: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (controls[c] !== undefined) return controls[c];
    const cp = c.codePointAt(0)!;
    return cp < 0x80 && !isAlnum(c) ? cp : bad();
  }

  private parseHexEscape(start: number): number {
    const bad = (): never => this.fail("invalid escape sequence", start);
    if (this.peek() !== "{") {
      const x = hexValue(this.peek());
      const y = hexValue(this.peek(1));
      if (x < 0 || y < 0) return bad();
      this.i += 2;
      return x * 16 + y;
    }
    this.i++;
    let r = 0;
    let n = 0;
    for (let v = hexValue(this.peek()); this.peek() !== "}"; v = hexValue(this.peek())) {
      if (v < 0 || (r = r * 16 + v) > 0x10ffff) return bad();
      this.i++;
      n++;
    }
    this.i++;
    return n === 0 ? bad() : r;
  }

  private parseClass(): ReNode {
    const start = this.i++;
    const neg = this.peek() === "^";
    if (neg) this.i++;
    const items: ClassItem[] = [];
    for (let first = true; first || this.peek() !== "]"; first = false) {
      if (this.peek() === undefined) this.fail("missing closing ]", start, this.s.length);
      items.push(this.parseClassItem(start));
    }
    this.i++;
    return { t: "class", neg, items, fold: this.flags.fold };
  }

  private parseClassItem(classStart: number): ClassItem {
    if (this.peek() === "[" && this.peek(1) === ":") {
      const item = this.parseNamedClass();
      if (item) return item;
    }
    if (this.peek() === "\\") {
      const item = this.parseClassEscape();
      if (item) return item;
    }
    const rangeStart = this.i;
    const lo = this.parseClassChar(classStart);
    let hi = lo;
    if (this.peek() === "-" && this.peek(1) !== undefined && this.peek(1) !== "]") {
      this.i++;
      hi = this.parseClassChar(classStart);
      if (hi < lo) this.fail("invalid character class range", rangeStart);
    }
    return { k: "range", lo, hi };
  }

  private parseClassChar(classStart: number): number {
    const c = this.peek();
    if (c === undefined) this.fail("missing closing ]", classStart, this.s.length);
    if (c === "\\") return this.parseEscape(this.i);
    this.i++;
    return c.codePointAt(0)!;
  }

  /** `[:alpha:]`; like Go, `[:` without a later `:]` is not a named class at all. */
  private parseNamedClass(): ClassItem | null {
    if (this.s.length - this.i <= 2) return null;
    const close = this.rest(this.i + 2).indexOf(":]");
    if (close < 0) return null;
    const start = this.i;
    const name = this.rest().slice(0, close + 4);
    this.i += Array.from(name).length;
    return namedClass(name) ?? this.fail("invalid character class range", start);
  }
}

/** Go's check that nested counted repeats do not multiply past 1000 copies. */
function repeatIsValid(node: ReNode, n: number): boolean {
  if (node.t === "rep" && node.braces) {
    let m = node.max;
    if (m === 0) return true;
    if (m < 0) m = node.min;
    if (m > n) return false;
    if (m > 0) n = Math.floor(n / m);
  }
  if (node.t === "rep" || node.t === "group") return repeatIsValid(node.sub, n);
  if (node.t === "concat" || node.t === "alt") return node.subs.every((s) => repeatIsValid(s, n));
  return true;
}
