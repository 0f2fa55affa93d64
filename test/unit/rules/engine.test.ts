// The rule engine beyond Traefik's own cases: errors, precedence, indexing, the muxer, the views.
import { describe, expect, it } from "vitest";
import {
  buildMuxer,
  compileRule,
  defaultPriority,
  viewFromDescription,
  viewFromRequest,
  type RequestDescription,
  type Route,
} from "../../../worker/rules/index.ts";
import { rule } from "../../worker/helpers/rules.ts";


function error(src: string) {
  const r = compileRule(src);
  if (r.ok) throw new Error(`${src} compiled`);
  return r.error;
}

const get = (url: string, extra: Partial<RequestDescription> = {}) => viewFromDescription({ method: "GET", url, ...extra });
const matches = (src: string, url: string, extra: Partial<RequestDescription> = {}) => rule(src).match(get(url, extra));

function route(name: string, src: string, priority?: number): Route<string> {
  return { name, rule: rule(src), priority: priority ?? defaultPriority(src), handler: name };
}

describe("syntax errors", () => {
  it("give the 0-based position and what was expected", () => {
    expect(error("Host(`a`) && (Path(`/b`)")).toEqual({ position: 24, message: 'expected ")" at 24, found end of rule' });
    const unknown = error("Hots(`example.com`)");
    expect(unknown.position).toBe(0);
    expect(unknown.message).toMatch(/^unknown matcher "Hots" at 0 \(did you mean Host\?\); expected one of Host, HostRegexp, /);
    expect(error("")).toMatchObject({ position: 0, message: expect.stringMatching(/^empty rule at 0/) });
    expect(error("Host(example.com)")).toMatchObject({ position: 5, message: expect.stringMatching(/^expected a quoted argument at 5/) });
    expect(error("Host(`a`) & Path(`/`)")).toMatchObject({ position: 10, message: expect.stringContaining('did you mean "&&"') });
    expect(error("Host(`a`) Path(`/`)").position).toBe(10);
    expect(error("Host(`a").message).toBe("unterminated string at 5; expected a closing backtick");
    expect(error('Host("a\\qb")').position).toBe(7);
    expect(error("Host(`a`) &&").message).toMatch(/^unexpected end of rule at 12; expected a matcher/);
  });

  it("reports argument errors at the argument", () => {
    expect(error("Host(`a`) && Path(`css`)")).toMatchObject({ position: 18, message: expect.stringContaining("Path(`/css`)") });
    expect(error("Header(`X-A`, ``)").position).toBe(14);
    expect(error("Method(`GET`, `POST`)")).toMatchObject({ position: 0, message: expect.stringContaining("takes 1 argument, got 2") });
    expect(error("Host(`🦭.com`)").message).toContain("xn--9t9h.com");
    expect(error("Host(`/`)")).toMatchObject({ position: 5, message: expect.stringContaining("not a host name") });
    expect(error("Host(`a.com/x`)").position).toBe(5);
    for (const ok of ["Host(`10::10`)", "Host(`[::1]`)", "Host(`my_host.local`)", "Host(`a.com:8080`)", "Host(`*`)", "Host(`**.a.com`)"]) {
      expect(compileRule(ok).ok, ok).toBe(true);
    }
    expect(error("ClientIP(`10.0.0.0/33`)").position).toBe(9);
  });

  it("follows Go: a rule cannot go on after a newline that ends a call", () => {
    expect(error("Host(`a`)\n&& Path(`/`)").message).toContain("new line");
    expect(compileRule("Host(`a`) &&\n  Path(`/`)\n").ok).toBe(true);
    expect(compileRule("Host(\n`a`,\n)").ok).toBe(true);
  });

  it("takes Go string escapes in double quotes and raw text in backticks", () => {
    expect(matches('Path("/a\\x20b")', "http://h/a%20b")).toBe(true);
    expect(matches("Path(`/a\\x20b`)", "http://h/a%5Cx20b")).toBe(true);
    expect(matches('Path("/caf\\u00e9")', "http://h/caf%C3%A9")).toBe(true);
    expect(matches('Path("/caf\\303\\251")', "http://h/caf%C3%A9")).toBe(true);
  });
});

describe("operators", () => {
  it("binds ! tighter than &&, and && tighter than ||", () => {
    const r = rule('Host("example.com") || Host("example.org") && Path("/css")');
    expect(r.match(get("https://example.com/js"))).toBe(true);
    expect(r.match(get("https://example.org/js"))).toBe(false);
    expect(r.match(get("https://example.org/css"))).toBe(true);
    const n = rule('!Host("example.com") && Path("/css")');
    expect(n.match(get("https://example.org/css"))).toBe(true);
    expect(n.match(get("https://example.com/css"))).toBe(false);
    expect(matches("!!Host(`a.com`)", "http://a.com/")).toBe(true);
    expect(matches("!(Host(`a.com`) || Path(`/x`))", "http://b.com/x")).toBe(false);
  });
});

describe("matcher names", () => {
  it("accept the four spellings Traefik registers", () => {
    for (const name of ["PathPrefix", "pathprefix", "PATHPREFIX", "Pathprefix"]) {
      expect(matches(`${name}(\`/css\`)`, "http://h/css/a.css"), name).toBe(true);
    }
    expect(matches("hostregexp(`^a`) && CLIENTIP(`10.0.0.0/8`)", "http://ab/", { remoteAddr: "10.1.1.1:5" })).toBe(true);
  });

  it("reject other casings, saying which are accepted", () => {
    expect(error("pathPrefix(`/css`)").message).toContain("write PathPrefix, pathprefix, PATHPREFIX, Pathprefix");
  });
});

describe("Host", () => {
  it("ignores case and port, and one trailing dot on either side", () => {
    expect(matches("Host(`Example.COM`)", "http://EXAMPLE.com:8080/")).toBe(true);
    expect(matches("Host(`example.com.`)", "http://example.com/")).toBe(true);
    expect(matches("Host(`example.com`)", "http://example.com./")).toBe(true);
    expect(matches("Host(`example.com`)", "http://example.com../")).toBe(false);
  });

  it("matches IPv6 hosts without brackets", () => {
    expect(matches("Host(`::1`)", "http://[::1]:8080/")).toBe(true);
    expect(matches("Host(`::1`)", "http://[::1]/")).toBe(true);
    expect(matches("Host(`[::1]`)", "http://[::1]/")).toBe(false);
  });

  it("supports Traefik's *, *.domain and **.domain expressions", () => {
    expect(matches("Host(`*`)", "http://anything.example/")).toBe(true);
    expect(matches("Host(`*`)", "/no-host")).toBe(false);
    expect(matches("Host(`*.example.com`)", "http://a.example.com/")).toBe(true);
    expect(matches("Host(`*.example.com`)", "http://a.b.example.com/")).toBe(false);
    expect(matches("Host(`*.example.com`)", "http://example.com/")).toBe(false);
    expect(matches("Host(`**.example.com`)", "http://a.b.example.com/")).toBe(true);
    expect(matches("Host(`**.example.com`)", "http://example.com/")).toBe(false);
    expect(matches("Host(`**.example.com`)", "http://fooexample.com/")).toBe(false);
  });

  it("takes the host from a Host header in a description", () => {
    expect(matches("Host(`b.com`)", "http://a.com/", { headers: { Host: "B.com:80" } })).toBe(true);
  });
});

describe("HostRegexp", () => {
  it("sees the host lower-cased and without port", () => {
    expect(matches("HostRegexp(`^[a-z]+\\.com$`)", "http://EXAMPLE.com:8080/")).toBe(true);
    expect(matches("HostRegexp(`^[A-Z]+\\.com$`)", "http://EXAMPLE.com/")).toBe(false);
  });

  it("matches every request when the pattern matches the empty string, as Traefik does", () => {
    expect(matches("HostRegexp(`^(www\\.)?$`)", "http://example.com/")).toBe(true);
  });
});

describe("Path", () => {
  it("matches the routing path: unreserved escapes decoded, reserved ones kept", () => {
    expect(matches("PathPrefix(`/foo bar`)", "http://h/foo%20bar/x")).toBe(true);
    expect(matches("Path(`/admin`)", "http://h/%61dmin")).toBe(true);
    expect(matches("Path(`/a/b`)", "http://h/a%2Fb")).toBe(false);
    expect(matches("Path(`/a%2Fb`)", "http://h/a%2Fb")).toBe(true);
    expect(matches("Path(`/a/b`)", "http://h/a%2fb")).toBe(false);
    expect(matches("PathRegexp(`^/{path:(css|js)}$`)", "http://h/{path:css}")).toBe(true);
  });
});

describe("Method, Header, Query", () => {
  it("upper-cases the method in the rule only", () => {
    expect(matches("Method(`get`)", "http://h/")).toBe(true);
    expect(rule("Method(`GET`)").match(viewFromDescription({ method: "get", url: "http://h/" }))).toBe(false);
  });

  it("looks at every line of a header, by case-insensitive name", () => {
    const headers = { "x-forwarded-proto": ["http", "https"] };
    expect(matches("Header(`X-Forwarded-Proto`, `https`)", "http://h/", { headers })).toBe(true);
    expect(matches("HeaderRegexp(`X-Forwarded-Proto`, `^https$`)", "http://h/", { headers })).toBe(true);
    expect(matches("Header(`Host`, `h`)", "http://h/", { headers: { Host: "h" } })).toBe(false);
  });

  it("parses the query as Go does", () => {
    expect(matches("Query(`mobile`)", "http://h/?mobile")).toBe(true);
    expect(matches("Query(`mobile`)", "http://h/?mobile=")).toBe(true);
    expect(matches("Query(`mobile`)", "http://h/?mobile=true")).toBe(false);
    expect(matches("QueryRegexp(`mobile`)", "http://h/?mobile")).toBe(true);
    expect(matches("Query(`q`, `a b`)", "http://h/?q=a+b")).toBe(true);
    expect(matches("Query(`q`, `a`)", "http://h/?q=a;x=1")).toBe(false);
    expect(matches("Query(`q`, `a`)", "http://h/?x=%zz&q=a")).toBe(true);
    expect(matches("Query(`q`, `é`)", "http://h/?q=%C3%A9")).toBe(true);
  });
});

describe("ClientIP", () => {
  const ip = (src: string, remoteAddr: string) => matches(src, "http://h/", { remoteAddr });

  it("reads the remote address with or without port", () => {
    expect(ip("ClientIP(`10.0.0.1`)", "10.0.0.1:1234")).toBe(true);
    expect(ip("ClientIP(`::1`)", "[::1]:80")).toBe(true);
    expect(ip("ClientIP(`::1`)", "::1")).toBe(true);
    expect(get("http://h/", { remoteAddr: "not an address" }).clientIP).toBeNull();
    expect(get("http://h/", { remoteAddr: "[::1]" }).clientIP).toBeNull();
    expect(ip("ClientIP(`127.0.0.0/8`)", "0127.0.0.1:80")).toBe(false);
  });

  it("matches IPv6 ranges and treats IPv4-mapped IPv6 as IPv4, as Go does", () => {
    expect(ip("ClientIP(`2001:db8::/32`)", "[2001:db8::1]:443")).toBe(true);
    expect(ip("ClientIP(`2001:db8::/32`)", "[2001:db9::1]:443")).toBe(false);
    expect(ip("ClientIP(`192.168.1.0/24`)", "[::ffff:192.168.1.5]:80")).toBe(true);
    expect(ip("ClientIP(`::ffff:10.0.0.0/104`)", "10.200.0.1:80")).toBe(true);
    expect(ip("ClientIP(`::/0`)", "10.0.0.1:80")).toBe(false);
    expect(ip("ClientIP(`fe80::1`)", "[fe80::1%eth0]:80")).toBe(true);
    expect(ip("ClientIP(`::1.2.3.4`)", "1.2.3.4")).toBe(false);
  });
});

describe("hosts for indexing", () => {
  const hosts = (src: string) => rule(src).hosts;

  it("lists the exact hosts a rule needs, or null", () => {
    expect(hosts("Host(`a.com`) || Host(`B.com`)")).toEqual(["a.com", "b.com"]);
    expect(hosts("Host(`a.com`) && Path(`/x`)")).toEqual(["a.com"]);
    expect(hosts("(Host(`a.com`) || Host(`b.com`)) && Method(`GET`)")).toEqual(["a.com", "b.com"]);
    expect(hosts("Host(`a.com`) || Path(`/x`)")).toBeNull();
    expect(hosts("!Host(`a.com`)")).toBeNull();
    expect(hosts("!!Host(`a.com`)")).toEqual(["a.com"]);
    expect(hosts("!(!Host(`a.com`) || !Host(`a.com`))")).toEqual(["a.com"]);
    expect(hosts("HostRegexp(`^a`)")).toBeNull();
    expect(hosts("Host(`*`)")).toBeNull();
    expect(hosts("Host(`*.a.com`)")).toBeNull();
    expect(hosts("Host(`a.com`) && Host(`b.com`)")).toEqual([]);
    expect(hosts("Host(`a.com.`) && Host(`a.com`)")).toEqual(["a.com."]);
  });

  it("lists the path prefixes a rule needs, or null", () => {
    expect(rule("Host(`a`) && PathPrefix(`/api`)").pathPrefixes).toEqual(["/api"]);
    expect(rule("Path(`/a`) || PathPrefix(`/b`)").pathPrefixes).toEqual(["/a", "/b"]);
    expect(rule("PathRegexp(`^/v1/[a-z]+`)").pathPrefixes).toEqual(["/v1/"]);
    expect(rule("PathRegexp(`/v1`)").pathPrefixes).toBeNull();
    expect(rule("!PathPrefix(`/a`)").pathPrefixes).toBeNull();
  });
});

describe("defaultPriority", () => {
  it("is the rule's length in bytes, less 2 per positive double-wildcard host", () => {
    expect(defaultPriority("Host(`example.org`)")).toBe(19);
    expect(defaultPriority("Path(`/é`)")).toBe(11);
    expect(defaultPriority("Host(`**.example.org`)")).toBe(22 - 2);
    expect(defaultPriority("!Host(`**.example.org`)")).toBe(23);
    expect(defaultPriority("Host(`*.example.org`)")).toBe(21);
    expect(defaultPriority("not a rule")).toBe(10);
  });
});

describe("buildMuxer", () => {
  it("picks the highest priority across the host bucket and the fallback list", () => {
    const mux = buildMuxer([
      route("host", "Host(`a.com`)", 10),
      route("any", "PathPrefix(`/`)", 20),
      route("host-high", "Host(`a.com`) && Path(`/x`)", 30),
    ]);
    expect(mux.size).toBe(3);
    expect(mux.match(get("http://a.com/x"))?.name).toBe("host-high");
    expect(mux.match(get("http://a.com/y"))?.name).toBe("any");
    expect(mux.match(get("http://b.com/y"))?.name).toBe("any");
    expect(buildMuxer([route("host", "Host(`a.com`)", 30), route("any", "PathPrefix(`/`)", 20)]).match(get("http://a.com/"))?.name).toBe("host");
  });

  it("defaults to longer rules first", () => {
    const mux = buildMuxer([route("short", "PathPrefix(`/a`)"), route("long", "PathPrefix(`/a/b`)")]);
    expect(mux.match(get("http://h/a/b/c"))?.name).toBe("long");
    expect(mux.match(get("http://h/a/c"))?.name).toBe("short");
  });

  it("breaks ties by provider precedence, then by the order routes were given", () => {
    const routes = [route("one@docker", "PathPrefix(`/a`)", 5), route("two@file", "PathPrefix(`/a`)", 5)];
    expect(buildMuxer(routes).match(get("http://h/a"))?.name).toBe("one@docker");
    expect(buildMuxer([...routes].reverse()).match(get("http://h/a"))?.name).toBe("two@file");
    expect(buildMuxer(routes, { providersPrecedence: ["file", "docker"] }).match(get("http://h/a"))?.name).toBe("two@file");
  });

  it("ignores trailing dots on both the rule's host and the request's", () => {
    const mux = buildMuxer([route("dot", "Host(`a.com.`)"), route("plain", "Host(`b.com`)")]);
    const view = get("http://a.com/");
    expect(mux.match(view)?.name).toBe("dot");
    expect(view.host).toBe("a.com"); // the index hands the view the same text, never the rule's dot
    expect(mux.match(get("http://a.com/"))?.name).toBe("dot");
    expect(mux.match(get("http://a.com./"))?.name).toBe("dot");
    expect(mux.match(get("http://b.com./"))?.name).toBe("plain");
  });

  it("tries only rules of the request's host, and host-less rules of a matching path prefix", () => {
    let tried = 0;
    const counted = (r: Route<string>): Route<string> => ({
      ...r,
      rule: { ...r.rule, match: (v) => (tried++, r.rule.match(v)) },
    });
    const routes = Array.from({ length: 1000 }, (_, i) => counted(route(`r${i}`, `Host(\`h${i}.com\`) && PathPrefix(\`/p${i % 10}\`)`)));
    routes.push(...Array.from({ length: 100 }, (_, i) => counted(route(`f${i}`, `PathPrefix(\`/f${i}/\`) && Method(\`POST\`)`))));
    const mux = buildMuxer(routes);
    expect(mux.match(get("http://h500.com/p0"))?.name).toBe("r500");
    expect(tried).toBe(1);
    tried = 0;
    // h500.com's one route (too few to index by path), then the one host-less route under /f7/.
    expect(mux.match(get("http://h500.com/f7/x"))).toBeNull();
    expect(tried).toBe(2);
    tried = 0;
    expect(mux.match(get("http://elsewhere.com/f7/x"))).toBeNull();
    expect(tried).toBe(1);
  });

  it("indexes wildcard hosts by their suffix", () => {
    let tried = 0;
    const counted = (r: Route<string>): Route<string> => ({ ...r, rule: { ...r.rule, hostIndex: r.rule.hostIndex, match: (v) => (tried++, r.rule.match(v)) } });
    const routes = Array.from({ length: 500 }, (_, i) =>
      counted(route(`t${i}`, i % 2 ? `HostRegexp(\`^[a-z]+\\.t${i}\\.example\\.com$\`)` : `Host(\`*.t${i}.example.com\`)`)),
    );
    const mux = buildMuxer(routes);
    expect(mux.match(get("http://acme.t77.example.com/"))?.name).toBe("t77");
    expect(mux.match(get("http://acme.t78.example.com./"))?.name).toBe("t78");
    expect(mux.match(get("http://a.b.t78.example.com/"))).toBeNull();
    expect(tried).toBe(3);
    expect(rule("HostRegexp(`^[a-z]+\\.example\\.com$`) || Host(`a.org`)").hostIndex).toEqual({ exact: ["a.org"], suffixes: [".example.com"] });
    expect(rule("HostRegexp(`^[a-z]+\\.example\\.com$`) || Host(`a.org`)").hosts).toBeNull();
    expect(rule("HostRegexp(`.*`)").hostIndex).toBeNull();
    // One exact host, the commonest case, is the string itself; two make a list.
    expect(rule("Host(`a.org`) && PathPrefix(`/x`)").hostIndex).toBe("a.org");
    expect(rule("Host(`a.org`) && PathPrefix(`/x`)").hosts).toEqual(["a.org"]);
    expect(rule("Host(`a.org`) || Host(`b.org`)").hostIndex).toEqual({ exact: ["a.org", "b.org"], suffixes: [] });
  });

  it("tries a route listed under two prefixes once, in order", () => {
    const mux = buildMuxer([route("both", "PathPrefix(`/a`) || PathPrefix(`/ab`)", 1), route("ab", "PathPrefix(`/ab`)", 2)]);
    expect(mux.match(get("http://h/abc"))?.name).toBe("ab");
    expect(mux.match(get("http://h/ax"))?.name).toBe("both");
  });

  it("is immutable", () => {
    const mux = buildMuxer([route("a", "Path(`/`)")]);
    expect(Object.isFrozen(mux)).toBe(true);
    expect(buildMuxer([]).match(get("http://h/"))).toBeNull();
  });
});

describe("viewFromRequest", () => {
  it("reads a Workers Request, with comma-folded header lines split back", () => {
    const headers = new Headers();
    headers.append("X-Forwarded-Proto", "http");
    headers.append("X-Forwarded-Proto", "https");
    headers.set("CF-Connecting-IP", "203.0.113.9");
    const req = new Request("https://API.Example.com:8443/a%20b?q=1&q=2", { method: "POST", headers });
    const view = viewFromRequest(req, "203.0.113.7");
    expect(view.method).toBe("POST");
    expect(view.host).toBe("api.example.com");
    expect(view.path).toBe("/a b");
    expect(view.query.get("q")).toEqual(["1", "2"]);
    expect(view.header("x-forwarded-proto")).toEqual(["http, https", "http", "https"]);
    expect(view.header("X-Missing")).toEqual([]);
    expect(view.header("cf-connecting-ip")).toEqual(["203.0.113.9"]);
    expect(view.header("X-FORWARDED-PROTO")).toEqual(["http, https", "http", "https"]);
    expect(view.header("Host")).toEqual([]);
    expect(view.clientIP).toBe("203.0.113.7");
    expect(rule("Header(`X-Forwarded-Proto`, `https`) && ClientIP(`203.0.113.0/24`)").match(view)).toBe(true);
    expect(rule("Header(`X-Forwarded-Proto`, `http, https`)").match(view)).toBe(true);
  });

  it("uses the URL it is given, and the client IP only as the caller passes it", () => {
    const req = new Request("http://ignored.example/");
    const view = viewFromRequest(req, null, new URL("http://[2001:db8::1]:8080/x"));
    expect(view.host).toBe("2001:db8::1");
    expect(view.path).toBe("/x");
    expect(view.clientIP).toBeNull();
    expect(viewFromRequest(req, "garbage").clientIP).toBeNull();
    expect(viewFromRequest(req, "2001:db8::5").clientIP).toBe("2001:db8::5");
  });
});

describe("explain", () => {
  it("shows each sub-expression and its result", () => {
    const r = rule("Host(`a.com`) && (PathPrefix(`/api`) || !Method(`GET`))");
    const trace = r.explain(get("http://a.com/web"));
    expect(trace).toEqual({
      expr: "Host(`a.com`) && (PathPrefix(`/api`) || !Method(`GET`))",
      op: "and",
      result: false,
      children: [
        { expr: "Host(`a.com`)", result: true, detail: 'host "a.com"' },
        {
          expr: "(PathPrefix(`/api`) || !Method(`GET`))",
          op: "or",
          result: false,
          children: [
            { expr: "PathPrefix(`/api`)", result: false, detail: 'path "/web"' },
            { expr: "!Method(`GET`)", op: "not", result: false, children: [{ expr: "Method(`GET`)", result: true, detail: 'method "GET"' }] },
          ],
        },
      ],
    });
    expect(r.explain(get("http://a.com/api")).result).toBe(r.match(get("http://a.com/api")));
  });

  it("flattens chains of the same operator", () => {
    const trace = rule("Path(`/a`) || Path(`/b`) || Path(`/c`)").explain(get("http://h/c"));
    expect(trace.children?.map((c) => c.result)).toEqual([false, false, true]);
  });
});

describe("shared matchers", () => {
  it("are shared only between identical matchers", () => {
    const a = rule('Header("a\\x00b", "c")');
    const b = rule('Header("a", "b\\x00c")');
    const view = get("http://h/", { headers: { a: "b\u0000c" } });
    expect(b.match(view)).toBe(true);
    expect(a.match(view)).toBe(false);
    expect(rule("Query(`q`)").match(get("http://h/?q=x"))).toBe(false);
    expect(rule("Query(`q`, `x`)").match(get("http://h/?q=x"))).toBe(true);
    expect(rule("Query(`q`)").match(get("http://h/?q"))).toBe(true);
    expect(rule("QueryRegexp(`q`, `x`)").match(get("http://h/?q=axb"))).toBe(true);
  });

  it("do not confuse explain(): each rule shows its own text", () => {
    rule("PathPrefix(`/api`)");
    const trace = rule("Host(`a.com`) && PathPrefix(`/api`)").explain(get("http://a.com/api"));
    expect(trace.children?.map((c) => c.expr)).toEqual(["Host(`a.com`)", "PathPrefix(`/api`)"]);
  });
});
