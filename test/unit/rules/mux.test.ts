// The muxer's host index against a brute-force scan: exact hosts that also fall under wildcards,
// hosts and endings of lengths no key has, trailing dots, and the host the view adopts from the index.
import { describe, expect, it } from "vitest";
import {
  buildMuxer,
  defaultPriority,
  viewFromDescription,
  viewFromRequest,
  type RequestView,
  type Route,
} from "../../../worker/rules/index.ts";
import { routeOrder } from "../../../worker/rules/mux/order.ts";
import { rule } from "../../worker/helpers/rules.ts";


function route(name: string, src: string, priority?: number): Route<string> {
  return { name, rule: rule(src), priority: priority ?? defaultPriority(src), handler: name };
}

const get = (url: string, headers: Record<string, string> = {}) => viewFromDescription({ method: "GET", url, headers });
const fromRequest = (url: string, headers: Record<string, string> = {}) => viewFromRequest(new Request(url, { headers }), null, new URL(url));

/** Traefik's order by brute force: priority, then the order given; first match wins. */
function linear(routes: readonly Route<string>[]): (v: RequestView) => string | null {
  const sorted = routes.map((r, i) => ({ r, i })).sort((a, b) => b.r.priority - a.r.priority || a.i - b.i);
  return (v) => sorted.find(({ r }) => r.rule.match(v))?.r.name ?? null;
}

describe("muxer host index", () => {
  it("merges an exact host's routes with those of the wildcards it falls under, in priority order", () => {
    const routes = [
      route("exact-low", "Host(`a.example.com`)", 10),
      route("wild-mid", "Host(`*.example.com`)", 20),
      route("regexp-high", "HostRegexp(`^[a-z]+\\.example\\.com$`) && PathPrefix(`/hi`)", 30),
      route("exact-top", "Host(`a.example.com`) && PathPrefix(`/top`)", 40),
      route("deep", "HostRegexp(`^[a-z]+\\.b\\.example\\.com$`)", 25),
    ];
    const mux = buildMuxer(routes);
    for (const host of ["a.example.com", "a.example.com."]) {
      expect(mux.match(get(`http://${host}/top`))?.name).toBe("exact-top");
      // HostRegexp sees the trailing dot, as in Traefik; Host ignores it.
      expect(mux.match(get(`http://${host}/hi`))?.name).toBe(host.endsWith(".") ? "wild-mid" : "regexp-high");
      expect(mux.match(get(`http://${host}/x`))?.name).toBe("wild-mid");
    }
    expect(mux.match(get("http://z.example.com/x"))?.name).toBe("wild-mid");
    expect(mux.match(get("http://z.b.example.com/x"))?.name).toBe("deep");
    // Only the lower-priority exact route is left when the wildcards do not match the path or host.
    expect(buildMuxer([routes[0]!, route("regexp", "HostRegexp(`^b\\.example\\.com$`)", 30)]).match(get("http://a.example.com/"))?.name).toBe("exact-low");
  });

  it("finds hosts and endings whatever their length, and nothing for lengths no key has", () => {
    const routes = [
      route("short", "Host(`ab.io`)"),
      route("long", "Host(`a-much-longer-host-name.example.com`)"),
      route("wild", "Host(`*.tenant7.example.com`)"),
      route("fallback", "PathPrefix(`/f`)", 1),
    ];
    const mux = buildMuxer(routes);
    expect(mux.match(get("http://ab.io/"))?.name).toBe("short");
    expect(mux.match(get("http://ac.io/"))).toBeNull();
    expect(mux.match(get("http://a-much-longer-host-name.example.com/"))?.name).toBe("long");
    expect(mux.match(get("http://x.tenant7.example.com/"))?.name).toBe("wild");
    expect(mux.match(get("http://x.tenant77.example.com/"))).toBeNull();
    expect(mux.match(get("http://x.tenant77.example.com/f"))?.name).toBe("fallback");
    expect(mux.match(get("http://abc.io/f"))?.name).toBe("fallback");
    expect(mux.match(get("http://" + "a".repeat(300) + ".io/f"))?.name).toBe("fallback");
    // Hosts of 255 characters and more share one length slot: found, and others of such lengths not.
    const long = Array.from({ length: 5 }, (_, i) => `${String.fromCharCode(97 + i).repeat(60)}`).join(".") + ".io";
    const longer = buildMuxer([route("long", `Host(\`${long}\`)`), route("other", "Host(`x.io`)")]);
    expect(long.length).toBeGreaterThan(255);
    expect(longer.match(get(`http://${long}/`))?.name).toBe("long");
    expect(longer.match(get(`http://${long.replace("e", "f")}/`))).toBeNull();
    expect(longer.match(get(`http://${long}x/`))).toBeNull();
  });

  it("answers a host's first request and its later ones alike (hosts move to the request-time table when first asked for)", () => {
    const routes = [
      route("one", "Host(`one.example.com`)"),
      route("two-a", "Host(`two.example.com`) && PathPrefix(`/a`)"),
      route("two", "Host(`two.example.com`)"),
      route("proto", "Host(`__proto__`) || Host(`constructor`)"),
      route("wild", "Host(`*.example.com`) && PathPrefix(`/w`)", 500),
      route("dotted", "Host(`dot.example.com.`)"),
    ];
    const mux = buildMuxer(routes);
    const scan = linear(routes);
    const urls = ["http://one.example.com/", "http://two.example.com/a", "http://two.example.com/b", "http://__proto__/",
      "http://constructor/", "http://one.example.com/w", "http://dot.example.com/", "http://dot.example.com./", "http://one.example.com./x",
      "http://toString/", "http://three.example.com/w"];
    for (let round = 0; round < 3; round++) {
      for (const url of round === 1 ? [...urls].reverse() : urls) {
        expect(mux.match(get(url))?.name ?? null, `${url} round ${round}`).toBe(scan(get(url)));
      }
    }
    expect(mux.match(get("http://two.example.com/a"))?.name).toBe("two-a");
    expect(mux.match(get("http://toString/"))).toBeNull();
  });

  it("agrees with a brute-force scan on a mixed table, for views from descriptions and from Requests", () => {
    const routes: Route<string>[] = [];
    for (let i = 0; i < 60; i++) {
      const host = `svc${i}.example.com`;
      routes.push(route(`api${i}`, `Host(\`${host}\`) && PathPrefix(\`/api/v${i % 3}\`)`));
      if (i % 4 === 0) routes.push(route(`canary${i}`, `Host(\`${host}\`) && PathPrefix(\`/api\`) && Header(\`X-Canary\`, \`on\`)`));
      if (i % 5 === 0) routes.push(route(`write${i}`, `Host(\`${host}\`) && Method(\`POST\`)`));
      if (i % 6 === 0) routes.push(route(`tenant${i}`, `HostRegexp(\`^[a-z]+\\.svc${i}\\.example\\.com$\`)`));
      if (i % 7 === 0) routes.push(route(`export${i}`, `PathRegexp(\`^/svc${i}/exports/[0-9]+$\`)`));
    }
    // One host with enough routes to be indexed by path, also under a wildcard.
    for (let p = 0; p < 12; p++) routes.push(route(`big${p}`, `Host(\`svc0.example.com\`) && PathPrefix(\`/big/${p}\`)`));
    routes.push(route("wild", "Host(`*.example.com`) && PathPrefix(`/big`)", 5));
    const mux = buildMuxer(routes);
    const oracle = linear(routes);
    const hosts = ["svc0.example.com", "svc6.example.com.", "svc13.example.com", "acme.svc6.example.com", "acme.svc7.example.com", "nosuch.example.org", "svc99.example.com", ""];
    const paths = ["/api/v0/x", "/api/v1", "/api/v2/y", "/big/3/z", "/big/99", "/svc7/exports/12", "/svc14/exports/x", "/"];
    let checked = 0;
    for (const host of hosts) {
      for (const path of paths) {
        for (const headers of [{}, { "X-Canary": "on" }] as Record<string, string>[]) {
          const url = host === "" ? path : `http://${host}${path}`;
          const views = host === "" ? [get(url, headers)] : [get(url, headers), fromRequest(url, headers)];
          for (const view of views) {
            const want = oracle(get(url, headers));
            expect(mux.match(view)?.name ?? null, `${url} ${JSON.stringify(headers)}`).toBe(want);
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(240);
  });

  it("leaves the view's host as it was: same text, and other hosts' rules still do not match", () => {
    const mux = buildMuxer([route("a", "Host(`a.example.com`) && PathPrefix(`/a`)"), route("b", "Host(`b.example.com`)")]);
    for (const view of [get("http://a.example.com/x"), fromRequest("http://a.example.com/x")]) {
      expect(mux.match(view)).toBeNull();
      expect(view.host).toBe("a.example.com");
      expect(rule("Host(`a.example.com`)").match(view)).toBe(true);
      expect(rule("Host(`b.example.com`)").match(view)).toBe(false);
      expect(rule("Host(`*.example.com`)").match(view)).toBe(true);
      expect(rule("HostRegexp(`^a\\.`)").match(view)).toBe(true);
    }
    const dotted = fromRequest("http://b.example.com./");
    expect(mux.match(dotted)?.name).toBe("b");
    expect(dotted.host).toBe("b.example.com.");
  });
});

describe("muxer route order", () => {
  it("orders by priority, then provider precedence, then the order given, whatever the priorities", () => {
    // Each route matches /p/ and everything under it; the test asks which route wins /p/<i>.
    const build = (priorities: number[], providers: string[], precedence?: string[]) => {
      const routes = priorities.map((p, i) => route(`r${i}@${providers[i]}`, "PathPrefix(`/p/`)", p));
      return buildMuxer(routes, precedence ? { providersPrecedence: precedence } : {}).match(get("http://h.example.com/p/0"))?.name;
    };
    // Integer priorities (one native sort of packed keys).
    expect(build([5, 9, 9, 1], ["file", "file", "file", "file"])).toBe("r1@file");
    expect(build([5, 9, 9, 1], ["file", "docker", "kv", "file"], ["kv", "docker"])).toBe("r2@kv");
    expect(build([5, 9, 9, 1], ["file", "docker", "kv", "file"], ["docker", "kv"])).toBe("r1@docker");
    expect(build([5, 9, 9, 9], ["file", "file", "file", "kv"], ["kv"])).toBe("r3@kv");
    expect(build([-5, -3, -3, -9], ["file", "file", "kv", "file"], ["kv"])).toBe("r2@kv");
    // Priorities the packed keys cannot hold exactly: fractions, and a range beyond 2^53.
    expect(build([1.5, 2.25, 2.25], ["file", "file", "file"])).toBe("r1@file");
    expect(build([1, 2 ** 60, 2 ** 60 - 1024], ["file", "file", "file"])).toBe("r1@file");
    expect(build([2 ** 60, 2 ** 60, 3], ["file", "kv", "file"], ["kv"])).toBe("r1@kv");
    expect(buildMuxer([]).match(get("http://h.example.com/p/0"))).toBeNull();
  });

  it("ranks every route the way a brute-force sort does, packed or compared (priorities 2^45 apart)", () => {
    for (const big of [false, true]) {
      const routes = Array.from({ length: 300 }, (_, i) => route(`r${i}@${["file", "kv", "docker"][i % 3]}`, `PathPrefix(\`/p/${i % 40}\`)`, big ? (i % 7) * 2 ** 45 : i % 7));
      const precedence = ["docker", "kv"];
      const mux = buildMuxer(routes, { providersPrecedence: precedence });
      const rank = (name: string) => {
        const p = name.slice(name.indexOf("@") + 1);
        return [...precedence].reverse().indexOf(p);
      };
      const sorted = routes.map((r, i) => ({ r, i })).sort((a, b) => b.r.priority - a.r.priority || rank(b.r.name) - rank(a.r.name) || a.i - b.i);
      for (let k = 0; k < 40; k++) {
        const want = sorted.find(({ r }) => r.rule.match(get(`http://h.example.com/p/${k}`)))?.r.name;
        expect(mux.match(get(`http://h.example.com/p/${k}`))?.name, `big=${big} /p/${k}`).toBe(want);
      }
    }
  });
});

describe("route order at the edge of the packed keys", () => {
  it("gives a brute-force sort's positions for priorities just inside and just past the packing limit, of either sign", () => {
    // Keys are packed into an Int32Array while every |priority| <= 2^31 / (providers · n) - 1; the
    // keys come near ±2^31 there, where an overflow would show. Past it (and for non-integer
    // priorities), the comparator sorts.
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 300; trial++) {
      const n = 2 + Math.floor(rand() * 120);
      const precedence = ["docker", "kv"].slice(0, trial % 3);
      const limit = Math.floor(0x7fffffff / ((precedence.length + 1) * n)) - 1 + (trial % 2); // inside, then one past
      const routes = Array.from({ length: n }, (_, i) => {
        // Both ends first, then anything in between, a few of them tied at the ends.
        const x = rand();
        const p = i === 0 ? limit : i === 1 ? -limit : x < 0.15 ? limit : x < 0.3 ? -limit : Math.round((rand() * 2 - 1) * limit);
        return { name: `r${i}@${["file", "kv", "docker"][Math.floor(rand() * 3)]}`, rule: rule("Path(`/`)"), priority: trial % 7 === 6 && i === 2 ? p - 0.5 : p, handler: i };
      });
      const rank = (name: string) => [...precedence].reverse().indexOf(name.slice(name.indexOf("@") + 1));
      const want = routes.map((_, i) => i).sort((a, b) => routes[b]!.priority - routes[a]!.priority || rank(routes[b]!.name) - rank(routes[a]!.name) || a - b);
      expect(Array.from(routeOrder(routes, { providersPrecedence: precedence })), `trial ${trial}`).toEqual(want);
    }
  });
});

describe("view headers", () => {
  it("looks each header up by its lower-case name, however rules alternate their spelling", () => {
    const view = fromRequest("http://h.example.com/", { "X-A": "1", "x-b": "2" });
    const a = rule("Header(`X-A`, `1`)");
    const b = rule("Header(`x-B`, `2`)");
    const wrong = rule("Header(`X-A`, `2`)");
    for (let i = 0; i < 3; i++) {
      expect(a.match(view)).toBe(true);
      expect(b.match(view)).toBe(true);
      expect(wrong.match(view)).toBe(false);
      expect(view.header("x-a")).toEqual(["1"]);
      expect(view.header("X-B")).toEqual(["2"]);
    }
    const other = fromRequest("http://h.example.com/", { "X-A": "3" });
    expect(a.match(other)).toBe(false);
    expect(other.header("X-A")).toEqual(["3"]);
    expect(other.header("X-Missing")).toEqual([]);
    expect(other.header("Host")).toEqual([]);
  });
});
