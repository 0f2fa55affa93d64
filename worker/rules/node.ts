// A compiled rule is a tree of Nodes evaluated by one switch. One class for every kind of node
// keeps property access monomorphic, and a rule costs a few small objects (a config may hold
// tens of thousands) rather than a closure and its context per operator and matcher.

import type { IPChecker } from "./clientip.ts";
import type { GoRegexp } from "../go/regexp/index.ts";
import type { HostIndex, RequestView } from "./types.ts";

export const AND = 0;
export const OR = 1;
export const NOT = 2;
export const HOST = 3;
export const HOST_REGEXP = 4;
export const PATH = 5;
export const PATH_PREFIX = 6;
export const PATH_REGEXP = 7;
export const METHOD = 8;
export const HEADER = 9;
export const HEADER_REGEXP = 10;
export const QUERY = 11;
export const QUERY_REGEXP = 12;
export const CLIENT_IP = 13;
/** A ruleSyntax v2 matcher (v2/matchers.ts): it carries its own match, in `v2`. */
export const V2 = 14;

/** A v2 matcher: gorilla/mux semantics, several values per call; rare, so one interface for all. */
export interface V2Leaf {
  match(v: RequestView): boolean;
  /** What it looked at, for explain(). */
  subject(v: RequestView): string;
  /** Index facts, as compile.ts computes them for v3 leaves. */
  readonly hostIndex: HostIndex | null;
  readonly prefixes: readonly string[] | null;
}

export type Op = number;

export class Node {
  op: Op;
  /** Offsets of the node's text in the rule (parentheses included when grouped). */
  pos: number;
  end: number;
  grouped = false;
  /** Operands of AND / OR (a, b) and NOT (a). */
  a: Node | null = null;
  b: Node | null = null;
  /** Matcher arguments: host expression, path, method, header or query key (s) and value (t). */
  s = "";
  t = "";
  /** The *Regexp matchers' pattern; compiled on first evaluation where it can be (go/regexp). */
  rx: GoRegexp | null = null;
  ip: IPChecker | null = null;
  v2: V2Leaf | null = null;
  /**
   * A leaf's index facts (compile.ts), computed on first use: leaves are shared between rules, so
   * thousands of rules with the same PathPrefix share one list. undefined: not computed yet.
   */
  hostIndex: HostIndex | string | null | undefined = undefined;
  prefixes: readonly string[] | null | undefined = undefined;

  constructor(op: Op, pos: number, end: number) {
    this.op = op;
    this.pos = pos;
    this.end = end;
  }
}

export function evaluate(n: Node, v: RequestView): boolean {
  switch (n.op) {
    case AND:
      return evaluate(n.a!, v) && evaluate(n.b!, v);
    case OR:
      return evaluate(n.a!, v) || evaluate(n.b!, v);
    case NOT:
      return !evaluate(n.a!, v);
    case HOST:
      return v.host === n.s ? v.host !== "" : hostMatches(v.host, n.s);
    case HOST_REGEXP:
      // Traefik also tests the CNAME-flattened host, "" without CNAME flattening: a pattern that
      // matches the empty string matches every request. Learnt on first use, as testing compiles
      // the pattern, which a config with thousands of them should not pay upfront.
      return n.rx!.matchesEmpty || n.rx!.test(v.host);
    case PATH:
      return v.path === n.s;
    case PATH_PREFIX:
      return v.path.startsWith(n.s);
    case PATH_REGEXP:
      return n.rx!.test(v.path);
    case METHOD:
      return v.method === n.s;
    case HEADER:
      return v.header(n.s).includes(n.t);
    case HEADER_REGEXP:
      return anyMatches(v.header(n.s), n.rx!);
    case QUERY:
      return v.query.get(n.s)?.includes(n.t) ?? false;
    case QUERY_REGEXP:
      return anyMatches(v.query.get(n.s), n.rx!);
    case CLIENT_IP:
      return n.ip!.contains(v.clientIP);
    case V2:
      return n.v2!.match(v);
    default:
      return false;
  }
}

function anyMatches(values: readonly string[] | undefined, re: GoRegexp): boolean {
  if (values === undefined) return false;
  for (const x of values) if (re.test(x)) return true;
  return false;
}

/** Traefik's Host matcher: the expression or the request host may end with one extra dot. */
function hostMatches(reqHost: string, expr: string): boolean {
  if (reqHost === "") return false;
  if (domainMatch(reqHost, expr)) return true;
  if (expr.endsWith(".") && domainMatch(reqHost, expr.slice(0, -1))) return true;
  return reqHost.endsWith(".") && domainMatch(reqHost.slice(0, -1), expr);
}

/**
 * Traefik's DomainMatchHostExpression: `*` matches any host, `*.example.com` exactly one label
 * under example.com, `**.example.com` one or more labels; neither wildcard matches the apex.
 */
function domainMatch(domain: string, expr: string): boolean {
  if (expr === "*") return true;
  if (expr.startsWith("**.")) {
    const suffix = expr.slice(2);
    return domain.length > suffix.length && domain.endsWith(suffix);
  }
  if (expr.startsWith("*")) {
    const dot = domain.indexOf(".");
    return expr === (dot < 0 ? "*" : "*" + domain.slice(dot));
  }
  return domain === expr;
}

const quote = (s: string): string => JSON.stringify(s);

/** What a matcher looked at in this request, for explain(). */
export function subject(n: Node, v: RequestView): string {
  switch (n.op) {
    case HOST:
    case HOST_REGEXP:
      return `host ${quote(v.host)}`;
    case PATH:
    case PATH_PREFIX:
    case PATH_REGEXP:
      return `path ${quote(v.path)}`;
    case METHOD:
      return `method ${quote(v.method)}`;
    case HEADER:
    case HEADER_REGEXP: {
      const lines = v.header(n.s);
      return lines.length ? `header ${n.s}: ${lines.map(quote).join(", ")}` : `no ${n.s} header`;
    }
    case QUERY:
    case QUERY_REGEXP: {
      const values = v.query.get(n.s);
      return values ? `query ${n.s}: ${values.map(quote).join(", ")}` : `no ${n.s} in query`;
    }
    case V2:
      return n.v2!.subject(v);
    default:
      return v.clientIP === null ? "unknown client IP" : `client IP ${v.clientIP}`;
  }
}
