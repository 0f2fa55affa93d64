// compileRule: the parsed tree of match Nodes, plus what the muxer can index on (hosts, path
// prefixes). Index facts are computed with the polarity of each leaf, the way Traefik pushes "!"
// down to the leaves (pkg/rules invert): only a leaf that must hold for the rule to match
// constrains the request.

import { RuleFailure } from "./lexer.ts";
import { AND, evaluate, HOST, HOST_REGEXP, Node, NOT, OR, PATH, PATH_PREFIX, PATH_REGEXP, subject, V2 } from "./node.ts";
import { parseRule } from "./parser.ts";
import type { CompiledRule, HostIndex, RequestView, Result, RuleError, RuleSyntax, RuleTrace } from "./types.ts";

/** `syntax`: the router's ruleSyntax (or the configured default); Traefik's v3 when absent. */
export function compileRule(rule: string, syntax: RuleSyntax = "v3"): Result<CompiledRule, RuleError> {
  try {
    return { ok: true, value: new Rule(rule, parseRule(rule, true, syntax), syntax) };
  } catch (e) {
    if (e instanceof RuleFailure) return { ok: false, error: { position: e.position, message: e.message } };
    throw e;
  }
}

class Rule implements CompiledRule {
  readonly source: string;
  readonly hostIndex: HostIndex | string | null;
  readonly pathPrefixes: readonly string[] | null;
  /**
   * The tree in `a`, `b` null; but for the commonest rule, two matchers joined by "&&"
   * (Host(…) && PathPrefix(…)), the two matchers: the "&&" node is not kept. A config holds
   * thousands of rules, and every object they keep is copied by each young-generation GC while
   * they load.
   */
  private readonly a: Node;
  private readonly b: Node | null;
  private readonly syntax: RuleSyntax;

  constructor(source: string, root: Node, syntax: RuleSyntax) {
    let hostIndex: HostIndex | string | null;
    let prefixes: readonly string[] | null;
    const a = root.a;
    const b = root.b;
    const pair = root.op === AND && a !== null && b !== null && a.a === null && b.a === null;
    if (pair) {
      // When one of the two says nothing, the other's facts are the rule's, without walking the
      // tree (calls cost most in code not yet optimized, and a config compiles thousands of rules).
      const ha = hostsOfLeaf(a);
      const hb = hostsOfLeaf(b);
      hostIndex = ha === null || hb === null ? (ha ?? hb) : hostIndexOf(root, false);
      const pa = prefixesOfLeaf(a);
      const pb = prefixesOfLeaf(b);
      prefixes = pa === null || pb === null ? (pa ?? pb) : prefixesOf(root, false);
    } else {
      hostIndex = hostIndexOf(root, false);
      prefixes = prefixesOf(root, false);
    }
    this.source = source;
    this.syntax = syntax;
    this.a = pair ? a : root;
    this.b = pair ? b : null;
    this.hostIndex = hostIndex;
    this.pathPrefixes = prefixes;
    // Not frozen: Object.freeze costs more than the rest of this constructor in cold code, and
    // the fields are readonly and the class private to this module.
  }

  get hosts(): readonly string[] | null {
    const index = this.hostIndex;
    if (typeof index === "string") return [index];
    return index !== null && index.suffixes.length === 0 ? index.exact : null;
  }

  match(view: RequestView): boolean {
    const b = this.b;
    return evaluate(this.a, view) && (b === null || evaluate(b, view));
  }

  /** Every sub-expression is evaluated (no short cut), so a user sees each part's result. */
  explain(view: RequestView): RuleTrace {
    // Parsed again without shared leaves, for the offsets of this rule's own text.
    return trace(parseRule(this.source, false, this.syntax), this.source, view);
  }

  /** Hosts of the Host matchers that hold positively, as written (Traefik's ParseDomains). */
  positiveHosts(): string[] {
    const b = this.b;
    return b === null ? positiveHosts(this.a, false) : [...positiveHosts(this.a, false), ...positiveHosts(b, false)];
  }
}

function trace(n: Node, src: string, view: RequestView): RuleTrace {
  const expr = src.slice(n.pos, n.end);
  if (n.op === NOT) {
    const child = trace(n.a!, src, view);
    return { expr, op: "not", result: !child.result, children: [child] };
  }
  if (n.op !== AND && n.op !== OR) return { expr, result: evaluate(n, view), detail: subject(n, view) };
  const children = operands(n, n.op).map((x) => trace(x, src, view));
  const result = n.op === AND ? children.every((c) => c.result) : children.some((c) => c.result);
  return { expr, op: n.op === AND ? "and" : "or", result, children };
}

/** `a && b && c` reads as one operator with three operands (unless written in parentheses). */
function operands(n: Node, op: number): Node[] {
  const out: Node[] = [];
  for (const x of [n.a!, n.b!]) {
    if (x.op === op && !x.grouped) out.push(...operands(x, op));
    else out.push(x);
  }
  return out;
}

const isAnd = (n: Node, negated: boolean): boolean => (n.op === AND) !== negated;

/** Host keys compare without trailing dots: Host(`a.com.`) and Host(`a.com`) match the same hosts. */
export function hostKey(host: string): string {
  let end = host.length;
  while (end > 0 && host.charCodeAt(end - 1) === 0x2e) end--;
  return end === host.length ? host : host.slice(0, end);
}

// An empty list of strings with the elements kind of the others (a literal [] holds small integers,
// and a frozen array has a map of its own): HostIndex fields then see one array map.
const NO_STRINGS: readonly string[] = [""].slice(1);

/** A compiled rule's HostIndex is always made here: one shape, so the code reading them sees one map. */
const hostFacts = (exact: readonly string[], suffixes: readonly string[]): HostIndex => ({ exact, suffixes });

/** What a rule or leaf says of the host: one exact host (a string: no list to make), a HostIndex, or nothing. */
type HostFacts = HostIndex | string | null;
const exactOf = (f: HostIndex | string): readonly string[] => (typeof f === "string" ? [f] : f.exact);
const suffixesOf = (f: HostIndex | string): readonly string[] => (typeof f === "string" ? NO_STRINGS : f.suffixes);

/** The part of a required host ending from its first dot, as the muxer indexes it; null if none. */
function suffixKey(ending: string): string | null {
  const dot = ending.indexOf(".");
  if (dot < 0) return null;
  const key = hostKey(ending.slice(dot));
  return key.length > 1 ? key : null;
}

/** What one matcher says about the host: `*.example.com` and `…\.example\.com$` pin its ending. */
function leafHostIndex(n: Node): HostFacts {
  if (n.op === V2) return n.v2!.hostIndex;
  if (n.op === HOST) {
    if (!n.s.startsWith("*")) return n.s;
    const key = suffixKey(n.s);
    return key === null ? null : hostFacts(NO_STRINGS, [key]);
  }
  if (n.op !== HOST_REGEXP) return null;
  const suffixes = n.rx!.lowerSuffixes;
  if (suffixes === null) return null;
  const keys: string[] = [];
  for (const s of suffixes) {
    const key = suffixKey(s);
    if (key === null) return null;
    keys.push(key);
  }
  return hostFacts(NO_STRINGS, keys);
}

// A leaf's facts are worked out once and kept on it: leaves are shared between rules.
const hostsOfLeaf = (n: Node): HostFacts => (n.hostIndex === undefined ? (n.hostIndex = leafHostIndex(n)) : n.hostIndex);
const prefixesOfLeaf = (n: Node): readonly string[] | null => (n.prefixes === undefined ? (n.prefixes = leafPrefixes(n)) : n.prefixes);

/**
 * The hosts a rule can match, or null when it does not pin the host. Under "and" one operand's
 * constraint is enough (two exact lists intersect; an exact list beats suffixes); under "or"
 * every operand must be constrained. An empty exact list means the rule can never match.
 */
function hostIndexOf(n: Node, negated: boolean): HostFacts {
  if (n.op === NOT) return hostIndexOf(n.a!, !negated);
  if (n.op !== AND && n.op !== OR) return negated ? null : hostsOfLeaf(n);
  const a = hostIndexOf(n.a!, negated);
  const b = hostIndexOf(n.b!, negated);
  if (!isAnd(n, negated)) {
    if (a === null || b === null) return null;
    return hostFacts([...new Set([...exactOf(a), ...exactOf(b)])], [...new Set([...suffixesOf(a), ...suffixesOf(b)])]);
  }
  if (a === null || b === null) return a ?? b;
  const sa = suffixesOf(a);
  const sb = suffixesOf(b);
  if (sa.length === 0 && sb.length === 0) {
    const other = exactOf(b);
    return hostFacts(exactOf(a).filter((h) => other.some((x) => hostKey(x) === hostKey(h))), NO_STRINGS);
  }
  return sb.length === 0 ? b : a;
}

function leafPrefixes(n: Node): readonly string[] | null {
  if (n.op === V2) return n.v2!.prefixes;
  if (n.op === PATH || n.op === PATH_PREFIX) return [n.s];
  if (n.op !== PATH_REGEXP) return null;
  const prefix = n.rx!.literalPrefix;
  return prefix !== null ? [prefix] : null;
}

/** Literal prefixes of which the routing path must start with one, or null when unconstrained. */
function prefixesOf(n: Node, negated: boolean): readonly string[] | null {
  if (n.op === NOT) return prefixesOf(n.a!, !negated);
  if (n.op !== AND && n.op !== OR) return negated ? null : prefixesOfLeaf(n);
  const a = prefixesOf(n.a!, negated);
  const b = prefixesOf(n.b!, negated);
  if (!isAnd(n, negated)) return a === null || b === null ? null : [...new Set([...a, ...b])];
  if (a === null || b === null) return a ?? b;
  // Either operand's prefixes will do; the one whose shortest prefix is longest filters best.
  return shortest(b) > shortest(a) ? b : a;
}

function shortest(prefixes: readonly string[]): number {
  let min = Infinity;
  for (const p of prefixes) if (p.length < min) min = p.length;
  return min;
}

function positiveHosts(n: Node, negated: boolean): string[] {
  if (n.op === NOT) return positiveHosts(n.a!, !negated);
  if (n.op === AND || n.op === OR) return [...positiveHosts(n.a!, negated), ...positiveHosts(n.b!, negated)];
  return n.op === HOST && !negated ? [n.s] : [];
}

/** Traefik's ParseDomains for a compiled rule: the hosts of its positive Host matchers. */
export function positiveHostsOf(rule: CompiledRule): string[] {
  return rule instanceof Rule ? rule.positiveHosts() : [];
}
