// Load facts (worker/compile/facts.ts): the store's record of a config it admitted, and the
// snapshot an isolate builds from them (snapshot.ts snapshotFromFacts) without validating again.
import { describe, expect, it } from "vitest";
import { checkConfig } from "../../../worker/compile/check.ts";
import { FACTS_FORMAT, factsOf, trustFacts, type LoadFacts } from "../../../worker/compile/facts.ts";
import { NO_INTERNAL_SERVICES } from "../../../worker/compile/internal.ts";
import { REVISION } from "../../../worker/compile/revision.ts";
import { compileSnapshot, snapshotFromFacts } from "../../../worker/compile/snapshot.ts";
import { lazyConfig, routerSpans } from "../../../worker/compile/spans.ts";
import { canonicalJSON, validateConfig, type DynamicConfig } from "../../../worker/config/index.ts";
import { viewFromDescription } from "../../../worker/rules/index.ts";
import { revision } from "../../../scripts/revision.ts";

const config: DynamicConfig = {
  http: {
    routers: {
      api: { rule: "Host(`a.com`) && PathPrefix(`/api`)", service: "api", middlewares: ["strip"] },
      web: { rule: "Host(`a.com`)", service: "web" },
      other: { rule: "Host(`b.com`) || PathPrefix(`/b`)", service: "web", priority: 5 },
    },
    middlewares: { strip: { stripPrefix: { prefixes: ["/api"] } } },
    services: {
      api: { loadBalancer: { servers: [{ url: "http://10.0.0.1" }] } },
      web: { loadBalancer: { servers: [{ url: "http://10.0.0.2" }] } },
    },
  },
};
const meta = { version: 1, sha256: "c0ffee", source: "test", provider: "kv", warnings: [] };

/**
 * What the store publishes for `config`, through JSON as KV carries it, and the config as an
 * isolate that trusts the facts sees it (routers read from the text as they are asked for).
 */
function published(c: DynamicConfig, sha256 = "c0ffee"): { config: DynamicConfig; facts: unknown; text: string } {
  const valid = validateConfig(c);
  if (!valid.ok) throw new Error(valid.errors[0]!.message);
  const checked = checkConfig(valid.config, { internal: NO_INTERNAL_SERVICES, rules: valid.rules });
  if (!checked.ok) throw new Error(checked.errors[0]!.message);
  const text = canonicalJSON(valid.config);
  const made: LoadFacts | null = factsOf(sha256, text, JSON.parse(text) as DynamicConfig, checked.routes, valid.warnings, "v3");
  const facts = JSON.parse(JSON.stringify(made)) as unknown;
  const trusted = trustFacts(facts, sha256, "v3");
  const config = trusted && lazyConfig(text, trusted.routers);
  if (!config) throw new Error("facts not usable");
  return { config, facts, text };
}

const view = (url: string) => viewFromDescription({ method: "GET", url, headers: {} });

describe("load facts", () => {
  it("are trusted for the config, revision and rule syntax they name, and nothing else", () => {
    const { facts } = published(config);
    const trust = (f: unknown, sha = "c0ffee", syntax: "v2" | "v3" = "v3") => trustFacts(f, sha, syntax);
    expect(trust(facts)?.index.order).toEqual(["api", "web", "other"]);
    expect(trust(facts, "beef")).toBeNull();
    expect(trust(facts, "c0ffee", "v2")).toBeNull();
    const f = facts as Record<string, unknown>;
    const index = f.index as Record<string, unknown>;
    expect(trust({ ...f, revision: "0000000000000000" })).toBeNull();
    expect(trust({ ...f, format: FACTS_FORMAT + 1 })).toBeNull();
    expect(trust({ ...f, index: { ...index, exact: [] } })).toBeNull();
    expect(trust({ ...f, warnings: "none" })).toBeNull();
    expect(trust({ ...f, tree: { p: [1] } })).toBeNull();
    // Routers are named by position in the published names: one past them, or not a position, is refused.
    for (const bad of [[3, 0, 1], ["0", 1, 2], [0.5, 1, 2], [-1, 1, 2], ["length"]]) expect(trust({ ...f, index: { ...index, routers: bad } })).toBeNull();
    const spans = f.routers as Record<string, unknown>;
    for (const bad of [{ ...spans, names: [1] }, { ...spans, spans: ["0"] }, { ...spans, at: "0,1" }, null]) expect(trust({ ...f, routers: bad })).toBeNull();
    for (const bad of [null, undefined, "facts", [], 3]) expect(trust(bad)).toBeNull();
  });

  it("carry the validation warnings", () => {
    const withWarning: DynamicConfig = { http: { ...config.http, routers: { ...config.http!.routers, tls: { rule: "Host(`t.com`)", service: "web", tls: {} } } } };
    const valid = validateConfig(withWarning);
    expect(valid.ok && valid.warnings.length).toBeGreaterThan(0);
    const p = published(withWarning);
    const trusted = trustFacts(p.facts, "c0ffee", "v3");
    expect(trusted?.warnings).toEqual(valid.ok ? valid.warnings : []);
  });

  it("a snapshot from facts routes as the compiled one, building routes and services on first use", () => {
    const { config: c, facts } = published(config);
    const trusted = trustFacts(facts, "c0ffee", "v3")!;
    const lazy = snapshotFromFacts(c, meta, null, trusted.index, NO_INTERNAL_SERVICES, "v3", trusted.tree);
    const eager = compileSnapshot(c, meta, null);
    if (!eager.ok) throw new Error("compile");
    for (const url of ["http://a.com/api/x", "http://a.com/", "http://b.com/", "http://c.com/b", "http://c.com/"]) {
      expect(lazy.muxer.match(view(url))?.name ?? null, url).toBe(eager.snapshot.muxer.match(view(url))?.name ?? null);
    }
    expect([...lazy.services.keys()].sort()).toEqual(["api", "web"]);
  });

  it("keeps the pools of unchanged services across swaps, from and to a snapshot built from facts", () => {
    const { config: c, facts } = published(config);
    const index = trustFacts(facts, "c0ffee", "v3")!.index;
    const first = snapshotFromFacts(c, meta, null, index);
    const pool = first.services.get("api")!.pool;
    expect(pool).not.toBeNull();
    // A lazy successor takes what its predecessor built, without building the rest there.
    const second = snapshotFromFacts(c, { ...meta, version: 2 }, first, index);
    expect(second.services.get("api")!.pool).toBe(pool);
    const changed: DynamicConfig = { http: { ...c.http, services: { ...c.http!.services, web: { loadBalancer: { servers: [{ url: "http://10.9.9.9" }] } } } } };
    const third = compileSnapshot(changed, { ...meta, version: 3 }, second);
    if (!third.ok) throw new Error("compile");
    expect(third.snapshot.services.get("api")!.pool).toBe(pool);
    expect(third.snapshot.services.get("web")!.pool).not.toBe(second.services.get("web")!.pool);
  });

  it("a route whose config does not fit its facts is logged and matches nothing; the rest serve", () => {
    const { config: c, facts } = published(config);
    const index = trustFacts(facts, "c0ffee", "v3")!.index;
    const broken: DynamicConfig = { http: { ...c.http, routers: { ...c.http!.routers, api: { rule: "Host(`a.com`) && PathPrefix(`/api`)", service: "missing" } } } };
    const logged: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.join(" "));
    try {
      const snapshot = snapshotFromFacts(broken, meta, null, index);
      expect(snapshot.muxer.match(view("http://a.com/api/x"))?.name).toBe("web");
    } finally {
      console.error = original;
    }
    expect(logged.join("\n")).toContain("http.routers.api.service");
  });
});

describe("router spans (lazy routers)", () => {
  const odd: DynamicConfig = {
    http: {
      routers: {
        "10": { rule: "Host(`ten.com`)", service: "web" },
        "9": { rule: "Host(`nine.com`)", service: "web" },
        "__proto__": { rule: "Host(`p.com`)", service: "web" },
        "quote\"d": { rule: "Host(`q.com`) && Path(`/\\\"routers\\\":{`)", service: "web" },
        routers: { rule: "Host(`r.com`)", service: "web", priority: 3 },
      },
      services: config.http!.services,
      middlewares: { routers: { stripPrefix: { prefixes: ["/x"] } } },
    },
  };

  it("the lazy config reads as the parsed one: every router, key order, Object.hasOwn, JSON, no writes", () => {
    const text = canonicalJSON(odd);
    const parsed = JSON.parse(text) as DynamicConfig;
    const spans = routerSpans(text, parsed)!;
    expect(spans.names).toEqual(Object.keys(parsed.http!.routers!).sort());
    const lazy = lazyConfig(text, spans)!;
    const routers = lazy.http!.routers!;
    for (const name of Object.keys(parsed.http!.routers!)) {
      expect(Object.hasOwn(routers, name)).toBe(true);
      expect(routers[name]).toEqual(parsed.http!.routers![name]);
    }
    expect(Object.hasOwn(routers, "toString")).toBe(false);
    expect(routers.toString).toBeUndefined();
    expect(JSON.parse(JSON.stringify(lazy))).toEqual(parsed);
    expect(canonicalJSON(lazy)).toBe(text);
    expect(lazy.http!.services).toEqual(parsed.http!.services);
    expect(() => {
      "use strict";
      (routers as Record<string, unknown>).x = {};
    }).toThrow(TypeError);
  });

  it("spans that do not fit their text give no lazy config (the caller parses it whole)", () => {
    const text = canonicalJSON(odd);
    const spans = routerSpans(text, JSON.parse(text) as DynamicConfig)!;
    expect(lazyConfig(text, { ...spans, at: [spans.at[0], text.length + 5] })).toBeNull();
    expect(lazyConfig(text, { ...spans, at: [spans.at[0] + 1, spans.at[1]] })).toBeNull();
    expect(lazyConfig(text, { ...spans, spans: spans.spans.slice(2) })).toBeNull();
  });
});

describe("load facts of a router tree (parentRefs)", () => {
  it("carry each parent's children, so a parent's first request builds its children's muxer", () => {
    const tree: DynamicConfig = {
      http: {
        routers: {
          parent: { rule: "Host(`t.com`)", middlewares: ["strip"] },
          child: { rule: "PathPrefix(`/api`)", service: "api", parentRefs: ["parent"] },
          other: { rule: "PathPrefix(`/`)", service: "web", parentRefs: ["parent"] },
        },
        middlewares: config.http!.middlewares,
        services: config.http!.services,
      },
    };
    const { config: c, facts } = published(tree);
    const trusted = trustFacts(facts, "c0ffee", "v3")!;
    expect([...trusted.tree]).toEqual([["parent", ["child", "other"]]]);
    expect(trusted.index.order).toEqual(["parent"]);
    const snapshot = snapshotFromFacts(c, meta, null, trusted.index, NO_INTERNAL_SERVICES, "v3", trusted.tree);
    const route = snapshot.muxer.match(view("http://t.com/api/x"));
    expect(route?.name).toBe("parent");
    expect(route?.children?.match(view("http://t.com/api/x"))?.name).toBe("child");
    expect(route?.children?.match(view("http://t.com/web"))?.name).toBe("other");
  });
});

describe("revision", () => {
  it("worker/compile/revision.ts fingerprints the sources as they are (else run `npm run revision`)", () => {
    expect(REVISION).toBe(revision());
  });
});
