// ruleSyntax v2, ported from Traefik's pkg/muxer/http/matcher_v2_test.go (each case names its Go
// test and case). A case either fails to compile or maps requests to match / no match; every
// request is also routed through the muxer, whose host and prefix index must agree with the rule.
import { describe, expect, it } from "vitest";
import { buildMuxer, compileRule, defaultPriority, viewFromDescription, type RequestDescription } from "../../../worker/rules/index.ts";

type Case = { test: string; desc: string; rule: string; error?: true; requests?: [RequestDescription, boolean][] };

const url = (u: string, match: boolean): [RequestDescription, boolean] => [{ method: "GET", url: u }, match];
const ip = (remoteAddr: string, match: boolean): [RequestDescription, boolean] => [{ method: "GET", url: "https://example.com", remoteAddr }, match];
const method = (m: string, match: boolean): [RequestDescription, boolean] => [{ method: m, url: "https://example.com" }, match];
const headers = (h: Record<string, string[]>, match: boolean): [RequestDescription, boolean] => [{ method: "GET", url: "https://example.com", headers: h }, match];

const CASES: Case[] = [
  // TestClientIPV2Matcher
  { test: "TestClientIPV2Matcher", desc: "invalid ClientIP matcher", rule: "ClientIP(`1`)", error: true },
  { test: "TestClientIPV2Matcher", desc: "invalid ClientIP matcher (no parameter)", rule: "ClientIP()", error: true },
  { test: "TestClientIPV2Matcher", desc: "invalid ClientIP matcher (empty parameter)", rule: "ClientIP(``)", error: true },
  { test: "TestClientIPV2Matcher", desc: "valid ClientIP matcher (many parameters)", rule: "ClientIP(`127.0.0.1`, `192.168.1.0/24`)", requests: [ip("127.0.0.1", true), ip("192.168.1.1", true)] },
  { test: "TestClientIPV2Matcher", desc: "valid ClientIP matcher", rule: "ClientIP(`127.0.0.1`)", requests: [ip("127.0.0.1", true), ip("192.168.1.1", false)] },
  { test: "TestClientIPV2Matcher", desc: "valid ClientIP matcher but invalid remote address", rule: "ClientIP(`127.0.0.1`)", requests: [ip("1", false)] },
  { test: "TestClientIPV2Matcher", desc: "valid ClientIP matcher using CIDR", rule: "ClientIP(`192.168.1.0/24`)", requests: [ip("192.168.1.1", true), ip("192.168.1.100", true), ip("192.168.2.1", false)] },
  // TestMethodV2Matcher
  { test: "TestMethodV2Matcher", desc: "invalid Method matcher (no parameter)", rule: "Method()", error: true },
  { test: "TestMethodV2Matcher", desc: "invalid Method matcher (empty parameter)", rule: "Method(``)", error: true },
  { test: "TestMethodV2Matcher", desc: "valid Method matcher (many parameters)", rule: "Method(`GET`, `POST`)", requests: [method("GET", true), method("POST", true)] },
  { test: "TestMethodV2Matcher", desc: "valid Method matcher", rule: "Method(`GET`)", requests: [method("GET", true), method("POST", false), method("get", false)] },
  { test: "TestMethodV2Matcher", desc: "valid Method matcher (lower case)", rule: "Method(`get`)", requests: [method("GET", true), method("POST", false), method("get", false)] },
  // TestHostV2Matcher
  { test: "TestHostV2Matcher", desc: "invalid Host matcher (no parameter)", rule: "Host()", error: true },
  { test: "TestHostV2Matcher", desc: "invalid Host matcher (empty parameter)", rule: "Host(``)", error: true },
  { test: "TestHostV2Matcher", desc: "invalid Host matcher (non-ASCII)", rule: "Host(`🦭.com`)", error: true },
  {
    test: "TestHostV2Matcher", desc: "valid Host matcher (many parameters)", rule: "Host(`example.com`, `example.org`)",
    requests: [url("https://example.com", true), url("https://example.com:8080", true), url("https://example.com/path", true), url("https://EXAMPLE.COM/path", true), url("https://example.org", true), url("https://example.org/path", true)],
  },
  {
    test: "TestHostV2Matcher", desc: "valid Host matcher", rule: "Host(`example.com`)",
    requests: [url("https://example.com", true), url("https://example.com:8080", true), url("https://example.com/path", true), url("https://EXAMPLE.COM/path", true), url("https://example.org", false), url("https://example.org/path", false)],
  },
  {
    test: "TestHostV2Matcher", desc: "valid Host matcher - matcher ending with a dot", rule: "Host(`example.com.`)",
    requests: [url("https://example.com", true), url("https://example.com/path", true), url("https://example.org", false), url("https://example.org/path", false), url("https://example.com.", true), url("https://example.com./path", true), url("https://example.org.", false), url("https://example.org./path", false)],
  },
  {
    test: "TestHostV2Matcher", desc: "valid Host matcher - URL ending with a dot", rule: "Host(`example.com`)",
    requests: [url("https://example.com.", true), url("https://example.com./path", true), url("https://example.org.", false), url("https://example.org./path", false)],
  },
  {
    test: "TestHostV2Matcher", desc: "valid Host matcher - matcher with UPPER case", rule: "Host(`EXAMPLE.COM`)",
    requests: [url("https://example.com", true), url("https://example.com/path", true), url("https://example.org", false), url("https://example.org/path", false)],
  },
  {
    // The emoji host of the Go case reaches Go as sent; a WHATWG URL punycodes it, so it is left out.
    test: "TestHostV2Matcher", desc: "valid Host matcher - puny-coded emoji", rule: "Host(`xn--9t9h.com`)",
    requests: [url("https://xn--9t9h.com", true), url("https://xn--9t9h.com/path", true), url("https://example.com", false), url("https://example.com/path", false)],
  },
  // TestHostRegexpV2Matcher
  { test: "TestHostRegexpV2Matcher", desc: "invalid HostRegexp matcher (no parameter)", rule: "HostRegexp()", error: true },
  { test: "TestHostRegexpV2Matcher", desc: "invalid HostRegexp matcher (empty parameter)", rule: "HostRegexp(``)", error: true },
  { test: "TestHostRegexpV2Matcher", desc: "invalid HostRegexp matcher (non-ASCII)", rule: "HostRegexp(`🦭.com`)", error: true },
  {
    test: "TestHostRegexpV2Matcher", desc: "valid HostRegexp matcher (invalid regexp)", rule: "HostRegexp(`(example.com`)",
    requests: [url("https://example.com", false), url("https://example.com:8080", false), url("https://example.com/path", false), url("https://example.org", false), url("https://example.org/path", false)],
  },
  {
    test: "TestHostRegexpV2Matcher", desc: "valid HostRegexp matcher (many parameters)", rule: "HostRegexp(`example.com`, `example.org`)",
    requests: [url("https://example.com", true), url("https://example.com:8080", true), url("https://example.com/path", true), url("https://example.org", true), url("https://example.org/path", true)],
  },
  {
    test: "TestHostRegexpV2Matcher", desc: "valid HostRegexp matcher with case sensitive regexp", rule: "HostRegexp(`^[A-Z]+\\.com$`)",
    requests: [url("https://example.com", false), url("https://EXAMPLE.com", false), url("https://example.com/path", false), url("https://example.org", false), url("https://example.org/path", false)],
  },
  {
    test: "TestHostRegexpV2Matcher", desc: "valid HostRegexp matcher with Traefik v2 syntax", rule: "HostRegexp(`{domain:[a-zA-Z-]+\\.com}`)",
    requests: [url("https://example.com", true), url("https://example.com/path", true), url("https://example.org", false), url("https://example.org/path", false)],
  },
  // TestPathV2Matcher
  { test: "TestPathV2Matcher", desc: "invalid Path matcher (no parameter)", rule: "Path()", error: true },
  { test: "TestPathV2Matcher", desc: "invalid Path matcher (empty parameter)", rule: "Path(``)", error: true },
  { test: "TestPathV2Matcher", desc: "invalid Path matcher (no leading /)", rule: "Path(`css`)", error: true },
  {
    test: "TestPathV2Matcher", desc: "valid Path matcher (many parameters)", rule: "Path(`/css`, `/js`)",
    requests: [url("https://example.com", false), url("https://example.com/html", false), url("https://example.org/css", true), url("https://example.com/css", true), url("https://example.com/css/", false), url("https://example.com/css/main.css", false), url("https://example.com/js", true), url("https://example.com/js/main.js", false)],
  },
  {
    test: "TestPathV2Matcher", desc: "valid Path matcher", rule: "Path(`/css`)",
    requests: [url("https://example.com", false), url("https://example.com/html", false), url("https://example.org/css", true), url("https://example.com/css", true), url("https://example.com/css/", false), url("https://example.com/css/main.css", false)],
  },
  {
    test: "TestPathV2Matcher", desc: "valid Path matcher with regexp", rule: "Path(`/css{path:(/.*)?}`)",
    requests: [url("https://example.com", false), url("https://example.com/css/main.css", true), url("https://example.org/css/main.css", true), url("https://example.com/css/components/component.css", true), url("https://example.com/css.css", false), url("https://example.com/js/main.js", false)],
  },
  // TestPathPrefixV2Matcher
  { test: "TestPathPrefixV2Matcher", desc: "invalid PathPrefix matcher (no parameter)", rule: "PathPrefix()", error: true },
  { test: "TestPathPrefixV2Matcher", desc: "invalid PathPrefix matcher (empty parameter)", rule: "PathPrefix(``)", error: true },
  { test: "TestPathPrefixV2Matcher", desc: "invalid PathPrefix matcher (no leading /)", rule: "PathPrefix(`css`)", error: true },
  {
    test: "TestPathPrefixV2Matcher", desc: "valid PathPrefix matcher (many parameters)", rule: "PathPrefix(`/css`, `/js`)",
    requests: [url("https://example.com", false), url("https://example.com/html", false), url("https://example.org/css", true), url("https://example.com/css", true), url("https://example.com/css/", true), url("https://example.com/css/main.css", true), url("https://example.com/js/", true), url("https://example.com/js/main.js", true)],
  },
  {
    test: "TestPathPrefixV2Matcher", desc: "valid PathPrefix matcher", rule: 'PathPrefix("/css")',
    requests: [url("https://example.com", false), url("https://example.com/html", false), url("https://example.org/css", true), url("https://example.com/css", true), url("https://example.com/css/", true), url("https://example.com/css/main.css", true)],
  },
  {
    test: "TestPathPrefixV2Matcher", desc: "valid PathPrefix matcher with regexp", rule: "PathPrefix(`/css-{name:[0-9]?}`)",
    requests: [url("https://example.com", false), url("https://example.com/css-1/main.css", true), url("https://example.org/css-222/main.css", true), url("https://example.com/css-333333/components/component.css", true), url("https://example.com/css.css", false), url("https://example.com/js/main.js", false)],
  },
  // TestHeadersMatcher. The Go cases' non-canonical header keys ({"x-forwarded-proto": …} set
  // straight into http.Header, not found by a canonical lookup) cannot arrive over HTTP: left out.
  { test: "TestHeadersMatcher", desc: "invalid Header matcher (no parameter)", rule: "Headers()", error: true },
  { test: "TestHeadersMatcher", desc: "invalid Header matcher (missing value parameter)", rule: "Headers(`X-Forwarded-Host`)", error: true },
  { test: "TestHeadersMatcher", desc: "invalid Header matcher (missing value parameter) #01", rule: "Headers(`X-Forwarded-Host`, ``)", error: true },
  { test: "TestHeadersMatcher", desc: "invalid Header matcher (missing key parameter)", rule: "Headers(``, `example.com`)", error: true },
  { test: "TestHeadersMatcher", desc: "invalid Header matcher (too many parameters)", rule: "Headers(`X-Forwarded-Host`, `example.com`, `example.org`)", error: true },
  ...["Headers(`X-Forwarded-Proto`, `https`)", "Headers(`x-forwarded-proto`, `https`)"].map((rule, i): Case => ({
    test: "TestHeadersMatcher", desc: i === 0 ? "valid Header matcher" : "valid Header matcher (non-canonical form)", rule,
    requests: [headers({ "X-Forwarded-Proto": ["https"] }, true), headers({ "X-Forwarded-Proto": ["http", "https"] }, true), headers({ "X-Forwarded-Proto": ["https", "http"] }, true), headers({ "X-Forwarded-Host": ["example.com"] }, false)],
  })),
  // TestHeaderRegexpV2Matcher
  { test: "TestHeaderRegexpV2Matcher", desc: "invalid HeaderRegexp matcher (no parameter)", rule: "HeaderRegexp()", error: true },
  { test: "TestHeaderRegexpV2Matcher", desc: "invalid HeaderRegexp matcher (missing value parameter)", rule: "HeadersRegexp(`X-Forwarded-Host`)", error: true },
  { test: "TestHeaderRegexpV2Matcher", desc: "invalid HeaderRegexp matcher (missing value parameter) #01", rule: "HeadersRegexp(`X-Forwarded-Host`, ``)", error: true },
  { test: "TestHeaderRegexpV2Matcher", desc: "invalid HeaderRegexp matcher (missing key parameter)", rule: "HeadersRegexp(``, `example.com`)", error: true },
  { test: "TestHeaderRegexpV2Matcher", desc: "invalid HeaderRegexp matcher (invalid regexp)", rule: "HeadersRegexp(`X-Forwarded-Host`,`(example.com`)", error: true },
  { test: "TestHeaderRegexpV2Matcher", desc: "invalid HeaderRegexp matcher (too many parameters)", rule: "HeadersRegexp(`X-Forwarded-Host`, `example.com`, `example.org`)", error: true },
  ...["HeadersRegexp(`X-Forwarded-Proto`, `^https?$`)", "HeadersRegexp(`x-forwarded-proto`, `^https?$`)"].map((rule, i): Case => ({
    test: "TestHeaderRegexpV2Matcher", desc: i === 0 ? "valid HeaderRegexp matcher" : "valid HeaderRegexp matcher (non-canonical form)", rule,
    requests: [headers({ "X-Forwarded-Proto": ["http"] }, true), headers({ "X-Forwarded-Proto": ["https"] }, true), headers({ "X-Forwarded-Proto": ["HTTPS"] }, false), headers({ "X-Forwarded-Proto": ["ws", "https"] }, true), headers({ "X-Forwarded-Host": ["example.com"] }, false)],
  })),
  {
    test: "TestHeaderRegexpV2Matcher", desc: "valid HeaderRegexp matcher with Traefik v2 syntax", rule: "HeadersRegexp(`X-Forwarded-Proto`, `http{secure:s?}`)",
    requests: [
      headers({ "X-Forwarded-Proto": ["http"] }, false), headers({ "X-Forwarded-Proto": ["https"] }, false), headers({ "X-Forwarded-Proto": ["http{secure:}"] }, true),
      headers({ "X-Forwarded-Proto": ["HTTP{secure:}"] }, false), headers({ "X-Forwarded-Proto": ["http{secure:s}"] }, true), headers({ "X-Forwarded-Proto": ["http{secure:S}"] }, false),
      headers({ "X-Forwarded-Proto": ["HTTPS"] }, false), headers({ "X-Forwarded-Proto": ["ws", "http{secure:s}"] }, true), headers({ "X-Forwarded-Host": ["example.com"] }, false),
    ],
  },
  // TestHostRegexp
  ...(
    [
      ["capturing group", "HostRegexp(`{subdomain:(foo\\.)?bar\\.com}`)", "foo.bar.com", "bar.com"],
      ["non capturing group", "HostRegexp(`{subdomain:(?:foo\\.)?bar\\.com}`)", "foo.bar.com", "bar.com"],
      ["regex insensitive", "HostRegexp(`{dummy:[A-Za-z-]+\\.bar\\.com}`)", "FOO.bar.com", "foo.bar.com"],
      ["insensitive host", "HostRegexp(`{dummy:[a-z-]+\\.bar\\.com}`)", "FOO.bar.com", "foo.bar.com"],
      ["insensitive host simple", "HostRegexp(`foo.bar.com`)", "FOO.bar.com", "foo.bar.com"],
    ] as const
  ).map(([desc, rule, a, b]): Case => ({
    test: "TestHostRegexp", desc, rule,
    requests: [url(`http://${a}`, true), url(`http://${b}`, true), url("http://fooubar.com", false), url("http://barucom", false), url("http://barcom", false)],
  })),
];

describe("ruleSyntax v2 (traefik pkg/muxer/http/matcher_v2_test.go)", () => {
  for (const c of CASES) {
    it(`${c.test} "${c.desc}"`, () => {
      const compiled = compileRule(c.rule, "v2");
      if (c.error) {
        expect(compiled.ok).toBe(false);
        return;
      }
      if (!compiled.ok) throw new Error(compiled.error.message);
      const muxer = buildMuxer([{ name: "r", rule: compiled.value, priority: defaultPriority(c.rule, "v2"), handler: "r" }]);
      for (const [request, match] of c.requests ?? []) {
        const view = viewFromDescription(request);
        expect({ request, match: compiled.value.match(view) }).toEqual({ request, match });
        expect({ request, routed: muxer.match(viewFromDescription(request)) !== null }).toEqual({ request, routed: match });
      }
    });
  }
});

// traefik pkg/muxer/http/matcher_v2_test.go Test_addRoute (a copy of v2's mux_test.go): each case
// is [desc, rule, "error" | { url: match }, headers, remoteAddr]; requests are GETs.
type AddRoute = [string, string, "error" | Record<string, boolean>, Record<string, string>?, string?];
const ok = (...urls: string[]) => Object.fromEntries(urls.map((u) => [u, true]));
const ADD_ROUTE: AddRoute[] = [
  ["no tree", "", "error"],
  ["Rule with no matcher", "rulewithnotmatcher", "error"],
  ["Host empty", "Host(``)", "error"],
  ["PathPrefix empty", "PathPrefix(``)", "error"],
  ["PathPrefix", "PathPrefix(`/foo`)", ok("http://localhost/foo")],
  ["wrong PathPrefix", "PathPrefix(`/bar`)", { "http://localhost/foo": false }],
  ["Host", "Host(`localhost`)", ok("http://localhost/foo")],
  ["Host IPv4", "Host(`127.0.0.1`)", ok("http://127.0.0.1/foo")],
  ["Host IPv6", "Host(`10::10`)", ok("http://[10::10]/foo")],
  ["Non-ASCII Host", "Host(`locàlhost`)", "error"],
  ["Non-ASCII HostRegexp", "HostRegexp(`locàlhost`)", "error"],
  ["HostHeader equivalent to Host", "HostHeader(`localhost`)", { "http://localhost/foo": true, "http://bar/foo": false }],
  ["Host with trailing period in rule", "Host(`localhost.`)", ok("http://localhost/foo")],
  ["Host with trailing period in domain", "Host(`localhost`)", ok("http://localhost./foo")],
  ["Host with trailing period in domain and rule", "Host(`localhost.`)", ok("http://localhost./foo")],
  ["wrong Host", "Host(`nope`)", { "http://localhost/foo": false }],
  ["Host and PathPrefix", "Host(`localhost`) && PathPrefix(`/foo`)", ok("http://localhost/foo")],
  ["Host and PathPrefix wrong PathPrefix", "Host(`localhost`) && PathPrefix(`/bar`)", { "http://localhost/foo": false }],
  ["Host and PathPrefix wrong Host", "Host(`nope`) && PathPrefix(`/foo`)", { "http://localhost/foo": false }],
  ["Host and PathPrefix Host OR, first host", "Host(`nope`,`localhost`) && PathPrefix(`/foo`)", ok("http://localhost/foo")],
  ["Host and PathPrefix Host OR, second host", "Host(`nope`,`localhost`) && PathPrefix(`/foo`)", ok("http://nope/foo")],
  ["Host and PathPrefix Host OR, first host and wrong PathPrefix", "Host(`nope,localhost`) && PathPrefix(`/bar`)", { "http://localhost/foo": false }],
  ["HostRegexp with capturing group", "HostRegexp(`{subdomain:(foo\\.)?bar\\.com}`)", { "http://foo.bar.com": true, "http://bar.com": true, "http://fooubar.com": false, "http://barucom": false, "http://barcom": false }],
  ["HostRegexp with non capturing group", "HostRegexp(`{subdomain:(?:foo\\.)?bar\\.com}`)", { "http://foo.bar.com": true, "http://bar.com": true, "http://fooubar.com": false, "http://barucom": false, "http://barcom": false }],
  ["Methods with GET", "Method(`GET`)", ok("http://localhost/foo")],
  ["Methods with GET and POST", "Method(`GET`,`POST`)", ok("http://localhost/foo")],
  ["Methods with POST", "Method(`POST`)", { "http://localhost/foo": false }],
  ["Header with matching header", "Headers(`Content-Type`,`application/json`)", ok("http://localhost/foo"), { "Content-Type": "application/json" }],
  ["Header without matching header", "Headers(`Content-Type`,`application/foo`)", { "http://localhost/foo": false }, { "Content-Type": "application/json" }],
  ["HeaderRegExp with matching header", "HeadersRegexp(`Content-Type`, `application/(text|json)`)", ok("http://localhost/foo"), { "Content-Type": "application/json" }],
  ["HeaderRegExp without matching header", "HeadersRegexp(`Content-Type`, `application/(text|json)`)", { "http://localhost/foo": false }, { "Content-Type": "application/foo" }],
  ["HeaderRegExp with matching second header", "HeadersRegexp(`Content-Type`, `application/(text|json)`)", ok("http://localhost/foo"), { "Content-Type": "application/text" }],
  ["Query with multiple params", "Query(`foo=bar`, `bar=baz`)", { "http://localhost/foo?foo=bar&bar=baz": true, "http://localhost/foo?bar=baz": false }],
  ["Query with multiple equals", "Query(`foo=b=ar`)", { "http://localhost/foo?foo=b=ar": true, "http://localhost/foo?foo=bar": false }],
  ["Rule with simple path", 'Path("/a")', ok("http://plop/a")],
  ["Rule with a simple host", 'Host("plop")', ok("http://plop")],
  ["Rule with Path AND Host", 'Path("/a") && Host("plop")', { "http://plop/a": true, "http://plopi/a": false }],
  ["Rule with Host OR Host", 'Host("tchouk") || Host("pouet")', { "http://tchouk/toto": true, "http://pouet/a": true, "http://plopi/a": false }],
  ...(["Rule with host OR (host AND path)", "Rule with host OR host AND path"] as const).map((desc, i): AddRoute => [
    desc,
    i === 0 ? 'Host("tchouk") || (Host("pouet") && Path("/powpow"))' : 'Host("tchouk") || Host("pouet") && Path("/powpow")',
    { "http://tchouk/toto": true, "http://tchouk/powpow": true, "http://pouet/powpow": true, "http://pouet/toto": false, "http://plopi/a": false },
  ]),
  ...(["Rule with (host OR host) AND path", "Rule with multiple host AND path"] as const).map((desc, i): AddRoute => [
    desc,
    i === 0 ? '(Host("tchouk") || Host("pouet")) && Path("/powpow")' : '(Host("tchouk","pouet")) && Path("/powpow")',
    { "http://tchouk/toto": false, "http://tchouk/powpow": true, "http://pouet/powpow": true, "http://pouet/toto": false, "http://plopi/a": false },
  ]),
  ["Rule with multiple host AND multiple path", 'Host("tchouk","pouet") && Path("/powpow", "/titi")', { "http://tchouk/toto": false, "http://tchouk/powpow": true, "http://pouet/powpow": true, "http://tchouk/titi": true, "http://pouet/titi": true, "http://pouet/toto": false, "http://plopi/a": false }],
  ["Rule with (host AND path) OR (host AND path)", '(Host("tchouk") && Path("/titi")) || ((Host("pouet")) && Path("/powpow"))', { "http://tchouk/titi": true, "http://tchouk/powpow": false, "http://pouet/powpow": true, "http://pouet/toto": false, "http://plopi/a": false }],
  ["Rule without quote", "Host(tchouk)", "error"],
  ["Rule case UPPER", '(HOST("tchouk") && PATHPREFIX("/titi"))', { "http://tchouk/titi": true, "http://tchouk/powpow": false }],
  ["Rule case lower", '(host("tchouk") && pathprefix("/titi"))', { "http://tchouk/titi": true, "http://tchouk/powpow": false }],
  ["Rule case CamelCase", '(Host("tchouk") && PathPrefix("/titi"))', { "http://tchouk/titi": true, "http://tchouk/powpow": false }],
  ["Rule case Title", '(Host("tchouk") && Pathprefix("/titi"))', { "http://tchouk/titi": true, "http://tchouk/powpow": false }],
  ["Rule Path with error", 'Path("titi")', "error"],
  ["Rule PathPrefix with error", 'PathPrefix("titi")', "error"],
  ["Rule HostRegexp with error", 'HostRegexp("{test")', "error"],
  ["Rule Headers with error", 'Headers("titi")', "error"],
  ["Rule HeadersRegexp with error", 'HeadersRegexp("titi")', "error"],
  ["Rule Query", 'Query("titi")', "error"],
  ["Rule Query with bad syntax", 'Query("titi={test")', "error"],
  ["Rule with Path without args", 'Host("tchouk") && Path()', "error"],
  ["Rule with an empty path", 'Host("tchouk") && Path("")', "error"],
  ["Rule with an empty path #01", 'Host("tchouk") && Path("", "/titi")', "error"],
  ["Rule with not", '!Host("tchouk")', { "http://tchouk/titi": false, "http://test/powpow": true }],
  ["Rule with not on Path", '!Path("/titi")', { "http://tchouk/titi": false, "http://tchouk/powpow": true }],
  ["Rule with not on multiple route with or", '!(Host("tchouk") || Host("toto"))', { "http://tchouk/titi": false, "http://toto/powpow": false, "http://test/powpow": true }],
  ["Rule with not on multiple route with and", '!(Host("tchouk") && Path("/titi"))', { "http://tchouk/titi": false, "http://tchouk/toto": true, "http://test/titi": true }],
  ["Rule with not on multiple route with and another not", '!(Host("tchouk") && !Path("/titi"))', { "http://tchouk/titi": true, "http://toto/titi": true, "http://tchouk/toto": false }],
  ["Rule with not on two rule", '!Host("tchouk") || !Path("/titi")', { "http://tchouk/titi": false, "http://tchouk/toto": true, "http://test/titi": true }],
  ["Rule case with double not", '!(!(Host("tchouk") && Pathprefix("/titi")))', { "http://tchouk/titi": true, "http://tchouk/powpow": false, "http://test/titi": false }],
  ["Rule case with not domain", '!Host("tchouk") && Pathprefix("/titi")', { "http://tchouk/titi": false, "http://tchouk/powpow": false, "http://toto/powpow": false, "http://toto/titi": true }],
  ["Rule with multiple host AND multiple path AND not", '!(Host("tchouk","pouet") && Path("/powpow", "/titi"))', { "http://tchouk/toto": true, "http://tchouk/powpow": false, "http://pouet/powpow": false, "http://tchouk/titi": false, "http://pouet/titi": false, "http://pouet/toto": true, "http://plopi/a": true }],
  ["ClientIP empty", "ClientIP(``)", "error"],
  ["Invalid ClientIP", "ClientIP(`invalid`)", "error"],
  ["Non matching ClientIP", "ClientIP(`10.10.1.1`)", { "http://tchouk/toto": false }, {}, "10.0.0.0"],
  ["Non matching IPv6", "ClientIP(`10::10`)", { "http://tchouk/toto": false }, {}, "::1"],
  ["Matching IP", "ClientIP(`10.0.0.0`)", ok("http://tchouk/toto"), {}, "10.0.0.0:8456"],
  ["Matching IPv6", "ClientIP(`10::10`)", ok("http://tchouk/toto"), {}, "10::10"],
  ["Matching IP among several IP", "ClientIP(`10.0.0.1`, `10.0.0.0`)", ok("http://tchouk/toto"), {}, "10.0.0.0"],
  ["Non Matching IP with CIDR", "ClientIP(`11.0.0.0/24`)", { "http://tchouk/toto": false }, {}, "10.0.0.0"],
  ["Non Matching IPv6 with CIDR", "ClientIP(`11::/16`)", { "http://tchouk/toto": false }, {}, "10::"],
  ["Matching IP with CIDR", "ClientIP(`10.0.0.0/16`)", ok("http://tchouk/toto"), {}, "10.0.0.0"],
  ["Matching IPv6 with CIDR", "ClientIP(`10::/16`)", ok("http://tchouk/toto"), {}, "10::10"],
  ["Matching IP among several CIDR", "ClientIP(`11.0.0.0/16`, `10.0.0.0/16`)", ok("http://tchouk/toto"), {}, "10.0.0.0"],
  ["Matching IP among non matching CIDR and matching IP", "ClientIP(`11.0.0.0/16`, `10.0.0.0`)", ok("http://tchouk/toto"), {}, "10.0.0.0"],
  ["Matching IP among matching CIDR and non matching IP", "ClientIP(`11.0.0.0`, `10.0.0.0/16`)", ok("http://tchouk/toto"), {}, "10.0.0.0"],
];

describe("ruleSyntax v2 (traefik pkg/muxer/http/matcher_v2_test.go Test_addRoute)", () => {
  for (const [desc, rule, expected, headers, remoteAddr] of ADD_ROUTE) {
    it(`Test_addRoute "${desc}"`, () => {
      const compiled = compileRule(rule, "v2");
      if (expected === "error") {
        expect(compiled.ok).toBe(false);
        return;
      }
      if (!compiled.ok) throw new Error(compiled.error.message);
      const muxer = buildMuxer([{ name: "r", rule: compiled.value, priority: defaultPriority(rule, "v2"), handler: "r" }]);
      for (const [u, match] of Object.entries(expected)) {
        const request: RequestDescription = { method: "GET", url: u, headers, remoteAddr };
        expect({ u, match: compiled.value.match(viewFromDescription(request)) }).toEqual({ u, match });
        expect({ u, routed: muxer.match(viewFromDescription(request)) !== null }).toEqual({ u, routed: match });
      }
    });
  }
});

describe("ruleSyntax v2: gorilla/mux details", () => {
  const matches = (rule: string, u: string): boolean => {
    const c = compileRule(rule, "v2");
    if (!c.ok) throw new Error(c.error.message);
    return c.value.match(viewFromDescription({ method: "GET", url: u }));
  };

  it("Query pairs come from splitting each value at its first '=' (queryV2): Query(`a`, `b`) wants a=b", () => {
    expect(matches("Query(`a`, `b`)", "http://x/?a=b")).toBe(true);
    expect(matches("Query(`a`, `b`)", "http://x/?a=c")).toBe(false);
    expect(compileRule("Query(`a`, `b=c`)", "v2").ok).toBe(false);
  });

  it("Query(`k=`) wants the key with any value; only the key's first value is matched; values take templates", () => {
    expect(matches("Query(`k=`)", "http://x/?k=anything")).toBe(true);
    expect(matches("Query(`k=`)", "http://x/?other=1")).toBe(false);
    expect(matches("Query(`k=2`)", "http://x/?k=1&k=2")).toBe(false);
    expect(matches("Query(`id={id:[0-9]+}`)", "http://x/?id=42")).toBe(true);
    expect(matches("Query(`id={id:[0-9]+}`)", "http://x/?id=4a")).toBe(false);
  });

  it("HostRegexp `{name}` matches one label; Path `{name}` one segment, anchored", () => {
    expect(matches("HostRegexp(`{sub}.example.com`)", "http://a.example.com/")).toBe(true);
    expect(matches("HostRegexp(`{sub}.example.com`)", "http://a.b.example.com/")).toBe(false);
    expect(matches("Path(`/users/{id}`)", "http://x/users/7")).toBe(true);
    expect(matches("Path(`/users/{id}`)", "http://x/users/7/posts")).toBe(false);
    expect(matches("PathPrefix(`/users/{id}`)", "http://x/users/7/posts")).toBe(true);
  });

  it("Host in v2 has no wildcards: `*.example.com` is a literal host", () => {
    expect(matches("Host(`*.example.com`)", "http://a.example.com/")).toBe(false);
  });

  it("v3-only matchers are unknown in v2, and v2-only ones in v3, with the list of the syntax's matchers", () => {
    const v2 = compileRule("PathRegexp(`^/a`)", "v2");
    expect(v2.ok ? "" : v2.error.message).toContain("ruleSyntax v2");
    expect(compileRule("Headers(`a`, `b`)", "v3").ok).toBe(false);
    expect(compileRule("Headers(`a`, `b`)", "v2").ok).toBe(true);
  });

  it("mux error messages name the problem and the position", () => {
    const r = compileRule("Host(`a`) && HostRegexp(`{test`)", "v2");
    expect(r.ok ? null : r.error).toEqual({ position: 24, message: expect.stringContaining('mux: unbalanced braces in "{test"') });
    const q = compileRule("Headers(`a`, `b`, `c`)", "v2");
    expect(q.ok ? "" : q.error.message).toContain("mux: number of parameters must be multiple of 2");
    // A Query pair need not be one argument: the error points at the matcher.
    const t = compileRule("Host(`a`) && Query(`titi={test`)", "v2");
    expect(t.ok ? null : t.error).toEqual({ position: 13, message: expect.stringContaining('invalid Query template "titi={test"') });
  });

  it("the default priority of a v2 rule is its length (no double-wildcard adjustment: v2 hosts have none)", () => {
    const rule = "Host(`**.example.com`)";
    expect(defaultPriority(rule, "v2")).toBe(rule.length);
    expect(defaultPriority(rule, "v3")).toBeLessThan(rule.length);
  });

  it("v2 Host and Path lists feed the muxer's index; explain() reads v2 leaves", () => {
    const c = compileRule("Host(`a.com`, `b.com`) && PathPrefix(`/api/{v}`, `/web`)", "v2");
    if (!c.ok) throw new Error(c.error.message);
    expect(c.value.hosts).toEqual(["a.com", "b.com"]);
    expect(c.value.pathPrefixes).toEqual(["/api/", "/web"]);
    const t = c.value.explain(viewFromDescription({ method: "GET", url: "http://b.com/web/x" }));
    expect(t).toMatchObject({ op: "and", result: true, children: [{ result: true, detail: 'host "b.com"' }, { result: true, detail: 'path "/web/x"' }] });
  });
});
