// The field-level diff (issue 18): a table of before/after entries and the changes listed, the
// section name lists kept as the store makes them, and the bound on changes per entry.
import { describe, expect, it } from "vitest";
import { canonicalJSON } from "../../../worker/go/json.ts";
import { diffConfigFields, MAX_FIELD_CHANGES, type FieldChange } from "../../../worker/config/diff.ts";

const side = (version: number, config: unknown) => ({ version, canonical: canonicalJSON(config) });
const routers = (r: Record<string, unknown>) => ({ http: { routers: r } });

describe("diffConfigFields", () => {
  const cases: [string, unknown, unknown, FieldChange[]][] = [
    ["a leaf changed", { rule: "Path(`/a`)", service: "s" }, { rule: "Path(`/b`)", service: "s" }, [{ path: "http.routers.api.rule", op: "changed", from: "Path(`/a`)", to: "Path(`/b`)" }]],
    ["a field added", { rule: "R", service: "s" }, { rule: "R", service: "s", priority: 5 }, [{ path: "http.routers.api.priority", op: "added", to: 5 }]],
    ["a field removed", { rule: "R", service: "s", priority: 5 }, { rule: "R", service: "s" }, [{ path: "http.routers.api.priority", op: "removed", from: 5 }]],
    ["array elements by index", { rule: "R", service: "s", middlewares: ["a", "b"] }, { rule: "R", service: "s", middlewares: ["a", "c", "d"] }, [
      { path: "http.routers.api.middlewares[1]", op: "changed", from: "b", to: "c" },
      { path: "http.routers.api.middlewares[2]", op: "added", to: "d" },
    ]],
    ["a nested object, to the leaves", { rule: "R", service: "s", tls: { options: "a", domains: [{ main: "x" }] } }, { rule: "R", service: "s", tls: { options: "a", domains: [{ main: "y" }] } }, [
      { path: "http.routers.api.tls.domains[0].main", op: "changed", from: "x", to: "y" },
    ]],
    ["a type change is one change of the whole value", { rule: "R", service: "s", tls: {} }, { rule: "R", service: "s", tls: "on" }, [{ path: "http.routers.api.tls", op: "changed", from: {}, to: "on" }]],
    ["null to a value", { rule: "R", service: "s", tls: null }, { rule: "R", service: "s", tls: { options: "o" } }, [{ path: "http.routers.api.tls", op: "changed", from: null, to: { options: "o" } }]],
    ["an added entry is one change with its whole value", undefined, { rule: "R", service: "s" }, [{ path: "http.routers.api", op: "added", to: { rule: "R", service: "s" } }]],
    ["a removed entry likewise", { rule: "R", service: "s" }, undefined, [{ path: "http.routers.api", op: "removed", from: { rule: "R", service: "s" } }]],
  ];
  for (const [what, before, after, changes] of cases) {
    it(what, () => {
      const d = diffConfigFields(side(1, routers(before === undefined ? {} : { api: before })), side(2, routers(after === undefined ? {} : { api: after })));
      expect(d.routers.fields).toEqual({ api: changes });
      expect(d.routers.truncated).toBeUndefined();
    });
  }

  it("keeps the store's name lists, and names that need quoting are quoted as in validation errors", () => {
    const before = { http: { routers: { "my.router": { rule: "A", service: "s" }, same: { rule: "S", service: "s" } }, services: { s: { loadBalancer: { servers: [{ url: "http://a" }] } } } } };
    const after = { http: { routers: { "my.router": { rule: "B", service: "s" }, same: { rule: "S", service: "s" } }, middlewares: { m: { stripPrefix: { prefixes: ["/x"] } } } } };
    const d = diffConfigFields(side(3, before), side(4, after));
    expect(d).toMatchObject({ from: 3, to: 4 });
    expect(d.routers).toMatchObject({ added: [], removed: [], changed: ["my.router"] });
    expect(d.routers.fields).toEqual({ "my.router": [{ path: 'http.routers["my.router"].rule', op: "changed", from: "A", to: "B" }] });
    expect(d.services).toMatchObject({ removed: ["s"] });
    expect(d.middlewares.fields.m).toEqual([{ path: "http.middlewares.m", op: "added", to: { stripPrefix: { prefixes: ["/x"] } } }]);
    expect(d.serversTransports).toEqual({ added: [], removed: [], changed: [], fields: {} });
  });

  it("key order never counts, and __proto__ is a name like any other", () => {
    const a = JSON.parse('{"http":{"routers":{"__proto__":{"rule":"A","service":"s"}}}}') as unknown;
    const b = JSON.parse('{"http":{"routers":{"__proto__":{"service":"s","rule":"B"}}}}') as unknown;
    const d = diffConfigFields(side(1, a), side(2, b));
    expect(Object.keys(d.routers.fields)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(d.routers.fields, "__proto__")?.value).toEqual([{ path: "http.routers.__proto__.rule", op: "changed", from: "A", to: "B" }]);
    expect(JSON.parse(JSON.stringify(d.routers.fields))).toEqual(JSON.parse('{"__proto__":[{"path":"http.routers.__proto__.rule","op":"changed","from":"A","to":"B"}]}'));
    expect(diffConfigFields(side(1, a), side(2, a)).routers).toEqual({ added: [], removed: [], changed: [], fields: {} });
  });

  it(`lists at most ${MAX_FIELD_CHANGES} changes per entry and names the entries cut`, () => {
    const many = (n: number, tag: string) => ({ loadBalancer: { servers: Array.from({ length: n }, (_, i) => ({ url: `http://${tag}${i}` })) } });
    const d = diffConfigFields(side(1, { http: { services: { big: many(150, "a"), small: many(2, "a") } } }), side(2, { http: { services: { big: many(150, "b"), small: many(2, "b") } } }));
    expect(d.services.fields.big).toHaveLength(MAX_FIELD_CHANGES);
    expect(d.services.fields.big![99]).toMatchObject({ path: "http.services.big.loadBalancer.servers[99].url" });
    expect(d.services.fields.small).toHaveLength(2);
    expect(d.services.truncated).toEqual(["big"]);
  });
});
