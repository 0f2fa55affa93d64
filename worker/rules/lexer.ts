// Tokens of the rule language. Traefik parses rules as Go expressions (vulcand/predicate on top of
// go/parser), so strings follow Go: backticks are raw, double quotes take Go escapes. Go's scanner
// also ends an expression at a newline that follows `)`, an identifier or a string (automatic
// semicolons); we emit a "newline" token there so the parser can reject what Traefik rejects.

import type { Result, RuleError } from "./types.ts";

export type TokenKind = "ident" | "string" | "(" | ")" | "," | "&&" | "||" | "!" | "newline" | "invalid" | "eof";

export interface Token {
  readonly kind: TokenKind;
  /** 0-based offset of the token in the rule. */
  readonly pos: number;
  readonly end: number;
  /** The string's value (escapes applied) or the identifier's name. */
  readonly value: string;
}

const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{Nd}_]/u;
const SIMPLE: Record<string, TokenKind> = { "(": "(", ")": ")", ",": ",", "!": "!" };

export function tokenize(src: string): Result<Token[], RuleError> {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === "\n") {
      const last = tokens.at(-1)?.kind;
      if (last === "ident" || last === "string" || last === ")") tokens.push({ kind: "newline", pos: i, end: i + 1, value: "\n" });
      i++;
    } else if (c === " " || c === "\t" || c === "\r") {
      i++;
    } else if (SIMPLE[c]) {
      tokens.push({ kind: SIMPLE[c], pos: i, end: i + 1, value: c });
      i++;
    } else if ((c === "&" || c === "|") && src[i + 1] === c) {
      tokens.push({ kind: c === "&" ? "&&" : "||", pos: i, end: i + 2, value: c + c });
      i += 2;
    } else if (c === "`" || c === '"') {
      const r = c === "`" ? rawString(src, i) : quotedString(src, i);
      if (!r.ok) return r;
      tokens.push(r.value);
      i = r.value.end;
    } else if (IDENT_START.test(String.fromCodePoint(src.codePointAt(i)!))) {
      const start = i;
      while (i < src.length && IDENT_PART.test(String.fromCodePoint(src.codePointAt(i)!))) i += src.codePointAt(i)! > 0xffff ? 2 : 1;
      tokens.push({ kind: "ident", pos: start, end: i, value: src.slice(start, i) });
    } else {
      // Left to the parser, which knows what was expected here.
      const ch = String.fromCodePoint(src.codePointAt(i)!);
      tokens.push({ kind: "invalid", pos: i, end: i + ch.length, value: ch });
      i += ch.length;
    }
  }
  tokens.push({ kind: "eof", pos: src.length, end: src.length, value: "" });
  return { ok: true, value: tokens };
}

function rawString(src: string, start: number): Result<Token, RuleError> {
  const close = src.indexOf("`", start + 1);
  if (close < 0) {
    return { ok: false, error: { position: start, message: `unterminated string at ${start}; expected a closing backtick` } };
  }
  // Go drops carriage returns from raw strings.
  const value = src.slice(start + 1, close).replaceAll("\r", "");
  return { ok: true, value: { kind: "string", pos: start, end: close + 1, value } };
}

/** A Go interpreted string: escapes may produce raw bytes, so the value is decoded as UTF-8 at the end. */
function quotedString(src: string, start: number): Result<Token, RuleError> {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = start + 1; i < src.length; ) {
    const c = src[i]!;
    if (c === '"') {
      const value = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(new Uint8Array(bytes));
      return { ok: true, value: { kind: "string", pos: start, end: i + 1, value } };
    }
    if (c === "\n") break;
    if (c === "\\") {
      const r = goEscape(src, i);
      if (typeof r === "string") return { ok: false, error: { position: i, message: `${r} at ${i}` } };
      bytes.push(...(r.rune >= 0 ? encoder.encode(String.fromCodePoint(r.rune)) : [r.byte]));
      i = r.next;
      continue;
    }
    const cp = src.codePointAt(i)!;
    bytes.push(...encoder.encode(String.fromCodePoint(cp)));
    i += cp > 0xffff ? 2 : 1;
  }
  return { ok: false, error: { position: start, message: `unterminated string at ${start}; expected a closing "` } };
}

type Escape = { rune: number; byte: number; next: number } | string;

const SINGLE: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92, '"': 34 };
const DIGITS: Record<string, [count: number, base: number]> = { x: [2, 16], u: [4, 16], U: [8, 16] };

function goEscape(src: string, i: number): Escape {
  const c = src[i + 1];
  if (c !== undefined && SINGLE[c] !== undefined) return { rune: SINGLE[c], byte: 0, next: i + 2 };
  if (c !== undefined && c >= "0" && c <= "7") {
    const digits = src.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 255) return "invalid octal escape (use three digits, at most \\377)";
    return { rune: -1, byte: parseInt(digits, 8), next: i + 4 };
  }
  const spec = c === undefined ? undefined : DIGITS[c];
  if (!spec) return `unknown escape sequence "\\${c ?? ""}"`;
  const [count] = spec;
  const digits = src.slice(i + 2, i + 2 + count);
  if (!new RegExp(`^[0-9A-Fa-f]{${count}}$`).test(digits)) return `invalid escape "\\${c}": expected ${count} hex digits`;
  const value = parseInt(digits, 16);
  if (c === "x") return { rune: -1, byte: value, next: i + 2 + count };
  if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return `escape "\\${c}${digits}" is not a valid Unicode code point`;
  return { rune: value, byte: 0, next: i + 2 + count };
}
