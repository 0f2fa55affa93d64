// ruleSyntax v2 matchers, as Traefik v3 still builds them (pkg/muxer/http/matcher_v2.go, on
// gorilla/mux): every matcher takes several values. Arguments are checked as Traefik does
// (CheckRule: some argument, none empty; then the matcher's own checks); errors are RuleFailures.

import { newChecker, type IPChecker } from "../clientip.ts";
import { RuleFailure } from "../lexer.ts";
import { Node, V2, type V2Leaf } from "../node.ts";
import type { HostIndex, RequestView } from "../types.ts";
import { compileGoRegexp, type GoRegexp } from "../../go/regexp/index.ts";
import { isASCII } from "../../go/utf8.ts";
import type { V2MatcherName } from "./names.ts";
import { compileTemplate, literalHead, type TemplateKind } from "./template.ts";

type Builder = (values: readonly string[], positions: readonly number[], pos: number) => V2Leaf;

const USAGE: Record<V2MatcherName, string> = {
  Host: "Host(`example.com`, `www.example.com`)",
  HostHeader: "HostHeader(`example.com`)",
  HostRegexp: "HostRegexp(`{sub:[a-z]+}.example.com`)",
  ClientIP: "ClientIP(`10.0.0.0/8`, `::1`)",
  Path: "Path(`/products/{id:[0-9]+}`)",
  PathPrefix: "PathPrefix(`/api`)",
  Method: "Method(`GET`, `POST`)",
  Headers: "Headers(`X-Api-Key`, `secret`)",
  HeadersRegexp: "HeadersRegexp(`Content-Type`, `^application/json`)",
  Query: "Query(`page=1`)",
};

const BUILDERS: Record<V2MatcherName, Builder> = {
  Host: host,
  HostHeader: host,
  HostRegexp: (v, p) => templates(v, p, "host", "HostRegexp"),
  ClientIP: clientIP,
  Path: (v, p) => templates(v, p, "path", "Path"),
  PathPrefix: (v, p) => templates(v, p, "prefix", "PathPrefix"),
  Method: method,
  Headers: (v, p, pos) => headers(v, p, pos, false),
  HeadersRegexp: (v, p, pos) => headers(v, p, pos, true),
  Query: query,
};

export function buildV2Leaf(name: V2MatcherName, values: readonly string[], positions: readonly number[], pos: number, end: number): Node {
  if (values.length === 0) throw new RuleFailure(pos, `${name}() %AT% has no argument; e.g. ${USAGE[name]}`);
  for (let i = 0; i < values.length; i++) {
    if (values[i] === "") throw new RuleFailure(positions[i]!, `empty argument to ${name} %AT%; e.g. ${USAGE[name]}`);
  }
  const n = new Node(V2, pos, end);
  n.v2 = BUILDERS[name](values, positions, pos);
  return n;
}

const quote = (s: string): string => JSON.stringify(s);
const hostSubject = (v: RequestView): string => `host ${quote(v.host)}`;
const pathSubject = (v: RequestView): string => `path ${quote(v.path)}`;

function leaf(match: (v: RequestView) => boolean, subject: (v: RequestView) => string, hostIndex: HostIndex | null = null, prefixes: readonly string[] | null = null): V2Leaf {
  return { match, subject, hostIndex, prefixes };
}

/** hostV2: exact hosts (lower-cased), either side may carry one trailing dot; no wildcards. */
function host(values: readonly string[], positions: readonly number[]): V2Leaf {
  const hosts = values.map((h, i) => {
    if (!isASCII(h)) throw new RuleFailure(positions[i]!, `Host value ${quote(h)} %AT% has non-ASCII characters; use its punycode form`);
    return h.toLowerCase();
  });
  const matches = (req: string, h: string): boolean =>
    req === h || (h.endsWith(".") && req === h.slice(0, -1)) || (req.endsWith(".") && req.slice(0, -1) === h);
  // A literal "*" host cannot be told apart from a wildcard in the muxer's index: not indexed.
  const index = hosts.some((h) => h.includes("*")) ? null : { exact: hosts, suffixes: [] };
  return leaf((v) => v.host !== "" && hosts.some((h) => matches(v.host, h)), hostSubject, index);
}

/** HostRegexp, Path, PathPrefix: gorilla templates, any of which may match. */
function templates(values: readonly string[], positions: readonly number[], kind: TemplateKind, name: string): V2Leaf {
  if (kind === "host") {
    values.forEach((h, i) => {
      if (!isASCII(h)) throw new RuleFailure(positions[i]!, `HostRegexp value ${quote(h)} %AT% has non-ASCII characters; use its punycode form`);
    });
  }
  const res = values.map((t, i) => {
    const r = compileTemplate(t, kind);
    if (!r.ok) throw new RuleFailure(positions[i]!, `invalid ${name} template ${quote(t)} %AT%: ${r.error}`);
    return r.value;
  });
  if (kind === "host") return leaf((v) => res.some((re) => re.test(v.host)), hostSubject);
  return leaf((v) => res.some((re) => re.test(v.path)), pathSubject, null, values.map(literalHead));
}

/** ClientIP with several addresses or ranges (Traefik's ip.NewChecker over the list). */
function clientIP(values: readonly string[], positions: readonly number[]): V2Leaf {
  const checkers: IPChecker[] = values.map((x, i) => {
    const c = newChecker(x);
    if (c === null) throw new RuleFailure(positions[i]!, `invalid ClientIP value ${quote(x)} %AT%; expected an IP address or a CIDR range such as 10.0.0.0/8`);
    return c;
  });
  return leaf(
    (v) => checkers.some((c) => c.contains(v.clientIP)),
    (v) => (v.clientIP === null ? "unknown client IP" : `client IP ${v.clientIP}`),
  );
}

/** gorilla's Methods: upper-cased (Go's ToUpper, rune by rune), any of them. */
function method(values: readonly string[]): V2Leaf {
  const methods = values.map((m) => Array.from(m, (c) => (c.toUpperCase().length === c.length ? c.toUpperCase() : c)).join(""));
  return leaf((v) => methods.includes(v.method), (v) => `method ${quote(v.method)}`);
}

function pairsError(pos: number, values: readonly string[]): never {
  throw new RuleFailure(pos, `mux: number of parameters must be multiple of 2, got [${values.join(" ")}] %AT%`);
}

/**
 * Headers / HeadersRegexp: key, value pairs, all of which must hold (a key given twice keeps its
 * last value, as gorilla's map does); a header's lines are compared one by one.
 */
function headers(values: readonly string[], positions: readonly number[], pos: number, regexp: boolean): V2Leaf {
  if (values.length % 2 !== 0) pairsError(pos, values);
  const wanted = new Map<string, string | GoRegexp>();
  for (let i = 0; i < values.length; i += 2) {
    const key = values[i]!.toLowerCase();
    if (!regexp) {
      wanted.set(key, values[i + 1]!);
      continue;
    }
    const r = compileGoRegexp(values[i + 1]!);
    if (!r.ok) throw new RuleFailure(positions[i + 1]!, `invalid HeadersRegexp regular expression %AT%: ${r.error}`);
    wanted.set(key, r.value);
  }
  const holds = (v: RequestView, key: string, want: string | GoRegexp): boolean => {
    const lines = v.header(key);
    return typeof want === "string" ? lines.includes(want) : lines.some((l) => want.test(l));
  };
  return leaf(
    (v) => [...wanted].every(([k, w]) => holds(v, k, w)),
    (v) => [...wanted.keys()].map((k) => (v.header(k).length ? `header ${k}: ${v.header(k).map(quote).join(", ")}` : `no ${k} header`)).join("; "),
  );
}

/**
 * queryV2: each value split at its first "=", the parts read as key, value pairs; each pair is a
 * gorilla query template `key=value` matched against `key=` + the key's first value ("" when the
 * key is absent). All pairs must hold.
 */
function query(values: readonly string[], _positions: readonly number[], pos: number): V2Leaf {
  const parts = values.flatMap((x) => {
    const eq = x.indexOf("=");
    return eq < 0 ? [x] : [x.slice(0, eq), x.slice(eq + 1)];
  });
  if (parts.length % 2 !== 0) pairsError(pos, parts);
  const checks: { key: string; re: GoRegexp }[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const tpl = `${parts[i]}=${parts[i + 1]}`;
    const r = compileTemplate(tpl, "query");
    // Pairs need not line up with arguments (`a=b` is one, `a`, `b` two): the matcher's offset.
    if (!r.ok) throw new RuleFailure(pos, `invalid Query template ${quote(tpl)} %AT%: ${r.error}`);
    checks.push({ key: tpl.slice(0, tpl.indexOf("=")), re: r.value });
  }
  const firstPair = (v: RequestView, key: string): string => {
    const vals = v.query.get(key);
    return vals !== undefined && vals.length > 0 ? `${key}=${vals[0]}` : "";
  };
  return leaf(
    (v) => checks.every((c) => c.re.test(firstPair(v, c.key))),
    (v) => checks.map((c) => (v.query.has(c.key) ? `query ${c.key}: ${v.query.get(c.key)!.map(quote).join(", ")}` : `no ${c.key} in query`)).join("; "),
  );
}
