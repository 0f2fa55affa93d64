// Traefik's condition language (vulcand/predicate, used by circuitBreaker.expression and
// buffering.retryExpression): Go expression syntax with a fixed set of functions, `&&`, `||`,
// parentheses and comparisons of a function's value with a constant. Hand-written here, with the
// same typing rules as Traefik, so that what Traefik refuses is refused (with a position), and what
// it accepts means the same:
//   - a comparison is `Function(...) op constant`: the function on the left, a constant on the right;
//   - an int function compares with an integer constant, a float function with a decimal one
//     (`NetworkErrorRatio() > 0.5`, not `> 1`; `LatencyAtQuantileMS(50.0)`, not `(50)`);
//   - strings compare with `==` and `!=` only; `&&` and `||` join conditions, never numbers;
//   - there is no `!`, no arithmetic, no negative constants.
import { closest } from "../../rules/suggest.ts";
import { tokenize, type Token } from "./expression-lexer.ts";

export type ValueKind = "bool" | "int" | "float" | "string";
export type ParamKind = "int" | "float";
type Value = boolean | number | string;

export interface FunctionSpec<C> {
  readonly params: readonly ParamKind[];
  readonly returns: ValueKind;
  /** The evaluator for these constant arguments, built once at compile time. */
  readonly build: (args: readonly number[]) => (ctx: C) => Value;
}

export type Functions<C> = Readonly<Record<string, FunctionSpec<C>>>;
export type Predicate<C> = (ctx: C) => boolean;
export type ParseResult<C> = { ok: true; predicate: Predicate<C> } | { ok: false; position: number; message: string };

type Node<C> =
  | { readonly kind: ValueKind; readonly pos: number; readonly text: string; readonly eval: (ctx: C) => Value }
  | { readonly kind: "constant"; readonly type: "int" | "float" | "string"; readonly pos: number; readonly text: string; readonly value: number | string };

class ExpressionError extends Error {
  readonly position: number;

  constructor(position: number, message: string) {
    super(message);
    this.position = position;
  }
}

export function parseExpression<C>(text: string, functions: Functions<C>): ParseResult<C> {
  try {
    const lexed = tokenize(text);
    if (!lexed.ok) throw new ExpressionError(lexed.position, lexed.message);
    const parser = new Parser(lexed.tokens, functions);
    const node = parser.parse();
    if (node.kind !== "bool") throw new ExpressionError(node.pos, `${describe(node)} is not a condition: compare it with a constant (e.g. ${example(node)})`);
    const evaluate = node.eval;
    return { ok: true, predicate: (ctx) => evaluate(ctx) === true };
  } catch (e) {
    if (e instanceof ExpressionError) return { ok: false, position: e.position, message: e.message };
    throw e;
  }
}

const COMPARISONS = new Set(["==", "!=", "<", "<=", ">", ">="]);

class Parser<C> {
  private index = 0;
  private readonly tokens: readonly Token[];
  private readonly functions: Functions<C>;

  constructor(tokens: readonly Token[], functions: Functions<C>) {
    this.tokens = tokens;
    this.functions = functions;
  }

  parse(): Node<C> {
    const node = this.or();
    const rest = this.peek();
    if (rest.kind !== "eof") throw new ExpressionError(rest.pos, `unexpected ${quote(rest)}: expected && or || between conditions`);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? { kind: "eof", text: "", pos: 0 };
  }

  private next(): Token {
    const token = this.peek();
    this.index++;
    return token;
  }

  private or(): Node<C> {
    let left = this.and();
    while (this.peek().text === "||") {
      const op = this.next();
      left = join(op, left, this.and(), (a, b) => (ctx) => a(ctx) === true || b(ctx) === true);
    }
    return left;
  }

  private and(): Node<C> {
    let left = this.comparison();
    while (this.peek().text === "&&") {
      const op = this.next();
      left = join(op, left, this.comparison(), (a, b) => (ctx) => a(ctx) === true && b(ctx) === true);
    }
    return left;
  }

  private comparison(): Node<C> {
    const left = this.primary();
    if (this.peek().kind !== "op" || !COMPARISONS.has(this.peek().text)) return left;
    const op = this.next();
    const node = compare(op, left, this.primary());
    const after = this.peek();
    if (after.kind === "op" && COMPARISONS.has(after.text)) {
      throw new ExpressionError(after.pos, `comparisons cannot be chained: join them with && or ||`);
    }
    return node;
  }

  private primary(): Node<C> {
    const token = this.next();
    switch (token.kind) {
      case "(": {
        const inner = this.or();
        const close = this.next();
        if (close.kind !== ")") throw new ExpressionError(close.pos, `expected ) to close the ( at position ${token.pos}, found ${quote(close)}`);
        return inner;
      }
      case "ident":
        return this.call(token);
      case "int":
      case "float":
      case "string":
        return { kind: "constant", type: token.kind, pos: token.pos, text: token.text, value: token.value ?? token.text };
      default:
        throw new ExpressionError(token.pos, `unexpected ${quote(token)}: expected a function call such as ${this.someFunction()}()`);
    }
  }

  private call(name: Token): Node<C> {
    const spec = Object.hasOwn(this.functions, name.text) ? this.functions[name.text] : undefined;
    if (!spec) {
      const hint = closest(name.text, Object.keys(this.functions));
      const known = Object.keys(this.functions).map((f) => `${f}()`).join(", ");
      throw new ExpressionError(name.pos, `unknown function ${name.text}${hint ? ` (did you mean ${hint}?)` : ""}: the functions are ${known}`);
    }
    const open = this.next();
    if (open.kind !== "(") throw new ExpressionError(open.pos, `${name.text} is a function: call it as ${name.text}(${spec.params.join(", ")})`);
    const args = this.arguments(name, spec);
    const evaluate = spec.build(args);
    const text = `${name.text}(${args.join(", ")})`;
    return { kind: spec.returns, pos: name.pos, text, eval: evaluate };
  }

  private arguments(name: Token, spec: FunctionSpec<C>): number[] {
    const args: number[] = [];
    let token = this.next();
    while (token.kind !== ")") {
      if (args.length > 0) {
        if (token.kind !== ",") throw new ExpressionError(token.pos, `expected , or ) in the arguments of ${name.text}, found ${quote(token)}`);
        token = this.next();
      }
      const kind = spec.params[args.length];
      if (kind === undefined) throw new ExpressionError(token.pos, `${name.text} takes ${arity(spec)}`);
      if (token.kind !== "int" && token.kind !== "float") throw new ExpressionError(token.pos, `the arguments of ${name.text} are constants; found ${quote(token)}`);
      if (token.kind !== kind) {
        const hint = kind === "float" ? ` (write ${token.text}.0)` : "";
        throw new ExpressionError(token.pos, `argument ${args.length + 1} of ${name.text} must be ${kindText(kind)}, found ${token.text}${hint}`);
      }
      args.push(Number(token.value));
      token = this.next();
    }
    if (args.length !== spec.params.length) throw new ExpressionError(token.pos, `${name.text} takes ${arity(spec)}, found ${args.length}`);
    return args;
  }

  private someFunction(): string {
    return Object.keys(this.functions)[0] ?? "Function";
  }
}

type Evaluator<C> = (ctx: C) => Value;

function join<C>(op: Token, left: Node<C>, right: Node<C>, make: (a: Evaluator<C>, b: Evaluator<C>) => Evaluator<C>): Node<C> {
  for (const side of [left, right]) {
    if (side.kind !== "bool") throw new ExpressionError(side.pos, `${op.text} joins conditions, but ${describe(side)} is not one: compare it with a constant (e.g. ${example(side)})`);
  }
  if (left.kind !== "bool" || right.kind !== "bool") throw new ExpressionError(op.pos, `${op.text} joins conditions`);
  return { kind: "bool", pos: left.pos, text: `${left.text} ${op.text} ${right.text}`, eval: make(left.eval, right.eval) };
}

function compare<C>(op: Token, left: Node<C>, right: Node<C>): Node<C> {
  if (left.kind === "constant") {
    const hint = right.kind !== "constant" ? `: write ${right.text} ${mirror(op.text)} ${left.text}` : "";
    throw new ExpressionError(left.pos, `a comparison puts the function on the left and the constant on the right${hint}`);
  }
  if (left.kind === "bool") throw new ExpressionError(op.pos, `${left.text} is a condition, it cannot be compared with ${op.text}`);
  if (right.kind !== "constant") throw new ExpressionError(right.pos, `${left.text} must be compared with a constant, not with ${right.text}`);
  if (right.type !== left.kind) throw new ExpressionError(right.pos, `${left.text} is ${kindText(left.kind)}: compare it with ${kindText(left.kind)} (e.g. ${example(left)}), not ${right.text}`);
  if (left.kind === "string" && op.text !== "==" && op.text !== "!=") throw new ExpressionError(op.pos, `${left.text} is a string: compare it with == or != only`);
  const value = right.value;
  const read = left.eval;
  const test = TESTS[op.text];
  if (!test) throw new ExpressionError(op.pos, `unknown operator ${op.text}`);
  return { kind: "bool", pos: left.pos, text: `${left.text} ${op.text} ${right.text}`, eval: (ctx) => test(read(ctx), value) };
}

const TESTS: Readonly<Record<string, (a: Value, b: number | string) => boolean>> = {
  "==": (a, b) => a === b,
  "!=": (a, b) => a !== b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

const MIRROR: Readonly<Record<string, string>> = { "<": ">", ">": "<", "<=": ">=", ">=": "<=" };

function mirror(op: string): string {
  return MIRROR[op] ?? op;
}

function kindText(kind: ValueKind | ParamKind): string {
  switch (kind) {
    case "int":
      return "an integer";
    case "float":
      return "a decimal number";
    case "string":
      return "a string";
    default:
      return "a condition";
  }
}

function example<C>(node: Node<C>): string {
  const kind = node.kind === "constant" ? node.type : node.kind;
  const constant = kind === "float" ? "0.5" : kind === "string" ? `"GET"` : "2";
  return node.kind === "constant" ? `Function() > ${constant}` : `${node.text} > ${constant}`.replace(/ > "GET"$/, ` == "GET"`);
}

function describe<C>(node: Node<C>): string {
  return node.kind === "constant" ? `the constant ${node.text}` : node.text;
}

function arity<C>(spec: FunctionSpec<C>): string {
  if (spec.params.length === 0) return "no arguments";
  return `${spec.params.length} argument${spec.params.length > 1 ? "s" : ""} (${spec.params.map(kindText).join(", ")})`;
}

function quote(token: Token): string {
  return token.kind === "eof" ? "end of expression" : `"${token.text}"`;
}
