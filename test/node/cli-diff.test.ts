// How the CLI prints a field-level diff (switchyard diff, push, plan): one line per entry, and
// under a changed entry one line per field change, long values cut.
import { describe, expect, it } from "vitest";
import { describeDiff } from "../../cli/check.ts";
import { diffConfigFields } from "../../worker/config/index.ts";
import { canonicalJSON } from "../../worker/go/json.ts";

const side = (config: unknown) => ({ version: 0, canonical: canonicalJSON(config) });

describe("describeDiff", () => {
  it("prints entries, then each field change under a changed one", () => {
    const before = { http: { routers: { api: { rule: "Path(`/a`)", service: "s", priority: 3 }, old: { rule: "R", service: "s" } }, services: { s: { loadBalancer: { servers: [{ url: "http://a" }] } } } } };
    const after = { http: { routers: { api: { rule: "Path(`/b`)", service: "s", middlewares: ["m"] }, new: { rule: "R", service: "s" } }, services: { s: { loadBalancer: { servers: [{ url: "http://a" }, { url: "x".repeat(200) }] } } } } };
    expect(describeDiff(diffConfigFields(side(before), side(after)))).toEqual([
      "  + routers.new",
      "  - routers.old",
      "  ~ routers.api",
      '      + http.routers.api.middlewares: ["m"]',
      '      - http.routers.api.priority: 3',
      '      ~ http.routers.api.rule: "Path(`/a`)" -> "Path(`/b`)"',
      "  ~ services.s",
      `      + http.services.s.loadBalancer.servers[1]: {"url":"${"x".repeat(109)}...`,
    ]);
  });

  it("prints nothing when nothing changes", () => {
    const config = { http: { routers: { api: { rule: "R", service: "s" } } } };
    expect(describeDiff(diffConfigFields(side(config), side(config)))).toEqual([]);
  });
});
