// One factory per matcher: checks the arguments the way Traefik v3 does (pkg/rules CheckRule:
// no argument, an empty argument; then the arity; then the matcher's own checks) and returns the
// match Node. Errors are thrown as RuleFailure at the offending argument.

import { newChecker } from "./clientip.ts";
import { RuleFailure } from "./lexer.ts";
import type { MatcherName } from "./names.ts";
import {
  CLIENT_IP,
  HEADER,
  HEADER_REGEXP,
  HOST,
  HOST_REGEXP,
  METHOD,
  Node,
  PATH,
  PATH_PREFIX,
  PATH_REGEXP,
  QUERY,
  QUERY_REGEXP,
} from "./node.ts";
import { compileGoRegexp } from "../go/regexp/index.ts";
import { isASCII } from "../go/utf8.ts";

/** Fills in the Node of one matcher call from its argument values and their offsets in the rule. */
type Factory = (n: Node, values: readonly string[], positions: readonly number[]) => void;

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

const FACTORIES: Record<MatcherName, { readonly op: number; readonly arity: readonly number[]; readonly build: Factory }> = {
  Host: { op: HOST, arity: [1], build: host },
  HostRegexp: { op: HOST_REGEXP, arity: [1], build: hostRegexp },
  Path: { op: PATH, arity: [1], build: (n, v, p) => path(n, v, p, "Path") },
  PathPrefix: { op: PATH_PREFIX, arity: [1], build: (n, v, p) => path(n, v, p, "PathPrefix") },
  PathRegexp: { op: PATH_REGEXP, arity: [1], build: (n, v, p) => regexp(n, v, p, 0, "PathRegexp") },
  Method: { op: METHOD, arity: [1], build: method },
  Header: { op: HEADER, arity: [2], build: keyValue },
  HeaderRegexp: { op: HEADER_REGEXP, arity: [2], build: (n, v, p) => regexp(n, v, p, 1, "HeaderRegexp") },
  Query: { op: QUERY, arity: [1, 2], build: keyValue },
  QueryRegexp: { op: QUERY_REGEXP, arity: [1, 2], build: queryRegexp },
  ClientIP: { op: CLIENT_IP, arity: [1], build: clientIP },
};

export function buildLeaf(name: MatcherName, values: readonly string[], positions: readonly number[], pos: number, end: number): Node {
  if (values.length === 0) throw new RuleFailure(pos, `${name}() %AT% has no argument; e.g. ${USAGE[name]}`);
  for (let i = 0; i < values.length; i++) {
    if (values[i] === "") throw new RuleFailure(positions[i]!, `empty argument to ${name} %AT%; e.g. ${USAGE[name]}`);
  }
  const { op, arity, build } = FACTORIES[name];
  if (!arity.includes(values.length)) {
    const expected = arity.join(" or ") + (arity.at(-1) === 1 ? " argument" : " arguments");
    throw new RuleFailure(pos, `${name} %AT% takes ${expected}, got ${values.length}; e.g. ${USAGE[name]}`);
  }
  const n = new Node(op, pos, end);
  build(n, values, positions);
  return n;
}


function nonASCII(name: string, value: string, position: number): never {
  let hint = "";
  try {
    const puny = new URL(`http://${value}/`).hostname;
    if (isASCII(puny)) hint = `; use its punycode form ${puny}`;
  } catch {
    // Not a host name at all: no hint.
  }
  throw new RuleFailure(position, `${name} value ${JSON.stringify(value)} %AT% has non-ASCII characters${hint}`);
}

// Characters a Host expression may hold: a host name, an IP address (IPv6 with or without
// brackets) and wildcards. Traefik rejects Host(`/`) as not a host name.
const HOST_CHARS = /^[A-Za-z0-9._:\[\]*-]+$/;
/** The same without upper case, as hosts are usually written: then no lower-cased copy to make. */
const LOWER_HOST_CHARS = /^[a-z0-9._:\[\]*-]+$/;

function host(n: Node, values: readonly string[], positions: readonly number[]): void {
  const value = values[0]!;
  if (LOWER_HOST_CHARS.test(value)) {
    n.s = value;
    return;
  }
  // HOST_CHARS are ASCII: a value that passes needs no isASCII scan; one that fails is reported as
  // non-ASCII first, as before.
  if (HOST_CHARS.test(value)) {
    n.s = value.toLowerCase();
    return;
  }
  if (!isASCII(value)) nonASCII("Host", value, positions[0]!);
  throw new RuleFailure(positions[0]!, `Host value ${JSON.stringify(value)} %AT% is not a host name; e.g. Host(\`example.com\`) or Host(\`*.example.com\`)`);
}

function hostRegexp(n: Node, values: readonly string[], positions: readonly number[]): void {
  if (!isASCII(values[0]!)) nonASCII("HostRegexp", values[0]!, positions[0]!);
  regexp(n, values, positions, 0, "HostRegexp");
}

/** Compiles argument `i` as a Go regexp; the pattern stays in `s` (or `t` after a key) for indexing. */
function regexp(n: Node, values: readonly string[], positions: readonly number[], i: number, name: string): void {
  const r = compileGoRegexp(values[i]!);
  if (!r.ok) throw new RuleFailure(positions[i]!, `invalid ${name} regular expression %AT%: ${r.error}`);
  n.rx = r.value;
  n.s = n.op === HEADER_REGEXP ? values[0]!.toLowerCase() : values[0]!;
  if (i === 1) n.t = values[1]!;
}

function path(n: Node, values: readonly string[], positions: readonly number[], name: string): void {
  const p = values[0]!;
  if (!p.startsWith("/")) throw new RuleFailure(positions[0]!, `${name} value ${JSON.stringify(p)} %AT% must start with "/"; e.g. ${name}(\`/${p}\`)`);
  n.s = p;
}

/** Go's strings.ToUpper maps rune by rune; JS may expand one letter to two ("ß" to "SS"). */
function method(n: Node, values: readonly string[]): void {
  const m = values[0]!;
  n.s = isASCII(m) ? m.toUpperCase() : Array.from(m, (c) => (c.toUpperCase().length === c.length ? c.toUpperCase() : c)).join("");
}

/** Header(`k`, `v`), Query(`k`, `v`); Query(`k`) alone wants the key with an empty value, as in Traefik. */
function keyValue(n: Node, values: readonly string[]): void {
  // Header names are case-insensitive: lower-cased once here rather than on every request.
  n.s = n.op === HEADER ? values[0]!.toLowerCase() : values[0]!;
  n.t = values[1] ?? "";
}

function queryRegexp(n: Node, values: readonly string[], positions: readonly number[]): void {
  if (values.length === 1) {
    n.op = QUERY;
    keyValue(n, values);
  } else {
    regexp(n, values, positions, 1, "QueryRegexp");
  }
}

function clientIP(n: Node, values: readonly string[], positions: readonly number[]): void {
  n.ip = newChecker(values[0]!);
  if (n.ip === null) {
    throw new RuleFailure(positions[0]!, `invalid ClientIP value ${JSON.stringify(values[0])} %AT%; expected an IP address or a CIDR range such as 10.0.0.0/8 or 2001:db8::/32`);
  }
}
