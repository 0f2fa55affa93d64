// ruleSyntax per router and the default rule syntax (Traefik's core.defaultRuleSyntax, the
// Worker's DEFAULT_RULE_SYNTAX): validation and compilation read each rule in the same syntax.
import { describe, expect, it } from "vitest";
import { compileRoutes } from "../../../worker/compile/routes.ts";
import { effectiveRuleSyntax, parseDefaultRuleSyntax, validateConfig, type DynamicConfig } from "../../../worker/config/index.ts";
import { viewFromDescription } from "../../../worker/rules/index.ts";

const services = { web: { loadBalancer: { servers: [{ url: "http://10.0.0.1" }] } } };
const config = (routers: Record<string, object>) => ({ http: { routers, services } });
const V2_RULE = "Host(`a.com`, `b.com`)";

function routesOf(raw: object, defaultRuleSyntax?: "v2" | "v3") {
  const valid = validateConfig(raw, { defaultRuleSyntax });
  if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
  return compileRoutes(valid.config as DynamicConfig, (name) => name, [], valid.rules, defaultRuleSyntax);
}

describe("ruleSyntax and the default rule syntax", () => {
  it("ruleSyntax v2 is accepted and its rule compiled as v2; the same text is an error in v3, at http.routers.r.rule", () => {
    const routes = routesOf(config({ r: { rule: V2_RULE, ruleSyntax: "v2", service: "web" } }));
    expect(routes[0]!.rule.match(viewFromDescription({ method: "GET", url: "http://b.com/" }))).toBe(true);
    const v3 = validateConfig(config({ r: { rule: V2_RULE, service: "web" } }));
    expect(v3.ok ? [] : v3.errors.map((e) => e.path)).toEqual(["http.routers.r.rule"]);
  });

  it("routers without ruleSyntax take the default; ruleSyntax v3 overrides a v2 default", () => {
    const raw = config({ old: { rule: V2_RULE, service: "web" }, new: { rule: "Host(`*.c.com`)", ruleSyntax: "v3", service: "web" } });
    const routes = routesOf(raw, "v2");
    const view = viewFromDescription({ method: "GET", url: "http://x.c.com/" });
    expect(routes.map((r) => [r.name, r.rule.match(view)])).toEqual([["old", false], ["new", true]]);
    expect(validateConfig(raw).ok).toBe(false);
  });

  it("the same rule text in a v2 and a v3 router is compiled once for each syntax", () => {
    const rule = "Host(`*.c.com`)";
    const routes = routesOf(config({ a: { rule, ruleSyntax: "v2", service: "web" }, b: { rule, service: "web" } }));
    const view = viewFromDescription({ method: "GET", url: "http://x.c.com/" });
    expect(routes.map((r) => r.rule.match(view))).toEqual([false, true]);
  });

  it("the default priority follows the router's syntax (v2: the rule's length)", () => {
    const rule = "Host(`**.c.com`)";
    const routes = routesOf(config({ a: { rule, ruleSyntax: "v2", service: "web" }, b: { rule, service: "web" } }));
    expect(routes.map((r) => r.priority)).toEqual([rule.length, rule.length - 2]);
  });

  it("compiling without validation's rules reads them with the default too", () => {
    const raw = config({ r: { rule: V2_RULE, service: "web" } }) as DynamicConfig;
    const errors: Parameters<typeof compileRoutes>[2] = [];
    expect(compileRoutes(raw, (n) => n, errors, undefined, "v2")).toHaveLength(1);
    expect(errors).toEqual([]);
    expect(compileRoutes(raw, (n) => n, errors, undefined, "v3")).toEqual([]);
    expect(errors).toHaveLength(1);
  });

  it("settings: absent or empty is v3; v2 and v3 are taken; anything else is refused, naming the setting", () => {
    expect(parseDefaultRuleSyntax(undefined)).toEqual({ ok: true, value: "v3" });
    expect(parseDefaultRuleSyntax("")).toEqual({ ok: true, value: "v3" });
    expect(parseDefaultRuleSyntax("v2")).toEqual({ ok: true, value: "v2" });
    expect(parseDefaultRuleSyntax("V2")).toEqual({ ok: false, error: expect.stringContaining('unsupported DEFAULT_RULE_SYNTAX "V2"') });
    expect(effectiveRuleSyntax("", "v2")).toBe("v2");
    expect(effectiveRuleSyntax("default", "v3")).toBeNull();
  });
});
