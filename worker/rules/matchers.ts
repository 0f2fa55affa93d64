// One factory per matcher: checks the arguments the way Traefik v3 does (pkg/rules CheckRule,
// then the arity, then the matcher's own checks) and returns the test for a RequestView.

import { newChecker } from "./ip.ts";
import type { Arg, CallNode, MatcherName } from "./parser.ts";
import { compileGoRegexp, type GoRegexp } from "./regexp.ts";
import type { RequestView, Result, RuleError } from "./types.ts";

export interface Leaf {
  readonly test: (view: RequestView) => boolean;
  /** What the matcher looked at in this request, for explain(). */
  readonly subject: (view: RequestView) => string;
  /** Host leaves: the exact host needed (lower-case), or null for wildcard expressions. */
  readonly host?: string | null;
  /** Path leaves: a prefix the routing path must start with. */
  readonly pathPrefix?: string;
}

type Built = Result<Leaf, RuleError>;
type Factory = (args: readonly Arg[]) => Built;

const fail = (position: number, message: string): Built => ({ ok: false, error: { position, message } });

const USAGE: Record<MatcherName, string> = {
  Host: "Host(`example.com`)",
  HostRegexp: "HostRegexp(`^.+\\.example\\.com$`)",
  Path: "Path(`/api`)",
  PathPrefix: "PathPrefix(`/api`)",
  PathRegexp: "PathRegexp(`^/api/v[0-9]+/`)",
  Method: "Method(`GET`)",
  Header: "Header(`X-Api-Key`, `secret`)",
  HeaderRegexp: "HeaderRegexp(`Content-Type`, `^application/json`)",
  Query: "Query(`page`, `1`)",
  QueryRegexp: "QueryRegexp(`page`, `^[0-9]+$`)",
  ClientIP: "ClientIP(`10.0.0.0/8`)",
};

const FACTORIES: Record<MatcherName, { readonly arity: readonly number[]; readonly build: Factory }> = {
  Host: { arity: [1], build: ([a]) => host(a!) },
  HostRegexp: { arity: [1], build: ([a]) => hostRegexp(a!) },
  Path: { arity: [1], build: ([a]) => path("Path", a!, (p, v) => v === p) },
  PathPrefix: { arity: [1], build: ([a]) => path("PathPrefix", a!, (p, v) => v.startsWith(p)) },
  PathRegexp: { arity: [1], build: ([a]) => pathRegexp(a!) },
  Method: { arity: [1], build: ([a]) => method(a!) },
  Header: { arity: [2], build: ([k, v]) => header(k!, v!) },
  HeaderRegexp: { arity: [2], build: ([k, v]) => headerRegexp(k!, v!) },
  Query: { arity: [1, 2], build: ([k, v]) => query(k!, v) },
  QueryRegexp: { arity: [1, 2], build: ([k, v]) => (v ? queryRegexp(k!, v) : query(k!, v)) },
  ClientIP: { arity: [1], build: ([a]) => clientIP(a!) },
};

export function buildLeaf(call: CallNode): Built {
  const { name, args } = call;
  const usage = `e.g. ${USAGE[name]}`;
  if (args.length === 0) return fail(call.pos, `${name}() at ${call.pos} has no argument; ${usage}`);
  const empty = args.find((a) => a.value === "");
  if (empty) return fail(empty.pos, `empty argument to ${name} at ${empty.pos}; ${usage}`);
  const { arity, build } = FACTORIES[name];
  if (!arity.includes(args.length)) {
    const expected = arity.join(" or ") + (arity.at(-1) === 1 ? " argument" : " arguments");
    return fail(call.pos, `${name} at ${call.pos} takes ${expected}, got ${args.length}; ${usage}`);
  }
  return build(args);
}

const isASCII = (s: string): boolean => /^[\x00-\x7f]*$/.test(s);

function nonASCII(name: string, a: Arg): Built {
  let hint = "";
  try {
    const puny = new URL(`http://${a.value}/`).hostname;
    if (isASCII(puny)) hint = `; use its punycode form ${puny}`;
  } catch {
    // Not a host name at all: no hint.
  }
  return fail(a.pos, `${name} value ${JSON.stringify(a.value)} at ${a.pos} has non-ASCII characters${hint}`);
}

function regexpArg(name: string, a: Arg): Result<GoRegexp, RuleError> {
  const r = compileGoRegexp(a.value);
  if (r.ok) return r;
  return { ok: false, error: { position: a.pos, message: `invalid ${name} regular expression at ${a.pos}: ${r.error}` } };
}

const quote = (s: string): string => JSON.stringify(s);

function host(a: Arg): Built {
  if (!isASCII(a.value)) return nonASCII("Host", a);
  const expr = a.value.toLowerCase();
  return {
    ok: true,
    value: {
      test: (v) => hostMatches(v.host, expr),
      subject: (v) => `host ${quote(v.host)}`,
      host: expr.startsWith("*") ? null : expr,
    },
  };
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

function hostRegexp(a: Arg): Built {
  if (!isASCII(a.value)) return nonASCII("HostRegexp", a);
  const r = regexpArg("HostRegexp", a);
  if (!r.ok) return r;
  const { re, matchesEmpty } = r.value;
  // Traefik also tests the CNAME-flattened host, which is "" without CNAME flattening: a pattern
  // that matches the empty string therefore matches every request.
  return { ok: true, value: { test: (v) => matchesEmpty || re.test(v.host), subject: (v) => `host ${quote(v.host)}` } };
}

function path(name: string, a: Arg, cmp: (p: string, v: string) => boolean): Built {
  if (!a.value.startsWith("/")) {
    return fail(a.pos, `${name} value ${quote(a.value)} at ${a.pos} must start with "/"; e.g. ${name}(\`/${a.value}\`)`);
  }
  const p = a.value;
  return { ok: true, value: { test: (v) => cmp(p, v.path), subject: (v) => `path ${quote(v.path)}`, pathPrefix: p } };
}

function pathRegexp(a: Arg): Built {
  const r = regexpArg("PathRegexp", a);
  if (!r.ok) return r;
  const { re, literalPrefix } = r.value;
  const leaf: Leaf = { test: (v) => re.test(v.path), subject: (v) => `path ${quote(v.path)}` };
  return { ok: true, value: literalPrefix === null ? leaf : { ...leaf, pathPrefix: literalPrefix } };
}

/** Go's strings.ToUpper maps rune by rune; JS may expand one letter to two ("ß" to "SS"). */
const goUpper = (s: string): string =>
  Array.from(s, (c) => (c.toUpperCase().length === c.length ? c.toUpperCase() : c)).join("");

function method(a: Arg): Built {
  const m = goUpper(a.value);
  return { ok: true, value: { test: (v) => v.method === m, subject: (v) => `method ${quote(v.method)}` } };
}

const headerSubject = (key: string) => (v: RequestView) => {
  const lines = v.header(key);
  return lines.length ? `header ${key}: ${lines.map(quote).join(", ")}` : `no ${key} header`;
};

function header(k: Arg, val: Arg): Built {
  const key = k.value;
  const value = val.value;
  return { ok: true, value: { test: (v) => v.header(key).includes(value), subject: headerSubject(key) } };
}

function headerRegexp(k: Arg, val: Arg): Built {
  const r = regexpArg("HeaderRegexp", val);
  if (!r.ok) return r;
  const key = k.value;
  const { re } = r.value;
  return { ok: true, value: { test: (v) => v.header(key).some((l) => re.test(l)), subject: headerSubject(key) } };
}

const querySubject = (key: string) => (v: RequestView) => {
  const values = v.query.get(key);
  return values ? `query ${key}: ${values.map(quote).join(", ")}` : `no ${key} in query`;
};

/** Query(`k`) alone matches a key present with an empty value ("?k" or "?k="), as in Traefik. */
function query(k: Arg, val: Arg | undefined): Built {
  const key = k.value;
  const value = val?.value ?? "";
  return { ok: true, value: { test: (v) => v.query.get(key)?.includes(value) ?? false, subject: querySubject(key) } };
}

function queryRegexp(k: Arg, val: Arg): Built {
  const r = regexpArg("QueryRegexp", val);
  if (!r.ok) return r;
  const key = k.value;
  const { re } = r.value;
  const test = (v: RequestView) => v.query.get(key)?.some((x) => re.test(x)) ?? false;
  return { ok: true, value: { test, subject: querySubject(key) } };
}

function clientIP(a: Arg): Built {
  const checker = newChecker(a.value);
  if (!checker) {
    return fail(a.pos, `invalid ClientIP value ${quote(a.value)} at ${a.pos}; expected an IP address or a CIDR range such as 10.0.0.0/8 or 2001:db8::/32`);
  }
  const subject = (v: RequestView) => (v.clientIP === null ? "unknown client IP" : `client IP ${v.clientIP}`);
  return { ok: true, value: { test: (v) => checker.contains(v.clientIP), subject } };
}
