// Explain in detail (worker/rules/verdicts.ts): the sub-expression that made a rule false, on
// rules and requests from Traefik's pkg/muxer/http/mux_test.go (TestMuxer), and the verdicts of
// every route in route order, the same through buildMuxer and the lazy muxer.
import { describe, expect, it } from "vitest";
import { buildMuxer, compileRule, defaultPriority, failedPart, verdicts, type Route } from "../../../worker/rules/index.ts";
import { lazyOf, routesOf, view } from "../../worker/helpers/rules.ts";

function failed(rule: string, url: string): string | null {
  const compiled = compileRule(rule);
  if (!compiled.ok) throw new Error(compiled.error.message);
  const trace = compiled.value.explain(view(url));
  // The trace's verdict is the hot matcher's.
  expect(trace.result, `${rule} ${url}`).toBe(compiled.value.match(view(url)));
  return failedPart(trace)?.expr ?? null;
}

describe("failedPart, on Traefik's TestMuxer rules", () => {
  // [rule, url, the part that failed (null: matched; Traefik's 200)]
  const cases: [string, string, string | null][] = [
    ["Host(`localhost`) && PathPrefix(`/css`)", "https://localhost/css", null],
    ["Host(`localhost`) && PathPrefix(`/css`)", "https://localhost/js", "PathPrefix(`/css`)"],
    ["Host(`localhost`) && PathPrefix(`/css`)", "https://other/js", "Host(`localhost`)"],
    // A && B with both false: the first, where evaluation stops.
    ["Host(`example.com`) || Host(`example.org`)", "https://example.eu/", "Host(`example.com`) || Host(`example.org`)"],
    ['Host("example.com") || (Host("example.org") && Path("/css"))', "https://example.org/js", 'Host("example.com") || (Host("example.org") && Path("/css"))'],
    ['(Host("example.com") || Host("example.org")) && Path("/css")', "https://example.com/js", 'Path("/css")'],
    ['(Host("example.com") || Host("example.org")) && Path("/css")', "https://example.eu/css", '(Host("example.com") || Host("example.org"))'],
    ['(Host("example.com") && Path("/js")) || ((Host("example.org")) && Path("/css"))', "https://example.com/css", '(Host("example.com") && Path("/js")) || ((Host("example.org")) && Path("/css"))'],
    ['PATHPREFIX("/css")', "https://example.com/js", 'PATHPREFIX("/css")'],
    ['!Host("example.com")', "https://example.org/", null],
    ['!Host("example.com")', "https://example.com/", '!Host("example.com")'],
    ['!(Host("example.com") || Host("example.org"))', "https://example.org/js", '!(Host("example.com") || Host("example.org"))'],
    ['!(Host("example.com") && !Path("/css"))', "https://example.com/js", '!(Host("example.com") && !Path("/css"))'],
    ['!Host("example.com") || !Path("/css")', "https://example.com/css", '!Host("example.com") || !Path("/css")'],
    ['!(!(Host("example.com") && Pathprefix("/css")))', "https://example.org/css", '!(!(Host("example.com") && Pathprefix("/css")))'],
    ['!(!(Host("example.com") && Pathprefix("/css")))', "https://example.com/css", null],
    // Inside a conjunction, a negation that failed is shown whole; a chain of && reads left to right.
    ["Host(`a.com`) && !PathPrefix(`/admin`) && Method(`GET`)", "https://a.com/admin/x", "!PathPrefix(`/admin`)"],
    ["Host(`a.com`) && PathPrefix(`/api`) && Method(`POST`)", "https://a.com/api", "Method(`POST`)"],
  ];
  for (const [rule, url, want] of cases) it(`${rule} against ${url}`, () => expect(failed(rule, url)).toBe(want));
});

describe("verdicts", () => {
  const routes = routesOf([
    ["short", "Host(`a.com`)"],
    ["api", "Host(`a.com`) && PathPrefix(`/api`)"],
    ["post", "Host(`a.com`) && PathPrefix(`/api`) && Method(`POST`)"],
    ["other", "Host(`b.com`)"],
  ]);

  it("lists every route in route order: matched ones (the served one and shadowed ones) and what failed in the others", () => {
    const v = verdicts(buildMuxer(routes), view("https://a.com/api/x"));
    expect(v.truncated).toBe(false);
    expect(v.routers).toEqual([
      { router: "post", priority: defaultPriority("Host(`a.com`) && PathPrefix(`/api`) && Method(`POST`)"), rule: "Host(`a.com`) && PathPrefix(`/api`) && Method(`POST`)", matched: false, failed: "Method(`POST`)", saw: 'method "GET"' },
      { router: "api", priority: defaultPriority("Host(`a.com`) && PathPrefix(`/api`)"), rule: "Host(`a.com`) && PathPrefix(`/api`)", matched: true },
      { router: "short", priority: defaultPriority("Host(`a.com`)"), rule: "Host(`a.com`)", matched: true },
      { router: "other", priority: defaultPriority("Host(`b.com`)"), rule: "Host(`b.com`)", matched: false, failed: "Host(`b.com`)", saw: 'host "a.com"' },
    ]);
  });

  it("the lazy muxer gives the same verdicts, building only the routes it lists", () => {
    const eager = verdicts(buildMuxer(routes), view("https://b.com/"));
    const { muxer, built } = lazyOf(routes);
    expect(verdicts(muxer, view("https://b.com/"))).toEqual(eager);
    const { muxer: fresh, built: few } = lazyOf(routes);
    expect(verdicts(fresh, view("https://zzz.com/"), 2)).toEqual({ routers: eager.routers.slice(0, 2).map((r) => ({ ...r, ...(r.router === "other" ? {} : { saw: 'host "zzz.com"' }) })), truncated: true });
    // Two listed, one more built to know there are more.
    expect(few).toEqual(["post", "api", "short"]);
    expect(built.length).toBe(4);
  });

  it("caps at the limit and says so", () => {
    const many = routesOf(Array.from({ length: 250 }, (_, i) => [`r${i}`, `Host(\`h${i}.com\`)`] as const));
    const v = verdicts(buildMuxer(many), view("https://none.com/"));
    expect(v.routers).toHaveLength(200);
    expect(v.truncated).toBe(true);
    expect(verdicts(buildMuxer(many.slice(0, 200)), view("https://none.com/")).truncated).toBe(false);
  });

  it("then the children of each parent the request went through, marked with their parent", () => {
    const children = buildMuxer(routesOf([["child-api", "PathPrefix(`/api`)"], ["child-web", "PathPrefix(`/web`)"]]));
    const parentRule = compileRule("Host(`t.com`)");
    if (!parentRule.ok) throw new Error("rule");
    const parent: Route<string> = { name: "parent", rule: parentRule.value, priority: 10, handler: "parent", children };
    const v = verdicts(buildMuxer([parent, ...routesOf([["x", "Host(`x.com`)"]])]), view("https://t.com/web/1"));
    expect(v.routers.map((r) => [r.router, r.matched, r.parent ?? null, r.failed ?? null])).toEqual([
      ["x", false, null, "Host(`x.com`)"],
      ["parent", true, null, null],
      ["child-api", false, "parent", "PathPrefix(`/api`)"],
      ["child-web", true, "parent", null],
    ]);
  });
});
