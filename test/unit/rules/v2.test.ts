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
