// The implementations under test, each set up from the generated tables. `setup` builds the
// router (timed), checks it routes the request set as expected, and returns the per-request op.

import FindMyWay from "find-my-way";
import { RegExpRouter } from "hono/router/reg-exp-router";
import { TrieRouter } from "hono/router/trie-router";
import { Router as IttyRouter } from "itty-router";
import { buildMuxer, compileRule, defaultPriority, viewFromDescription, viewFromRequest } from "../worker/rules/index.ts";
import type { Muxer, RequestView, Route } from "../worker/rules/index.ts";
import { generateRequests, generateRoutes, peerRoutes, type BenchRequest, type BenchRoute } from "./routes.ts";
import { elapsedMs, hrnow } from "./timing.ts";

export const REQUESTS = 512;

export const IMPLS = {
  ours: "ours (view+match)",
  "ours-url": "ours (new URL+view+match)",
  "ours-match": "ours (match only, view prebuilt)",
  "find-my-way": "find-my-way find()",
  "hono-trie": "hono TrieRouter match()",
  "hono-regexp": "hono RegExpRouter match()",
  "itty-scan": "itty-router v5 route scan",
  "itty-fetch": "itty-router v5 fetch() (async)",
  url: "floor: new URL()",
  map: "floor: Map.get(host)",
} as const;
export type ImplId = keyof typeof IMPLS;

export interface Setup {
  /** Time to build the router from its table, ms (first build in this process). */
  readonly buildMs: number;
  readonly op?: (i: number) => unknown;
  readonly asyncOp?: (i: number) => Promise<unknown>;
  /** null when every request routes as expected, else what went wrong. */
  readonly problem: string | null;
}

export interface Tables {
  readonly routes: BenchRoute[];
  readonly requests: BenchRequest[];
  readonly peer: string[];
}

export function tables(size: number): Tables {
  const routes = generateRoutes(size);
  return { routes, requests: generateRequests(routes, REQUESTS), peer: peerRoutes(size) };
}

// --- ours ---------------------------------------------------------------------------------------

export function compileRoutes(routes: readonly BenchRoute[]): Route<string>[] {
  return routes.map((r) => {
    const compiled = compileRule(r.rule);
    if (!compiled.ok) throw new Error(`${r.name}: ${r.rule}: ${compiled.error.message}`);
    return { name: r.name, rule: compiled.value, priority: defaultPriority(r.rule), handler: r.name };
  });
}

/** Traefik's order by brute force: every route by priority (stable), first match wins. */
export function linearOracle(routes: readonly Route<string>[]): (v: RequestView) => Route<string> | null {
  const sorted = routes.map((r, i) => ({ r, i })).sort((a, b) => b.r.priority - a.r.priority || a.i - b.i).map((x) => x.r);
  return (v) => sorted.find((r) => r.rule.match(v)) ?? null;
}

const CLIENT_IP = "203.0.113.7";

const toRequest = (q: BenchRequest) => new Request(q.url, { method: q.method, headers: q.headers });
const toView = (q: BenchRequest) => viewFromDescription({ method: q.method, url: q.url, headers: q.headers, remoteAddr: CLIENT_IP });

/**
 * Checks the muxer against the generator's intent and (withOracle) the brute-force oracle, on views
 * built both ways (a Workers Request, a plain description).
 */
export function checkOurs(mux: Muxer<string>, routes: readonly Route<string>[], requests: readonly BenchRequest[], withOracle = true): string | null {
  const oracle = withOracle ? linearOracle(routes) : () => null;
  for (const q of requests) {
    const views = [toView(q), viewFromRequest(toRequest(q), CLIENT_IP)];
    for (const v of views) {
      const got = mux.match(v)?.name ?? null;
      const want = withOracle ? (oracle(v)?.name ?? null) : q.expected;
      if (got !== q.expected || want !== q.expected) {
        return `${q.method} ${q.url} ${JSON.stringify(q.headers)}: muxer → ${got}, linear oracle → ${want}, generator expects ${q.expected}`;
      }
    }
  }
  return null;
}

function setupOurs(id: "ours" | "ours-url" | "ours-match", t: Tables): Setup {
  const t0 = hrnow();
  const routes = compileRoutes(t.routes);
  const mux = buildMuxer(routes);
  const buildMs = elapsedMs(t0);
  // match.ts already checked against the oracle; here only that this build routes as intended.
  const problem = checkOurs(mux, routes, t.requests, false);
  const reqs = t.requests.map(toRequest);
  if (id === "ours") {
    // worker/router.ts: viewFromRequest(request, rc.clientIP, rc.url), the URL parsed earlier by
    // worker/index.ts for its own dispatch. The Request exists already; the view is per request.
    const urls = reqs.map((r) => new URL(r.url));
    return { buildMs, problem, op: (i) => mux.match(viewFromRequest(reqs[i]!, CLIENT_IP, urls[i])) };
  }
  if (id === "ours-url") return { buildMs, problem, op: (i) => mux.match(viewFromRequest(reqs[i]!, CLIENT_IP)) };
  const views = t.requests.map(toView);
  for (const v of views) mux.match(v); // lazily computed view fields (path, headers) are now cached
  return { buildMs, problem, op: (i) => mux.match(views[i]!) };
}

// --- peers (path-only table) --------------------------------------------------------------------

function checkPeer(name: string, t: Tables, lookup: (path: string) => number | null): string | null {
  for (const q of t.requests) {
    const got = lookup(q.peerPath);
    if (got !== q.peerExpected) return `${name}: GET ${q.peerPath} → ${got}, expected ${q.peerExpected}`;
  }
  return null;
}

function setupFindMyWay(t: Tables): Setup {
  const t0 = hrnow();
  const router = FindMyWay();
  t.peer.forEach((p, i) => router.on("GET", p, () => i, { i }));
  router.find("GET", "/"); // find-my-way builds lazily on nothing, but keep the first lookup in build time
  const buildMs = elapsedMs(t0);
  const paths = t.requests.map((q) => q.peerPath);
  const problem = checkPeer("find-my-way", t, (p) => (router.find("GET", p)?.store as { i: number } | undefined)?.i ?? null);
  return { buildMs, problem, op: (i) => router.find("GET", paths[i]!) };
}

type HonoRouter = { add(m: string, p: string, h: number): void; match(m: string, p: string): [[number, unknown][], unknown?] };

function setupHono(t: Tables, router: HonoRouter, name: string): Setup {
  const t0 = hrnow();
  t.peer.forEach((p, i) => router.add("GET", p, i));
  router.match("GET", "/"); // RegExpRouter compiles its matchers on the first match: count it as build
  const buildMs = elapsedMs(t0);
  const paths = t.requests.map((q) => q.peerPath);
  const problem = checkPeer(name, t, (p) => router.match("GET", p)[0][0]?.[0] ?? null);
  return { buildMs, problem, op: (i) => router.match("GET", paths[i]!) };
}

function setupItty(t: Tables, id: "itty-scan" | "itty-fetch"): Setup {
  const t0 = hrnow();
  const router = IttyRouter();
  t.peer.forEach((p, i) => router.get(p, () => i));
  const buildMs = elapsedMs(t0);
  // itty-router v5 has no lookup call: fetch() parses the URL, the query, then scans router.routes
  // ([method, regex, handlers, path]) in order, running handlers until one returns a value. The
  // scan below is that loop, verbatim, stopping at the first matching route.
  const routes = router.routes as unknown as [string, RegExp, unknown[], string][];
  const scan = (method: string, path: string): number | null => {
    for (let k = 0; k < routes.length; k++) {
      const [m, re] = routes[k]!;
      if ((m == method || m == "ALL") && path.match(re)) return k;
    }
    return null;
  };
  const problem = checkPeer("itty-router", t, (p) => scan("GET", p));
  const paths = t.requests.map((q) => q.peerPath);
  if (id === "itty-scan") return { buildMs, problem, op: (i) => scan("GET", paths[i]!) };
  const reqs = t.requests.map((q) => ({ method: "GET", url: `https://peer.example.com${q.peerPath}` }));
  // A trivial handler returning its index: fetch() resolves to it, or to undefined on a miss.
  return { buildMs, problem, asyncOp: (i) => router.fetch({ ...reqs[i]! }).then((r: unknown) => r ?? null) };
}

// --- floors -------------------------------------------------------------------------------------

function setupUrl(t: Tables): Setup {
  const urls = t.requests.map((q) => q.url);
  return { buildMs: 0, problem: null, op: (i) => new URL(urls[i]!) };
}

function setupMap(t: Tables): Setup {
  const t0 = hrnow();
  const map = new Map<string, number>();
  t.routes.forEach((r, i) => map.set(`svc${i}.example.com`, i));
  const buildMs = elapsedMs(t0);
  // Flat strings: URL.hostname in Node is a sliced string, which Map.get hashes slowly (see README).
  const hosts = t.requests.map((q) => JSON.parse(JSON.stringify(new URL(q.url).hostname)) as string);
  return { buildMs, problem: null, op: (i) => map.get(hosts[i]!) };
}

export function setup(id: ImplId, t: Tables): Setup {
  switch (id) {
    case "ours":
    case "ours-url":
    case "ours-match":
      return setupOurs(id, t);
    case "find-my-way":
      return setupFindMyWay(t);
    case "hono-trie":
      return setupHono(t, new TrieRouter<number>() as unknown as HonoRouter, "hono TrieRouter");
    case "hono-regexp":
      return setupHono(t, new RegExpRouter<number>() as unknown as HonoRouter, "hono RegExpRouter");
    case "itty-scan":
    case "itty-fetch":
      return setupItty(t, id);
    case "url":
      return setupUrl(t);
    case "map":
      return setupMap(t);
  }
}
