// The quick router reader against the schema: whatever it reads, the schema reads the same (same
// fields, same key order, a list of its own) with nothing to report, and the key-case pass leaves
// alone; what it declines goes to the schema. Generated routers, valid or not, plus a config.
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../../worker/config/index.ts";
import { IssueList } from "../../../worker/config/issues.ts";
import { canonicalCase } from "../../../worker/config/keys.ts";
import { quickRouter } from "../../../worker/config/quick-router.ts";
import { routerSchema } from "../../../worker/schema/routers.ts";

const KEYS = ["rule", "service", "priority", "middlewares", "Rule", "SERVICE", "Priority", "ruleSyntax", "entryPoints", "tls", "observability", "parentRefs", "other", "__proto__"];
const VALUES: unknown[] = ["", "r", "Host(`a.com`)", "s@file", 0, 1, 7, -1, 1.5, 2 ** 53, "10", " 3 ", "x", null, true, false, [], ["a"], ["a", "b@file"], [1], ["a", null], [" a ", "b"], "a, b@file", {}, { a: 1 }];

function generated(seed: number): unknown[] {
  let x = seed;
  const rand = (n: number) => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) % n);
  const out: unknown[] = [null, [], "router", 5];
  for (let i = 0; i < 4000; i++) {
    // Mostly the common shape (rule, service, maybe priority and middlewares), then anything.
    const value: Record<string, unknown> = {};
    if (rand(8) > 0) value.rule = rand(6) === 0 ? VALUES[rand(VALUES.length)] : `Host(\`h${i}.example.com\`)`;
    if (rand(8) > 0) value.service = rand(6) === 0 ? VALUES[rand(VALUES.length)] : `svc${i % 7}`;
    if (rand(3) === 0) value.priority = rand(2) === 0 ? rand(100) : VALUES[rand(VALUES.length)];
    if (rand(3) === 0) value.middlewares = rand(2) === 0 ? ["auth", "rate@file"] : VALUES[rand(VALUES.length)];
    for (let k = rand(4) === 0 ? 1 + rand(2) : 0; k > 0; k--) {
      const key = KEYS[rand(KEYS.length)]!;
      Object.defineProperty(value, key, { value: VALUES[rand(VALUES.length)], enumerable: true, writable: true, configurable: true });
    }
    out.push(JSON.parse(JSON.stringify(value)));
  }
  return out;
}

describe("quick router reader", () => {
  it("reads a router exactly as the schema does, or leaves it to the schema", () => {
    let read = 0;
    let declined = 0;
    for (const value of generated(11)) {
      const quick = quickRouter(value);
      if (quick === undefined) {
        declined++;
        continue;
      }
      read++;
      const issues = new IssueList();
      expect(canonicalCase(value, routerSchema, ["http", "routers", "r"], issues)).toBe(value);
      expect(issues.items).toEqual([]);
      const parsed = routerSchema.safeParse(value);
      expect(parsed.success, JSON.stringify(value)).toBe(true);
      expect(quick).toEqual(parsed.data);
      expect(Object.keys(quick)).toEqual(Object.keys(parsed.data!));
      const list = (value as { middlewares?: unknown }).middlewares;
      if (list !== undefined) expect(quick.middlewares).not.toBe(list);
    }
    // Both paths are exercised.
    expect(read).toBeGreaterThan(1000);
    expect(declined).toBeGreaterThan(1000);
  });

  it("declines quoted numbers, other keys, keys in other case and empty strings", () => {
    expect(quickRouter({ rule: "Path(`/`)", service: "s", priority: "10" })).toBeUndefined();
    expect(quickRouter({ rule: "Path(`/`)", service: "s", entryPoints: ["web"] })).toBeUndefined();
    expect(quickRouter({ Rule: "Path(`/`)", service: "s" })).toBeUndefined();
    expect(quickRouter({ rule: "", service: "s" })).toBeUndefined();
    expect(quickRouter({ rule: "Path(`/`)", service: "s", priority: -1 })).toBeUndefined();
    expect(quickRouter({ rule: "Path(`/`)", service: "s", priority: 2 ** 53 })).toBeUndefined();
    expect(quickRouter(JSON.parse('{"rule":"Path(`/`)","service":"s","__proto__":{}}'))).toBeUndefined();
    expect(quickRouter({ rule: "Path(`/`)", service: "s", priority: 0, middlewares: [] })).toEqual({ rule: "Path(`/`)", priority: 0, middlewares: [], service: "s" });
  });

  it("gives validation the same config and issues as the schema alone would", () => {
    const routers = Object.fromEntries((generated(5) as Record<string, unknown>[]).slice(0, 400).map((r, i) => [i % 50 === 0 ? `bad@name${i}` : `r${i}`, r]));
    const raw = { http: { routers, services: { s: { loadBalancer: { servers: [{ url: "http://127.0.0.1:1" }] } } } } };
    const viaQuick = validateConfig(JSON.parse(JSON.stringify(raw)));
    // The same routers, each with one more key the quick reader does not take (and the schema
    // warns about): the schema reads them all, then the extra key's warning is set aside.
    const slow = JSON.parse(JSON.stringify(raw)) as typeof raw;
    for (const r of Object.values(slow.http.routers) as unknown[]) {
      if (r !== null && typeof r === "object" && !Array.isArray(r) && !("entryPoints" in r)) (r as Record<string, unknown>).entryPoints = ["web"];
    }
    const viaSchema = validateConfig(slow);
    const strip = (issues: readonly { path: string }[]) => issues.filter((i) => !i.path.endsWith(".entryPoints"));
    const errorsOf = (v: ReturnType<typeof validateConfig>) => (v.ok ? [] : v.errors);
    expect(strip(errorsOf(viaQuick))).toEqual(strip(errorsOf(viaSchema)));
    expect(strip(viaQuick.warnings)).toEqual(strip(viaSchema.warnings));
  });
});
