// Deterministic route tables and request sets for the matching benchmark.
//
// Ours: N routers in Traefik rule syntax, grouped by service the way real configs are (one host,
// a few routers: API versions, a canary on a header, a POST split, a PathRegexp report route),
// plus wildcard tenants (HostRegexp) and a few host-less PathRegexp routers.
// Peers: N path-only routes `/svc{i}/users/:id` (GET), identical for every peer router.
// Requests: hits spread uniformly over the table (each synthesized to reach one router) and
// ~10% misses; each request has a peer twin (a hit on `/svc{i}/users/{id}` or a miss).

/** mulberry32: small, fast, good enough to spread requests; same seed, same table. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const int = (rand: () => number, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));

export type RouteKind =
  | "host+prefix"
  | "host+prefix+header"
  | "host+prefix+method"
  | "host+pathregexp"
  | "hostregexp"
  | "pathregexp";

export interface RequestShape {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
}

export interface BenchRoute {
  readonly name: string;
  readonly rule: string;
  readonly kind: RouteKind;
  /** A request this router (and no router ranked above it) matches. */
  readonly sample: (rand: () => number) => RequestShape;
}

const BASE_HEADERS = { "user-agent": "bench/1.0", accept: "application/json" } as const;
const WORDS = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell"];

const hostOf = (s: number) => `svc${s}.example.com`;
const get = (url: string, extra: Record<string, string> = {}, method = "GET"): RequestShape => ({
  method,
  url,
  headers: { ...BASE_HEADERS, ...extra },
});

/**
 * Service templates by share of services: most are Host && PathPrefix. Service s takes the template
 * whose range below holds frac(s·φ + ½) (evenly spread at any table size); the first services take one template of
 * each kind so that even the 10-router table has the whole mix.
 */
const FIRST = [0.1, 0.9, 0.55, 0.99, 0.7, 0.8];
const templateOf = (s: number): number => (s < FIRST.length ? FIRST[s]! : (s * 0.6180339887 + 0.5) % 1);

/** One service's routers. */
function service(s: number, rand: () => number): BenchRoute[] {
  const host = hostOf(s);
  const H = `Host(\`${host}\`)`;
  const r = templateOf(s);
  const id = () => int(rand, 1, 99999);
  if (r < 0.3) {
    // One API version.
    const v = int(rand, 1, 3);
    return [
      { name: `svc${s}-api@file`, kind: "host+prefix", rule: `${H} && PathPrefix(\`/api/v${v}\`)`, sample: () => get(`https://${host}/api/v${v}/users/${id()}`) },
    ];
  }
  if (r < 0.5) {
    // Two API versions side by side.
    return [1, 2].map((v) => ({
      name: `svc${s}-v${v}@file`,
      kind: "host+prefix" as const,
      rule: `${H} && PathPrefix(\`/api/v${v}\`)`,
      sample: () => get(`https://${host}/api/v${v}/orders/${id()}?page=2`),
    }));
  }
  if (r < 0.62) {
    // Canary on a header; the longer rule ranks first, requests without the header fall through.
    return [
      { name: `svc${s}-canary@file`, kind: "host+prefix+header", rule: `${H} && PathPrefix(\`/api\`) && Header(\`X-Canary\`, \`on\`)`, sample: () => get(`https://${host}/api/items/${id()}`, { "x-canary": "on" }) },
      { name: `svc${s}-stable@file`, kind: "host+prefix", rule: `${H} && PathPrefix(\`/api\`)`, sample: () => get(`https://${host}/api/items/${id()}`) },
    ];
  }
  if (r < 0.74) {
    // Writes to another backend.
    return [
      { name: `svc${s}-write@file`, kind: "host+prefix+method", rule: `${H} && PathPrefix(\`/api\`) && (Method(\`POST\`) || Method(\`PUT\`))`, sample: () => get(`https://${host}/api/items`, {}, pick(rand, ["POST", "PUT"])) },
      { name: `svc${s}-read@file`, kind: "host+prefix", rule: `${H} && PathPrefix(\`/api\`)`, sample: () => get(`https://${host}/api/items/${id()}`) },
    ];
  }
  if (r < 0.82) {
    // Reports by regex next to the API.
    return [
      { name: `svc${s}-reports@file`, kind: "host+pathregexp", rule: `${H} && PathRegexp(\`^/reports/[0-9]{4}/[a-z]+$\`)`, sample: () => get(`https://${host}/reports/${int(rand, 2000, 2030)}/${pick(rand, ["summary", "daily", "q"])}`) },
      { name: `svc${s}-api@file`, kind: "host+prefix", rule: `${H} && PathPrefix(\`/api/v1\`)`, sample: () => get(`https://${host}/api/v1/users/${id()}`) },
    ];
  }
  if (r < 0.96) {
    // A wildcard tenant: any single-label subdomain.
    return [
      { name: `tenant${s}@file`, kind: "hostregexp", rule: `HostRegexp(\`^[a-z]+\\.tenant${s}\\.example\\.com$\`)`, sample: () => get(`https://${pick(rand, WORDS)}.tenant${s}.example.com/dashboard`) },
    ];
  }
  // Host-less export endpoint.
  return [
    { name: `export${s}@file`, kind: "pathregexp", rule: `PathRegexp(\`^/svc${s}/exports/[0-9]+\\.csv$\`)`, sample: () => get(`https://files.example.net/svc${s}/exports/${id()}.csv`) },
  ];
}

export function generateRoutes(n: number, seed = 0x5eed): BenchRoute[] {
  const rand = prng(seed);
  const routes: BenchRoute[] = [];
  for (let s = 0; routes.length < n; s++) routes.push(...service(s, rand));
  return routes.slice(0, n);
}

export interface BenchRequest extends RequestShape {
  /** Router name expected to match, or null for a miss. */
  readonly expected: string | null;
  /** The peers' version of this request (GET), and the peer route index it must hit (or null). */
  readonly peerPath: string;
  readonly peerExpected: number | null;
}

export const MISS_RATE = 0.1;

export function generateRequests(routes: readonly BenchRoute[], count: number, seed = 0xbe7c4): BenchRequest[] {
  const rand = prng(seed);
  const out: BenchRequest[] = [];
  for (let j = 0; j < count; j++) {
    const i = Math.floor(rand() * routes.length);
    const id = int(rand, 1, 99999);
    if (rand() < MISS_RATE) {
      const kind = j % 3;
      const shape =
        kind === 0
          ? get(`https://nosuch${j}.example.org/api/v1/users/${id}`) // unknown host
          : kind === 1
            ? get(`https://${hostOf(i)}/no/such/path/${id}`) // a known-looking host, unrouted path
            : get(`https://x.tenant${routes.length + j}.example.com/dashboard`); // tenant that does not exist
      const peerPath = kind === 0 ? `/nosuch${j}/users/${id}` : `/svc${i}/orders/${id}`;
      out.push({ ...shape, expected: null, peerPath, peerExpected: null });
    } else {
      const route = routes[i]!;
      out.push({ ...route.sample(rand), expected: route.name, peerPath: `/svc${i}/users/${id}`, peerExpected: i });
    }
  }
  return out;
}

/** The peers' table: the same for find-my-way, hono and itty-router. */
export function peerRoutes(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `/svc${i}/users/:id`);
}
