// The lazy muxer (worker/rules/mux/lazy.ts) must route exactly as buildMuxer does over the same
// routes, from the index muxIndex makes of them, building only the routes requests reach.
import { describe, expect, it } from "vitest";
import { generateRequests, generateRoutes } from "../../../bench/routes.ts";
import { buildLazyMuxer, buildMuxer, muxIndex, type MuxIndex } from "../../../worker/rules/index.ts";
import { lazyOf, routesOf, view } from "../../worker/helpers/rules.ts";

describe("lazy muxer", () => {
  it("routes the benchmark's 2,000-router table as buildMuxer does, for hits and misses", () => {
    const table = generateRoutes(2000);
    const routes = routesOf(table.map((r) => [r.name, r.rule] as const));
    const eager = buildMuxer(routes);
    const { muxer } = lazyOf(routes);
    const requests = generateRequests(table, 3000);
    let hits = 0;
    for (const r of requests) {
      const want = eager.match(view(r.url, r.headers, r.method))?.name ?? null;
      expect(muxer.match(view(r.url, r.headers, r.method))?.name ?? null, r.url).toBe(want);
      if (want !== null) hits++;
    }
    expect(hits).toBeGreaterThan(2000);
    expect(muxer.size).toBe(eager.size);
    expect(muxer.routes.map((r) => r.name)).toEqual(eager.routes.map((r) => r.name));
  });

  it("builds a route only when a request tries it", () => {
    const routes = routesOf([
      ["a", "Host(`a.com`)"],
      ["b", "Host(`b.com`) && PathPrefix(`/api`)"],
      ["c", "Host(`c.com`)"],
      ["any", "PathPrefix(`/zzz`)"],
    ]);
    const { muxer, built } = lazyOf(routes);
    expect(built).toEqual([]);
    expect(muxer.match(view("http://b.com/api/x"))?.name).toBe("b");
    expect(built.sort()).toEqual(["b"]);
    expect(muxer.match(view("http://b.com/nope"))).toBeNull();
    expect(muxer.match(view("http://nowhere.org/zzz"))?.name).toBe("any");
    expect(built.sort()).toEqual(["any", "b"]);
  });

  it("indexes a host's many routes by path from the published prefixes, without compiling them", () => {
    const rules = Array.from({ length: 40 }, (_, i) => [`r${i}`, `Host(\`big.com\`) && PathPrefix(\`/p${i}/\`)`] as const);
    const { muxer, built, index } = lazyOf(routesOf(rules));
    expect(Object.keys(index.prefixes)).toHaveLength(40);
    expect(muxer.match(view("http://big.com/p37/x"))?.name).toBe("r37");
    expect(built).toEqual(["r37"]);
  });

  it("keeps Traefik's order across exact hosts, wildcards, host-less rules and trailing dots", () => {
    const routes = routesOf([
      ["exact", "Host(`app.example.com`) && Path(`/x`)"],
      ["wild", "Host(`*.example.com`)"],
      ["regexp", "HostRegexp(`^[a-z]+\\.tenant\\.io$`)"],
      ["pathonly", "PathPrefix(`/`)"],
      ["longest-rule-wins-first", "Host(`app.example.com`) && PathPrefix(`/x`) && Method(`GET`)"],
    ]);
    const eager = buildMuxer(routes);
    const { muxer } = lazyOf(routes);
    for (const url of ["http://app.example.com/x", "http://app.example.com./x", "http://other.example.com/", "http://acme.tenant.io/", "http://x.y/", "http://APP.example.com/x"]) {
      expect(muxer.match(view(url))?.name, url).toBe(eager.match(view(url))?.name);
    }
  });

  it("hosts named like Object.prototype members are plain keys", () => {
    const routes = routesOf([["c", "Host(`constructor`)"], ["p", "Host(`__proto__`)"]]);
    const { muxer } = lazyOf(routes);
    expect(muxer.match(view("http://constructor/"))?.name).toBe("c");
    expect(muxer.match(view("http://__proto__/"))?.name).toBe("p");
    expect(muxer.match(view("http://tostring/"))).toBeNull();
    expect(muxer.match(view("http://hasownproperty/"))).toBeNull();
  });

  it("an index entry that is not a list of known ranks leads nowhere instead of throwing", () => {
    const routes = routesOf([["a", "Host(`a.com`)"], ["b", "Host(`b.com`)"]]);
    const byName = new Map(routes.map((r) => [r.name, r]));
    const index: MuxIndex = { order: ["a", "b"], exact: { "a.com": 7, "b.com": [1, 0] as number[], "c.com": "x" as unknown as number }, suffixes: {}, fallback: [], prefixes: {} };
    const muxer = buildLazyMuxer(index, (name) => byName.get(name) ?? null);
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      expect(muxer.match(view("http://a.com/"))).toBeNull();
      expect(muxer.match(view("http://b.com/"))).toBeNull();
      expect(muxer.match(view("http://c.com/"))).toBeNull();
    } finally {
      console.error = original;
    }
    expect(errors).toHaveLength(3);
  });

  it("a route its source cannot build matches nothing, and the others still route", () => {
    const routes = routesOf([["a", "Host(`a.com`)"], ["b", "Host(`a.com`) && Path(`/b`)"]]);
    const index = muxIndex(routes);
    const muxer = buildLazyMuxer(index, (name) => (name === "b" ? null : routes.find((r) => r.name === name)!));
    expect(muxer.match(view("http://a.com/b"))?.name).toBe("a");
    expect(muxer.routes.map((r) => r.name)).toEqual(["a"]);
  });
});
