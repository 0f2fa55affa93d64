// The common shape of rule in one pass: matcher calls with backtick arguments (or double-quoted
// ones without escapes), joined by "&&", "||" and "!", grouped by parentheses, on one line.
// Anything else (escapes, line breaks, a syntax or argument error…) gives null, and the full
// parser (parser.ts) takes the rule: it is the reference, and for every rule quickParse returns
// null or exactly the tree the full parser builds with shared leaves (test/unit/rules/quick.test.ts).
//
// Why a second parser: a config loads thousands of rules in code V8 has not optimized yet, where
// each call and property load is a trip through a generic handler. One loop over char codes with
// local state and an explicit operator stack (shunting-yard) does a fraction of that work.

import { RuleFailure } from "./lexer.ts";
import { ARG_POSITIONS, ARGS, leafFor } from "./leaves.ts";
import { matcherAt } from "./names.ts";
import { AND, Node, NOT, OR } from "./node.ts";

const LPAREN = -1;
// The operator stack (AND, OR, NOT or LPAREN, with the offset of "!" and "(") and the operand
// stack; reused by every parse, which is synchronous.
const OPS: number[] = [];
const OP_POS: number[] = [];
const VALS: Node[] = [];

export function quickParse(src: string): Node | null {
  if (src.includes("\r")) return null; // Go drops it from raw strings: the full scanner knows
  // The whole loop in one function: calls cost most in code V8 has not optimized yet.
  try {
    let ops = 0;
    let vals = 0;
    let wantOperand = true;
    let i = 0;
    for (;;) {
      // Bounds first: reading past the end gives NaN, and a deopt in code V8 just optimized.
      let c = 0;
      while (i < src.length && ((c = src.charCodeAt(i)) === 0x20 || c === 0x09)) i++;
      if (i >= src.length) break;
      if (wantOperand) {
        if (c === 0x21 || c === 0x28) {
          OPS[ops] = c === 0x21 ? NOT : LPAREN;
          OP_POS[ops++] = i++;
          continue;
        }
        const leaf = call(src, i);
        if (leaf === null) return null;
        i = callEnd;
        VALS[vals++] = leaf;
        wantOperand = false;
      } else if ((c === 0x26 || c === 0x7c) && src.charCodeAt(i + 1) === c) {
        // "&&" binds tighter than "||"; both associate to the left.
        const op = c === 0x26 ? AND : OR;
        while (ops > 0) {
          const top = OPS[ops - 1];
          if (top !== AND && (top !== OR || op !== OR)) break;
          vals = reduce(--ops, vals);
        }
        OPS[ops++] = op;
        i += 2;
        wantOperand = true;
        continue;
      } else if (c === 0x29) {
        while (ops > 0 && OPS[ops - 1] !== LPAREN) vals = reduce(--ops, vals);
        if (ops === 0) return null;
        ops--;
        i++;
      } else {
        return null;
      }
      // An operand is complete: the "!"s right before it apply to it.
      while (ops > 0 && OPS[ops - 1] === NOT) {
        const operand = VALS[vals - 1]!;
        const not = new Node(NOT, OP_POS[--ops]!, operand.end);
        not.a = operand;
        VALS[vals - 1] = not;
      }
    }
    if (wantOperand) return null;
    if (ops === 1 && OPS[0] === AND && vals === 2 && VALS[0]!.a === null && VALS[1]!.a === null) return pair(VALS[0]!, VALS[1]!);
    while (ops > 0) {
      if (OPS[ops - 1] === LPAREN) return null;
      vals = reduce(--ops, vals);
    }
    return vals === 1 ? VALS[0]! : null;
  } catch (e) {
    if (e instanceof RuleFailure) return null; // a bad argument: reported by the full parser
    throw e;
  }
}

/**
 * What quickParse returns for the commonest rule, two matchers joined by "&&": one node, reused by
 * every parse. compileRule keeps the two matchers, not the node joining them, so a config of
 * thousands of such rules makes no node for it (objects made while a config loads are what its
 * garbage collections copy). Valid until the next parse: a caller keeping the tree copies it.
 */
export const PAIR = new Node(AND, 0, 0);

function pair(a: Node, b: Node): Node {
  PAIR.a = a;
  PAIR.b = b;
  PAIR.pos = a.pos;
  PAIR.end = b.end;
  return PAIR;
}

/** Replaces the two operands on top of VALS with OPS[at] applied to them; returns the new count. */
function reduce(at: number, vals: number): number {
  const a = VALS[vals - 2]!;
  const b = VALS[vals - 1]!;
  const n = new Node(OPS[at]!, a.pos, b.end);
  n.a = a;
  n.b = b;
  VALS[vals - 2] = n;
  return vals - 1;
}

/** Where the last call() ended (after its ")"). */
let callEnd = 0;

/** The matcher call at `start`, or null when it is not one of the common form. */
function call(src: string, start: number): Node | null {
  // The name runs to "(" (blanks before it allowed): one native search rather than a loop per
  // letter, and the name must then be exactly one of the accepted spellings, so letters only.
  const open = src.indexOf("(", start);
  if (open < 0) return null;
  let end = open;
  for (let b = src.charCodeAt(end - 1); b === 0x20 || b === 0x09; b = src.charCodeAt(--end - 1));
  const name = matcherAt(src, start, end);
  if (name === undefined) return null;
  let i = open;
  let c: number;
  let n = 0;
  for (;;) {
    c = src.charCodeAt(++i);
    while (c === 0x20 || c === 0x09) c = src.charCodeAt(++i);
    if (c === 0x29) break;
    // A raw string, or a double-quoted one without escapes (or line breaks: Go refuses them there).
    if (c !== 0x60 && c !== 0x22) return null;
    const close = src.indexOf(c === 0x60 ? "`" : '"', i + 1);
    if (close < 0) return null;
    const value = src.slice(i + 1, close);
    if (c === 0x22 && (value.includes("\\") || value.includes("\n"))) return null;
    ARGS[n] = value;
    ARG_POSITIONS[n++] = i;
    i = close + 1;
    c = src.charCodeAt(i);
    while (c === 0x20 || c === 0x09) c = src.charCodeAt(++i);
    if (c === 0x29) break;
    if (c !== 0x2c) return null;
  }
  if (n === 0) return null;
  callEnd = i + 1;
  return leafFor(name, n, start, callEnd, true);
}
