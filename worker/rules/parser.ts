// Rule text to a tree of match Nodes, in one pass. Grammar and precedence are Go's, as in Traefik:
//   or    := and { "||" and }
//   and   := unary { "&&" unary }
//   unary := "!" unary | "(" or ")" | call
//   call  := Name "(" [ string { "," string } [ "," ] ] ")"
// Matchers are built (and their arguments checked) as they are read, left to right, so the first
// error reported is the leftmost one, as in Traefik. Errors are thrown as RuleFailure.

import { RuleFailure, Scanner, type TokenKind } from "./lexer.ts";
import { ARG_POSITIONS, ARGS, leafFor } from "./leaves.ts";
import { MATCHER_NAMES, matcherAt, SPELLINGS, spellings, type MatcherName } from "./names.ts";
import { AND, NOT, Node, OR } from "./node.ts";
import { quickParse } from "./quick.ts";
import { editDistance } from "./suggest.ts";
import type { RuleSyntax } from "./types.ts";
import { buildV2Leaf } from "./v2/matchers.ts";
import { V2_MATCHER_NAMES, V2_SPELLINGS, type V2MatcherName } from "./v2/names.ts";

const NEWLINE_HINT = '; a rule cannot continue on a new line after ")" (Go syntax): put "&&" or "||" at the end of the line instead';

/**
 * Parses a rule. With `shareLeaves`, a matcher already built for another rule (same name, same
 * arguments) is reused (leaves.ts), and the common shape of rule takes the one-pass shortcut
 * (quick.ts); without, every node carries this rule's own offsets, for explain(). A shared-leaves
 * parse of two matchers joined by "&&" returns quick.ts's PAIR, a node the next parse reuses.
 */
export function parseRule(src: string, shareLeaves: boolean, syntax: RuleSyntax = "v3"): Node {
  if (syntax === "v2") return new Parser(new Scanner(src), shareLeaves, true).rule();
  if (shareLeaves) {
    const quick = quickParse(src);
    if (quick !== null) return quick;
  }
  return fullParse(src, shareLeaves);
}

/** The reference parser alone (tests compare the shortcut with it). */
export function fullParse(src: string, shareLeaves: boolean): Node {
  return new Parser(new Scanner(src), shareLeaves, false).rule();
}

class Parser {
  private readonly sc: Scanner;
  private readonly shareLeaves: boolean;
  /** ruleSyntax v2: the same grammar (Traefik parses both with one parser), v2's matchers. */
  private readonly v2: boolean;

  constructor(sc: Scanner, shareLeaves: boolean, v2: boolean) {
    this.sc = sc;
    this.shareLeaves = shareLeaves;
    this.v2 = v2;
  }

  /** A method, so that TypeScript does not keep a narrowed kind across sc.next(). */
  private kind(): TokenKind {
    return this.sc.kind;
  }

  private describe(): string {
    const kind = this.sc.kind;
    const value = kind === "ident" ? this.sc.identName() : this.sc.value;
    if (kind === "eof") return "end of rule";
    if (kind === "newline") return "newline";
    if (kind === "string") return `string ${JSON.stringify(value)}`;
    if (kind === "invalid" && (value === "&" || value === "|")) return `"${value}" (did you mean "${value}${value}"?)`;
    return JSON.stringify(value);
  }

  private fail(message: string): never {
    const hint = this.kind() === "newline" ? NEWLINE_HINT : "";
    throw new RuleFailure(this.sc.pos, message.replace("%FOUND%", this.describe()) + hint);
  }

  rule(): Node {
    if (this.kind() === "eof") this.fail("empty rule %AT%; expected a matcher such as Host(`example.com`)");
    const node = this.or();
    if (this.kind() === "newline") {
      // Go accepts the newline that ends the rule, nothing after it.
      const at = this.sc.pos;
      this.sc.next();
      if (this.kind() !== "eof") throw new RuleFailure(at, `unexpected newline %AT%; expected "&&", "||" or end of rule${NEWLINE_HINT}`);
    }
    if (this.kind() !== "eof") this.fail('unexpected %FOUND% %AT%; expected "&&", "||" or end of rule');
    return node;
  }

  private or(): Node {
    let left = this.and();
    while (this.kind() === "||") {
      this.sc.next();
      left = binary(OR, left, this.and());
    }
    return left;
  }

  private and(): Node {
    let left = this.unary();
    while (this.kind() === "&&") {
      this.sc.next();
      left = binary(AND, left, this.unary());
    }
    return left;
  }

  private unary(): Node {
    const pos = this.sc.pos;
    if (this.kind() === "!") {
      this.sc.next();
      const operand = this.unary();
      const n = new Node(NOT, pos, operand.end);
      n.a = operand;
      return n;
    }
    if (this.kind() === "(") {
      this.sc.next();
      const inner = this.or();
      if (this.kind() !== ")") this.fail('expected ")" %AT%, found %FOUND%');
      if (!this.shareLeaves) {
        inner.pos = pos;
        inner.end = this.sc.end;
        inner.grouped = true;
      }
      this.sc.next();
      return inner;
    }
    if (this.kind() === "ident") return this.call();
    return this.fail('unexpected %FOUND% %AT%; expected a matcher such as Host(`example.com`), "!" or "("');
  }

  private call(): Node {
    const pos = this.sc.pos;
    const name = this.v2 ? resolveV2Name(this.sc.identName(), pos) : (matcherAt(this.sc.src, pos, this.sc.end) ?? resolveName(this.sc.identName(), pos));
    const length = this.sc.end - pos;
    this.sc.next();
    if (this.kind() !== "(") this.fail(`expected "(" after ${this.sc.src.slice(pos, pos + length)} %AT%, found %FOUND%`);
    this.sc.next();
    let n = 0;
    while (this.kind() !== ")") {
      if (this.kind() !== "string") {
        this.fail(`expected a quoted argument %AT%, found %FOUND%; quote values with backticks, e.g. ${name}(\`…\`)`);
      }
      ARGS[n] = this.sc.value;
      ARG_POSITIONS[n++] = this.sc.pos;
      this.sc.next();
      if (this.kind() === ",") this.sc.next();
      else if (this.kind() !== ")") this.fail('expected "," or ")" %AT%, found %FOUND%');
    }
    const end = this.sc.end;
    this.sc.next();
    // v2 leaves are not shared: their names overlap v3's, and v2 rules are few.
    if (this.v2) return buildV2Leaf(name as V2MatcherName, ARGS.slice(0, n), ARG_POSITIONS.slice(0, n), pos, end);
    return leafFor(name as MatcherName, n, pos, end, this.shareLeaves);
  }
}

function binary(op: number, a: Node, b: Node): Node {
  const n = new Node(op, a.pos, b.end);
  n.a = a;
  n.b = b;
  return n;
}

/** The v2 matcher `written` names, or the error explaining why it names none. */
function resolveV2Name(written: string, pos: number): V2MatcherName {
  const name = V2_SPELLINGS.get(written);
  if (name) return name;
  return unknownMatcher(written, pos, V2_MATCHER_NAMES, " (ruleSyntax v2)");
}

function unknownMatcher(written: string, pos: number, names: readonly string[], syntax: string): never {
  const sameLetters = names.find((n) => n.toLowerCase() === written.toLowerCase());
  if (sameLetters) {
    throw new RuleFailure(pos, `matcher "${written}" %AT% is spelled in a case Traefik does not accept; write ${spellings(sameLetters).join(", ")}`);
  }
  const guess = names.find((n) => editDistance(n.toLowerCase(), written.toLowerCase()) <= 2);
  const hint = guess ? ` (did you mean ${guess}?)` : "";
  throw new RuleFailure(pos, `unknown matcher "${written}" %AT%${hint}; expected one of ${names.join(", ")}${syntax}`);
}

/** The matcher `written` names, or the error explaining why it names none. */
function resolveName(written: string, pos: number): MatcherName {
  const name = SPELLINGS.get(written);
  if (name) return name;
  return unknownMatcher(written, pos, MATCHER_NAMES, "");
}
