// Tokens of the rule language. Traefik parses rules as Go expressions (vulcand/predicate on top of
// go/parser), so strings follow Go: backticks are raw, double quotes take Go escapes. Go's scanner
// also ends an expression at a newline that follows `)`, an identifier or a string (automatic
// semicolons); we produce a "newline" token there so the parser can reject what Traefik rejects.
//
// The scanner holds the current token in its fields instead of allocating token objects: rules
// compile by the thousand when a config loads.

export type TokenKind = "ident" | "string" | "(" | ")" | "," | "&&" | "||" | "!" | "newline" | "invalid" | "eof";

/** A rule error while compiling: thrown inside the engine, returned as a RuleError to callers. */
export class RuleFailure extends Error {
  readonly position: number;

  /** `message` may hold "%AT%" where "at <position>" reads best; otherwise it is appended. */
  constructor(position: number, message: string) {
    super(message.includes("%AT%") ? message.replace("%AT%", `at ${position}`) : `${message} at ${position}`);
    this.position = position;
  }
}

const NON_ASCII_IDENT_START = /^[\p{L}_]$/u;
const NON_ASCII_IDENT_PART = /^[\p{L}\p{Nd}_]$/u;
const isLetter = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

function identCharLength(src: string, i: number, start: boolean): number {
  if (i >= src.length) return 0;
  const c = src.charCodeAt(i);
  if (isLetter(c) || (!start && isDigit(c))) return 1;
  if (c < 0x80) return 0;
  const ch = String.fromCodePoint(src.codePointAt(i)!);
  return (start ? NON_ASCII_IDENT_START : NON_ASCII_IDENT_PART).test(ch) ? ch.length : 0;
}

/** The end of an identifier whose first character ends before `i`. */
function identEnd(src: string, i: number): number {
  let j = i;
  for (; j < src.length; j++) {
    const c = src.charCodeAt(j);
    // ASCII letters (either case), digits and "_"; anything else, non-ASCII letters included, below.
    if (!(((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f)) break;
  }
  for (let n = identCharLength(src, j, false); n > 0; n = identCharLength(src, j, false)) j += n;
  return j;
}

export class Scanner {
  readonly src: string;
  kind: TokenKind = "eof";
  /** 0-based offsets of the current token. */
  pos = 0;
  end = 0;
  /** The string's value (escapes applied) or the token's text; "" for an identifier (identName). */
  value = "";

  constructor(src: string) {
    this.src = src;
    this.next();
  }

  next(): void {
    const src = this.src;
    const prev = this.kind;
    let i = this.end;
    for (; i < src.length; i++) {
      const c = src.charCodeAt(i);
      if (c === 0x0a && (prev === "ident" || prev === "string" || prev === ")")) return this.set("newline", i, i + 1, "\n");
      if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) break;
    }
    if (i >= src.length) return this.set("eof", src.length, src.length, "");
    // By char code, with constant strings: no string is built for punctuation.
    switch (src.charCodeAt(i)) {
      case 0x28:
        return this.set("(", i, i + 1, "(");
      case 0x29:
        return this.set(")", i, i + 1, ")");
      case 0x2c:
        return this.set(",", i, i + 1, ",");
      case 0x21:
        return this.set("!", i, i + 1, "!");
      case 0x26:
        if (src.charCodeAt(i + 1) === 0x26) return this.set("&&", i, i + 2, "&&");
        break;
      case 0x7c:
        if (src.charCodeAt(i + 1) === 0x7c) return this.set("||", i, i + 2, "||");
        break;
      case 0x60:
        return this.rawString(i);
      case 0x22:
        return this.quotedString(i);
    }
    if (identCharLength(src, i, true) > 0) return this.set("ident", i, identEnd(src, i + 1), "");
    // Left to the parser, which knows what was expected here.
    const invalid = String.fromCodePoint(src.codePointAt(i)!);
    this.set("invalid", i, i + invalid.length, invalid);
  }

  /** The identifier's name. Read on demand: the parser compares it in place (names.ts matcherAt). */
  identName(): string {
    return this.src.slice(this.pos, this.end);
  }

  private set(kind: TokenKind, pos: number, end: number, value: string): void {
    this.kind = kind;
    this.pos = pos;
    this.end = end;
    this.value = value;
  }

  private rawString(start: number): void {
    const close = this.src.indexOf("`", start + 1);
    if (close < 0) throw new RuleFailure(start, "unterminated string %AT%; expected a closing backtick");
    const raw = this.src.slice(start + 1, close);
    // Go drops carriage returns from raw strings.
    this.set("string", start, close + 1, raw.includes("\r") ? raw.replaceAll("\r", "") : raw);
  }

  /** A Go interpreted string: escapes may produce raw bytes, so the value is decoded as UTF-8. */
  private quotedString(start: number): void {
    const src = this.src;
    const close = src.indexOf('"', start + 1);
    const plain = close > 0 ? src.slice(start + 1, close) : "";
    if (close > 0 && !plain.includes("\\") && !plain.includes("\n")) return this.set("string", start, close + 1, plain);
    const bytes: number[] = [];
    const encoder = new TextEncoder();
    for (let i = start + 1; i < src.length && src[i] !== "\n"; ) {
      const c = src[i]!;
      if (c === '"') {
        const value = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(new Uint8Array(bytes));
        return this.set("string", start, i + 1, value);
      }
      if (c === "\\") {
        const r = goEscape(src, i);
        if (typeof r === "string") throw new RuleFailure(i, r);
        bytes.push(...(r.rune >= 0 ? encoder.encode(String.fromCodePoint(r.rune)) : [r.byte]));
        i = r.next;
        continue;
      }
      const cp = src.codePointAt(i)!;
      bytes.push(...encoder.encode(String.fromCodePoint(cp)));
      i += cp > 0xffff ? 2 : 1;
    }
    throw new RuleFailure(start, 'unterminated string %AT%; expected a closing "');
  }
}

type Escape = { rune: number; byte: number; next: number } | string;

const SINGLE: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92, '"': 34 };
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

function goEscape(src: string, i: number): Escape {
  const c = src[i + 1];
  if (c !== undefined && SINGLE[c] !== undefined) return { rune: SINGLE[c], byte: 0, next: i + 2 };
  if (c !== undefined && c >= "0" && c <= "7") {
    const digits = src.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 255) return "invalid octal escape (use three digits, at most \\377)";
    return { rune: -1, byte: parseInt(digits, 8), next: i + 4 };
  }
  const count = c === undefined ? undefined : HEX_DIGITS[c];
  if (count === undefined) return `unknown escape sequence "\\${c ?? ""}"`;
  const digits = src.slice(i + 2, i + 2 + count);
  if (!new RegExp(`^[0-9A-Fa-f]{${count}}$`).test(digits)) return `invalid escape "\\${c}": expected ${count} hex digits`;
  const value = parseInt(digits, 16);
  if (c === "x") return { rune: -1, byte: value, next: i + 2 + count };
  if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return `escape "\\${c}${digits}" is not a valid Unicode code point`;
  return { rune: value, byte: 0, next: i + 2 + count };
}
