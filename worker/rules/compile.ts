// A parsed rule to a CompiledRule: closures for matching, a tracer for explain(), and what the
// muxer can index on (hosts, path prefixes). Index facts are computed with the polarity of each
// leaf, the way Traefik pushes "!" down to the leaves (pkg/rules invert): only a leaf that must
// hold for the rule to match constrains the request.

import { buildLeaf, type Leaf } from "./matchers.ts";
import { parseRule, type RuleNode } from "./parser.ts";
import type { CompiledRule, RequestView, Result, RuleError, RuleTrace } from "./types.ts";

type Tree =
  | { readonly kind: "leaf"; readonly leaf: Leaf; readonly node: RuleNode }
  | { readonly kind: "not"; readonly sub: Tree; readonly node: RuleNode }
  | { readonly kind: "and" | "or"; readonly subs: readonly Tree[]; readonly node: RuleNode };

export function compileRule(rule: string): Result<CompiledRule, RuleError> {
  const parsed = parseRule(rule);
  if (!parsed.ok) return parsed;
  const tree = buildTree(parsed.value);
  if (!tree.ok) return tree;
  const t = tree.value;
  const match = matcher(t);
  const compiled: CompiledRule = {
    source: rule,
    match,
    hosts: Object.freeze(hostsOf(t, false)),
    pathPrefixes: Object.freeze(prefixesOf(t, false)),
    explain: (view) => trace(t, rule, view),
  };
  return { ok: true, value: Object.freeze(compiled) };
}

/** Leaves are built left to right, so the first error reported is the leftmost, as in Traefik. */
function buildTree(node: RuleNode): Result<Tree, RuleError> {
  if (node.kind === "call") {
    const leaf = buildLeaf(node);
    return leaf.ok ? { ok: true, value: { kind: "leaf", leaf: leaf.value, node } } : leaf;
  }
  if (node.kind === "not") {
    const sub = buildTree(node.operand);
    return sub.ok ? { ok: true, value: { kind: "not", sub: sub.value, node } } : sub;
  }
  const subs: Tree[] = [];
  for (const operand of flatten(node)) {
    const sub = buildTree(operand);
    if (!sub.ok) return sub;
    subs.push(sub.value);
  }
  return { ok: true, value: { kind: node.kind, subs, node } };
}

/** `a && b && c` as one node with three operands: shallower closures, flatter explain output. */
function flatten(node: RuleNode & { kind: "and" | "or" }): RuleNode[] {
  const out: RuleNode[] = [];
  const visit = (n: RuleNode) => {
    if (n.kind === node.kind && !n.grouped) {
      visit(n.left);
      visit(n.right);
    } else {
      out.push(n);
    }
  };
  visit(node.left);
  visit(node.right);
  return out;
}

function matcher(t: Tree): (view: RequestView) => boolean {
  if (t.kind === "leaf") return t.leaf.test;
  if (t.kind === "not") {
    const sub = matcher(t.sub);
    return (v) => !sub(v);
  }
  const subs = t.subs.map(matcher);
  if (subs.length === 2) {
    const [a, b] = subs as [(v: RequestView) => boolean, (v: RequestView) => boolean];
    return t.kind === "and" ? (v) => a(v) && b(v) : (v) => a(v) || b(v);
  }
  return t.kind === "and" ? (v) => subs.every((f) => f(v)) : (v) => subs.some((f) => f(v));
}

/** Every sub-expression is evaluated (no short cut), so a user sees each part's result. */
function trace(t: Tree, src: string, view: RequestView): RuleTrace {
  const expr = src.slice(t.node.pos, t.node.end);
  if (t.kind === "leaf") return { expr, result: t.leaf.test(view), detail: t.leaf.subject(view) };
  if (t.kind === "not") {
    const child = trace(t.sub, src, view);
    return { expr, result: !child.result, children: [child] };
  }
  const children = t.subs.map((s) => trace(s, src, view));
  const result = t.kind === "and" ? children.every((c) => c.result) : children.some((c) => c.result);
  return { expr, result, children };
}

const isAnd = (t: Tree, negated: boolean): boolean => (t.kind === "and") !== negated;

/** Host keys compare without trailing dots: Host(`a.com.`) and Host(`a.com`) match the same hosts. */
export function hostKey(host: string): string {
  let end = host.length;
  while (end > 0 && host.charCodeAt(end - 1) === 0x2e) end--;
  return end === host.length ? host : host.slice(0, end);
}

/**
 * Exact hosts (lower-case) of which the request host must be one, or null when the rule does not
 * pin the host. An empty list means the rule can never match.
 */
function hostsOf(t: Tree, negated: boolean): string[] | null {
  if (t.kind === "leaf") return t.leaf.host === undefined || t.leaf.host === null || negated ? null : [t.leaf.host];
  if (t.kind === "not") return hostsOf(t.sub, !negated);
  const sets = t.subs.map((s) => hostsOf(s, negated));
  if (!isAnd(t, negated)) return sets.some((s) => s === null) ? null : [...new Set(sets.flatMap((s) => s!))];
  const intersect = (a: string[], b: string[]) => a.filter((h) => b.some((x) => hostKey(x) === hostKey(h)));
  return sets.reduce<string[] | null>((acc, s) => (acc === null ? s : s === null ? acc : intersect(acc, s)), null);
}

/** Literal prefixes of which the routing path must start with one, or null when unconstrained. */
function prefixesOf(t: Tree, negated: boolean): string[] | null {
  if (t.kind === "leaf") return t.leaf.pathPrefix === undefined || negated ? null : [t.leaf.pathPrefix];
  if (t.kind === "not") return prefixesOf(t.sub, !negated);
  const sets = t.subs.map((s) => prefixesOf(s, negated));
  if (!isAnd(t, negated)) return sets.some((s) => s === null) ? null : [...new Set(sets.flatMap((s) => s!))];
  // Any one operand's prefixes will do; the one whose shortest prefix is longest filters best.
  const shortest = (s: string[]) => Math.min(...s.map((p) => p.length));
  return sets.reduce<string[] | null>((best, s) => (s === null ? best : best === null || shortest(s) > shortest(best) ? s : best), null);
}

/** Hosts of Host leaves that hold positively, as written (Traefik's ParseDomains). */
export function positiveHostExprs(node: RuleNode, negated = false): string[] {
  if (node.kind === "call") return node.name === "Host" && !negated ? node.args.map((a) => a.value.toLowerCase()) : [];
  if (node.kind === "not") return positiveHostExprs(node.operand, !negated);
  return [...positiveHostExprs(node.left, negated), ...positiveHostExprs(node.right, negated)];
}
