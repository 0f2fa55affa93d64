// Traefik v3's own rule test cases (see ../shared/conformance/README.md), run against the engine
// inside workerd. Every case must pass as written.
import { describe, expect, it } from "vitest";
import data from "../../../../shared/conformance/traefik-http-rules.json";
import {
  buildMuxer,
  compileRule,
  defaultPriority,
  viewFromDescription,
  type RequestDescription,
  type Route,
} from "../../../worker/rules/index.ts";

interface RuleCase {
  id: string;
  rule: string;
  requests: (RequestDescription & { match: boolean })[];
}
interface ErrorCase {
  id: string;
  rule: string;
  error: true;
}
interface PriorityCase {
  id: string;
  routes: { rule: string; priority?: number }[];
  request: RequestDescription;
  expectRoute: number;
}
type Case = RuleCase | ErrorCase | PriorityCase;

const cases = (data as { cases: Case[] }).cases;
const isError = (c: Case): c is ErrorCase => "error" in c;
const isPriority = (c: Case): c is PriorityCase => "routes" in c;

function compiled(rule: string) {
  const r = compileRule(rule);
  if (!r.ok) throw new Error(`${rule}: ${r.error.message}`);
  return r.value;
}

describe("Traefik conformance", () => {
  it("has cases of every kind", () => {
    expect(cases.filter(isError).length).toBeGreaterThan(0);
    expect(cases.filter(isPriority).length).toBeGreaterThan(0);
    expect(cases.filter((c) => !isError(c) && !isPriority(c)).length).toBeGreaterThan(0);
  });

  for (const c of cases.filter(isError)) {
    it(`${c.id}: rejects ${c.rule}`, () => {
      const r = compileRule(c.rule);
      expect(r.ok).toBe(false);
    });
  }

  for (const c of cases.filter(isPriority)) {
    it(`${c.id}: routes to #${c.expectRoute}`, () => {
      const routes: Route<number>[] = c.routes.map((r, i) => ({
        name: `route${i}`,
        rule: compiled(r.rule),
        priority: r.priority ?? defaultPriority(r.rule),
        handler: i,
      }));
      expect(buildMuxer(routes).match(viewFromDescription(c.request))?.handler).toBe(c.expectRoute);
    });
  }

  for (const c of cases.filter((c): c is RuleCase => !isError(c) && !isPriority(c))) {
    it(`${c.id}: ${c.rule}`, () => {
      const rule = compiled(c.rule);
      for (const req of c.requests) {
        const { match, ...description } = req;
        expect(rule.match(viewFromDescription(description)), JSON.stringify(req)).toBe(match);
      }
    });
  }
});
