// Traefik Hub's claims language (the `claims` option of its jwt and oidc middlewares): calls of
// Equals, Prefix, Contains, SplitContains and OneOf on a claim named by a dotted path, joined with
// `&&`, `||`, `!` and parentheses. Shared by the jwt and oidc middlewares.
//
//   parseClaims(text) -> { ok: true, test } | { ok: false, position, message }
//   claimAt(claims, path) -> the value at a dotted path (`user.name`; `\.` is a literal dot, `\\` a backslash)
//
// One pass over the text, no backtracking (linear time); the text and its nesting are bounded so a
// config cannot make the parser or the evaluator recurse without end. Strings are Go's: `raw` or
// "interpreted" (with \" \\ \n \t \r \/ \uXXXX). A claim compares as text: a string as is, a number
// or a boolean as JSON writes it (`Equals(`active`, `true`)` holds for `"active": true`).
import { closest } from "../../rules/suggest.ts";

export type Claims = Readonly<Record<string, unknown>>;
export type ClaimsPredicate = (claims: Claims) => boolean;
export type ClaimsParse = { ok: true; test: ClaimsPredicate } | { ok: false; position: number; message: string };

export const CLAIMS_MAX_LENGTH = 8192;
export const CLAIMS_MAX_DEPTH = 32;

type Token =
  | { readonly t: "ident"; readonly pos: number; readonly text: string }
  | { readonly t: "string"; readonly pos: number; readonly text: string }
  | { readonly t: "(" | ")" | "," | "!" | "&&" | "||" | "end"; readonly pos: number; readonly text: string };

class ClaimsError extends Error {
  readonly position: number;

  constructor(position: number, message: string) {
    super(message);
    this.position = position;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', "\\": "\\", n: "\n", t: "\t", r: "\r", "/": "/" };

function readInterpreted(text: string, start: number): { value: string; end: number } {
  let value = "";
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') return { value, end: i + 1 };
    if (c === "\n") break;
    if (c !== "\\") {
      value += c;
      continue;
    }
    const e = text[++i] ?? "";
    if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) {
      value += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (ESCAPES[e] !== undefined) {
      value += ESCAPES[e];
    } else {
      throw new ClaimsError(i - 1, `unknown escape \\${e} in a string`);
    }
  }
  throw new ClaimsError(start, "unterminated string");
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (c === "`") {
      const end = text.indexOf("`", i + 1);
      if (end < 0) throw new ClaimsError(i, "unterminated string");
      tokens.push({ t: "string", pos: i, text: text.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '"') {
      const s = readInterpreted(text, i);
      tokens.push({ t: "string", pos: i, text: s.value });
      i = s.end;
    } else if (c === "&" || c === "|") {
      if (text[i + 1] !== c) throw new ClaimsError(i, `unexpected ${JSON.stringify(c)}: the operators are && and ||`);
      tokens.push({ t: c === "&" ? "&&" : "||", pos: i, text: c + c });
      i += 2;
    } else if (c === "(" || c === ")" || c === "," || c === "!") {
      tokens.push({ t: c, pos: i, text: c });
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 64))!;
      tokens.push({ t: "ident", pos: i, text: m[0] });
      i += m[0].length;
    } else {
      throw new ClaimsError(i, `unexpected ${JSON.stringify(c)}`);
    }
  }
  tokens.push({ t: "end", pos: text.length, text: "end of expression" });
  return tokens;
}

/** A claim as text for comparisons, or null for what has no text form (objects, arrays, null, missing). */
function scalarText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return JSON.stringify(value);
  return null;
}

/** A claim path in segments: `.` separates, `\.` is a dot and `\\` a backslash within a segment. */
export function claimPath(path: string): string[] {
  const segments: string[] = [];
  let current = "";
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === "\\" && (path[i + 1] === "." || path[i + 1] === "\\")) current += path[++i];
    else if (c === ".") {
      segments.push(current);
      current = "";
    } else current += c;
  }
  segments.push(current);
  return segments;
}

function valueAt(claims: unknown, segments: readonly string[]): unknown {
  let value = claims;
  for (const segment of segments) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    if (!Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** The claim at a dotted path (`user.name`), or undefined when any step is missing. */
export function claimAt(claims: Claims, path: string): unknown {
  return valueAt(claims, claimPath(path));
}

type Build = (segments: readonly string[], args: readonly string[]) => (claim: unknown) => boolean;

interface FunctionSpec {
  /** Arguments after the claim key: exact count, or at least `min` when `variadic`. */
  readonly min: number;
  readonly variadic: boolean;
  readonly build: Build;
}

const members = (claim: unknown): (string | null)[] | null => (Array.isArray(claim) ? claim.map(scalarText) : null);

const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  Equals: { min: 1, variadic: false, build: (_, [v]) => (claim) => scalarText(claim) === v },
  Prefix: { min: 1, variadic: false, build: (_, [v]) => (claim) => scalarText(claim)?.startsWith(v!) === true },
  Contains: {
    min: 1,
    variadic: false,
    build: (_, [v]) => (claim) => members(claim)?.includes(v!) ?? scalarText(claim)?.includes(v!) === true,
  },
  SplitContains: {
    min: 2,
    variadic: false,
    build: (_, [sep, v]) => (claim) => scalarText(claim)?.split(sep!).includes(v!) === true,
  },
  OneOf: {
    min: 1,
    variadic: true,
    build: (_, values) => {
      const wanted = new Set(values);
      return (claim) => {
        const list = members(claim);
        if (list) return list.some((m) => m !== null && wanted.has(m));
        const text = scalarText(claim);
        return text !== null && wanted.has(text);
      };
    },
  },
};

function arity(spec: FunctionSpec): string {
  const n = spec.min + 1;
  return spec.variadic ? `at least ${n} arguments` : `${n} arguments`;
}

class Parser {
  private index = 0;
  private depth = 0;
  private readonly tokens: readonly Token[];

  constructor(tokens: readonly Token[]) {
    this.tokens = tokens;
  }

  parse(): ClaimsPredicate {
    const predicate = this.or();
    const rest = this.peek();
    if (rest.t !== "end") throw new ClaimsError(rest.pos, `unexpected ${rest.text}: join conditions with && or ||`);
    return predicate;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    return this.tokens[this.index++]!;
  }

  private expect(t: Token["t"], what: string): Token {
    const token = this.next();
    if (token.t !== t) throw new ClaimsError(token.pos, `expected ${what}, found ${token.text}`);
    return token;
  }

  private nested<T>(pos: number, run: () => T): T {
    if (++this.depth > CLAIMS_MAX_DEPTH) throw new ClaimsError(pos, `nested more than ${CLAIMS_MAX_DEPTH} levels deep`);
    const result = run();
    this.depth--;
    return result;
  }

  private or(): ClaimsPredicate {
    const parts = [this.and()];
    while (this.peek().t === "||") {
      this.next();
      parts.push(this.and());
    }
    return parts.length === 1 ? parts[0]! : (claims) => parts.some((p) => p(claims));
  }

  private and(): ClaimsPredicate {
    const parts = [this.unary()];
    while (this.peek().t === "&&") {
      this.next();
      parts.push(this.unary());
    }
    return parts.length === 1 ? parts[0]! : (claims) => parts.every((p) => p(claims));
  }

  private unary(): ClaimsPredicate {
    const token = this.peek();
    if (token.t === "!") {
      this.next();
      const inner = this.nested(token.pos, () => this.unary());
      return (claims) => !inner(claims);
    }
    if (token.t === "(") {
      this.next();
      const inner = this.nested(token.pos, () => this.or());
      this.expect(")", "a closing parenthesis");
      return inner;
    }
    return this.call();
  }

  private call(): ClaimsPredicate {
    const name = this.next();
    if (name.t !== "ident") throw new ClaimsError(name.pos, `expected a function (${Object.keys(FUNCTIONS).join(", ")}), found ${name.text}`);
    const spec = FUNCTIONS[name.text];
    if (!spec) {
      const hint = closest(name.text, Object.keys(FUNCTIONS));
      throw new ClaimsError(name.pos, `unknown function ${name.text}${hint ? `, did you mean ${hint}?` : ` (known: ${Object.keys(FUNCTIONS).join(", ")})`}`);
    }
    this.expect("(", `( after ${name.text}`);
    const args: string[] = [];
    for (;;) {
      args.push(this.expect("string", "a string (`...` or \"...\")").text);
      const sep = this.next();
      if (sep.t === ")") break;
      if (sep.t !== ",") throw new ClaimsError(sep.pos, `expected , or ) in ${name.text}(...), found ${sep.text}`);
    }
    const given = args.length - 1;
    if (given < spec.min || (!spec.variadic && given !== spec.min)) {
      throw new ClaimsError(name.pos, `${name.text} takes ${arity(spec)}, found ${args.length}`);
    }
    const segments = claimPath(args[0]!);
    const check = spec.build(segments, args.slice(1));
    return (claims) => check(valueAt(claims, segments));
  }
}

/** Parses a claims expression once; the predicate it returns is pure and cheap per request. */
export function parseClaims(text: string): ClaimsParse {
  if (text.length > CLAIMS_MAX_LENGTH) return { ok: false, position: CLAIMS_MAX_LENGTH, message: `longer than ${CLAIMS_MAX_LENGTH} characters` };
  try {
    const tokens = tokenize(text);
    if (tokens.length === 1) return { ok: false, position: 0, message: "empty expression" };
    return { ok: true, test: new Parser(tokens).parse() };
  } catch (e) {
    if (e instanceof ClaimsError) return { ok: false, position: e.position, message: e.message };
    throw e;
  }
}
