// Rule syntax to an AST with source offsets. Grammar and precedence are Go's, as in Traefik:
//   or    := and { "||" and }
//   and   := unary { "&&" unary }
//   unary := "!" unary | "(" or ")" | call
//   call  := Name "(" [ string { "," string } [ "," ] ] ")"
// Arguments are only checked for being strings here; what they mean is matchers.ts's business.

import { tokenize, type Token, type TokenKind } from "./lexer.ts";
import type { Result, RuleError } from "./types.ts";

export const MATCHER_NAMES = [
  "Host",
  "HostRegexp",
  "Path",
  "PathPrefix",
  "PathRegexp",
  "Method",
  "Header",
  "HeaderRegexp",
  "Query",
  "QueryRegexp",
  "ClientIP",
] as const;

export type MatcherName = (typeof MATCHER_NAMES)[number];

export interface Arg {
  readonly value: string;
  readonly pos: number;
  readonly end: number;
}

interface Span {
  /** Offsets into the rule: `source.slice(pos, end)` is this node's text. */
  readonly pos: number;
  readonly end: number;
  /** Written in parentheses (then pos/end include them). */
  readonly grouped?: boolean;
}

export interface CallNode extends Span {
  readonly kind: "call";
  readonly name: MatcherName;
  readonly args: readonly Arg[];
}

export interface NotNode extends Span {
  readonly kind: "not";
  readonly operand: RuleNode;
}

export interface BinaryNode extends Span {
  readonly kind: "and" | "or";
  readonly left: RuleNode;
  readonly right: RuleNode;
}

export type RuleNode = CallNode | NotNode | BinaryNode;

// Traefik registers each matcher under four spellings only: as written, lower, UPPER and Title.
const SPELLINGS = new Map<string, MatcherName>(
  MATCHER_NAMES.flatMap((n) => {
    const lower = n.toLowerCase();
    return [n, lower, n.toUpperCase(), lower[0]!.toUpperCase() + lower.slice(1)].map((s) => [s, n] as const);
  }),
);

export function parseRule(src: string): Result<RuleNode, RuleError> {
  const tokens = tokenize(src);
  if (!tokens.ok) return tokens;
  try {
    return { ok: true, value: new Parser(tokens.value).parseRule() };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: { position: e.position, message: e.message } };
    throw e;
  }
}

/** Messages carry "%AT%" where "at <position>" goes, so the position reads naturally mid-sentence. */
class ParseError extends Error {
  readonly position: number;

  constructor(position: number, message: string) {
    super(message.replace("%AT%", `at ${position}`));
    this.position = position;
  }
}

function describe(t: Token): string {
  if (t.kind === "eof") return "end of rule";
  if (t.kind === "newline") return "newline";
  if (t.kind === "string") return `string ${JSON.stringify(t.value)}`;
  if (t.kind === "invalid" && (t.value === "&" || t.value === "|")) return `"${t.value}" (did you mean "${t.value}${t.value}"?)`;
  return JSON.stringify(t.value);
}

class Parser {
  private i = 0;
  private readonly tokens: readonly Token[];

  constructor(tokens: readonly Token[]) {
    this.tokens = tokens;
  }

  // A method, not a getter: TypeScript would otherwise narrow `this.tok.kind` across next().
  private get tok(): Token {
    return this.current();
  }

  private current(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  private fail(t: Token, message: string): never {
    throw new ParseError(t.pos, message);
  }

  private expect(kind: TokenKind, what = `"${kind}"`): Token {
    if (this.tok.kind !== kind) this.fail(this.tok, `expected ${what} %AT%, found ${describe(this.tok)}${this.newlineHint()}`);
    return this.next();
  }

  private newlineHint(): string {
    return this.tok.kind === "newline"
      ? '; a rule cannot continue on a new line after ")" (Go syntax): put "&&" or "||" at the end of the line instead'
      : "";
  }

  parseRule(): RuleNode {
    if (this.tok.kind === "eof") this.fail(this.tok, "empty rule %AT%; expected a matcher such as Host(`example.com`)");
    const node = this.parseOr();
    if (this.tok.kind === "newline" && this.tokens[this.i + 1]?.kind === "eof") this.next();
    if (this.current().kind !== "eof") {
      this.fail(this.tok, `unexpected ${describe(this.tok)} %AT%; expected "&&", "||" or end of rule${this.newlineHint()}`);
    }
    return node;
  }

  private parseOr(): RuleNode {
    let left = this.parseAnd();
    while (this.tok.kind === "||") {
      this.next();
      const right = this.parseAnd();
      left = { kind: "or", left, right, pos: left.pos, end: right.end };
    }
    return left;
  }

  private parseAnd(): RuleNode {
    let left = this.parseUnary();
    while (this.tok.kind === "&&") {
      this.next();
      const right = this.parseUnary();
      left = { kind: "and", left, right, pos: left.pos, end: right.end };
    }
    return left;
  }

  private parseUnary(): RuleNode {
    const t = this.tok;
    if (t.kind === "!") {
      this.next();
      const operand = this.parseUnary();
      return { kind: "not", operand, pos: t.pos, end: operand.end };
    }
    if (t.kind === "(") {
      this.next();
      const inner = this.parseOr();
      const close = this.expect(")");
      return { ...inner, pos: t.pos, end: close.end, grouped: true };
    }
    if (t.kind === "ident") return this.parseCall();
    return this.fail(t, `unexpected ${describe(t)} %AT%; expected a matcher such as Host(\`example.com\`), "!" or "("${this.newlineHint()}`);
  }

  private parseCall(): CallNode {
    const ident = this.next();
    const name = resolveName(ident);
    this.expect("(", `"(" after ${ident.value}`);
    const args: Arg[] = [];
    while (this.tok.kind !== ")") {
      const t = this.tok;
      if (t.kind !== "string") {
        this.fail(t, `expected a quoted argument %AT%, found ${describe(t)}; quote values with backticks, e.g. ${name}(\`…\`)`);
      }
      this.next();
      args.push({ value: t.value, pos: t.pos, end: t.end });
      if (this.current().kind !== ")") this.expect(",", '"," or ")"');
    }
    const close = this.next();
    return { kind: "call", name, args, pos: ident.pos, end: close.end };
  }
}

function resolveName(ident: Token): MatcherName {
  const name = SPELLINGS.get(ident.value);
  if (name) return name;
  const sameLetters = MATCHER_NAMES.find((n) => n.toLowerCase() === ident.value.toLowerCase());
  if (sameLetters) {
    const lower = sameLetters.toLowerCase();
    const forms = [sameLetters, lower, sameLetters.toUpperCase(), lower[0]!.toUpperCase() + lower.slice(1)];
    throw new ParseError(ident.pos, `matcher "${ident.value}" %AT% is spelled in a case Traefik does not accept; write ${forms.join(", ")}`);
  }
  const guess = MATCHER_NAMES.find((n) => editDistance(n.toLowerCase(), ident.value.toLowerCase()) <= 2);
  const hint = guess ? ` (did you mean ${guess}?)` : "";
  throw new ParseError(ident.pos, `unknown matcher "${ident.value}" %AT%${hint}; expected one of ${MATCHER_NAMES.join(", ")}`);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
