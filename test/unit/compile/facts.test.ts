// Load facts (worker/compile/facts.ts): the store's record of a config it admitted, and the
// snapshot an isolate builds from them (snapshot.ts snapshotFromFacts) without validating again.
import { describe, expect, it } from "vitest";
import { checkConfig } from "../../../worker/compile/check.ts";
import { FACTS_FORMAT, factsOf, trustFacts, type LoadFacts } from "../../../worker/compile/facts.ts";
import { NO_INTERNAL_SERVICES } from "../../../worker/compile/internal.ts";
import { REVISION } from "../../../worker/compile/revision.ts";
import { compileSnapshot, snapshotFromFacts } from "../../../worker/compile/snapshot.ts";
import { validateConfig, type DynamicConfig } from "../../../worker/config/index.ts";
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

/** What the store publishes for `config`, through JSON as KV carries it. */
function published(c: DynamicConfig, sha256 = "c0ffee"): { config: DynamicConfig; facts: unknown } {
  const valid = validateConfig(c);
  if (!valid.ok) throw new Error(valid.errors[0]!.message);
  const checked = checkConfig(valid.config, { internal: NO_INTERNAL_SERVICES, rules: valid.rules });
  if (!checked.ok) throw new Error(checked.errors[0]!.message);
  const parsed = JSON.parse(JSON.stringify(valid.config)) as DynamicConfig;
  const facts: LoadFacts = factsOf(sha256, parsed, checked.routes, valid.warnings, "v3");
  return { config: parsed, facts: JSON.parse(JSON.stringify(facts)) };
}

const view = (url: string) => viewFromDescription({ method: "GET", url, headers: {} });

describe("load facts", () => {
  it("are trusted for the config, revision and rule syntax they name, and nothing else", () => {
    const { config: c, facts } = published(config);
    const trust = (f: unknown, sha = "c0ffee", syntax: "v2" | "v3" = "v3") => trustFacts(f, sha, syntax, c);
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
    // Routers are named by position among the config's: one past them, or not a position, is refused.
    for (const bad of [[3, 0, 1], ["0", 1, 2], [0.5, 1, 2], [-1, 1, 2], ["length"]]) expect(trust({ ...f, index: { ...index, routers: bad } })).toBeNull();
    // A config with fewer routers than the facts index (the sha256 binds facts to their config).
    expect(trustFacts(facts, "c0ffee", "v3", { http: { routers: { x: {}, y: {} } } })).toBeNull();
    for (const bad of [null, undefined, "facts", [], 3]) expect(trust(bad)).toBeNull();
  });

  it("carry the validation warnings", () => {
    const withWarning: DynamicConfig = { http: { ...config.http, routers: { ...config.http!.routers, tls: { rule: "Host(`t.com`)", service: "web", tls: {} } } } };
    const valid = validateConfig(withWarning);
    expect(valid.ok && valid.warnings.length).toBeGreaterThan(0);
    const p = published(withWarning);
    const trusted = trustFacts(p.facts, "c0ffee", "v3", p.config);
    expect(trusted?.warnings).toEqual(valid.ok ? valid.warnings : []);
  });

  it("a snapshot from facts routes as the compiled one, building routes and services on first use", () => {
    const { config: c, facts } = published(config);
    const trusted = trustFacts(facts, "c0ffee", "v3", c)!;
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
    const index = trustFacts(facts, "c0ffee", "v3", c)!.index;
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
    const index = trustFacts(facts, "c0ffee", "v3", c)!.index;
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
    const trusted = trustFacts(facts, "c0ffee", "v3", c)!;
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
