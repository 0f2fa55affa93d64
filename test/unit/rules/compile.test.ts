// compileRule's shortcuts: regexes built on first use, leaves shared between rules. They must
// not change what compiles, what errors say, or what a rule matches.
import { describe, expect, it } from "vitest";
import { compileRule, viewFromDescription, type RequestDescription } from "../../../worker/rules/index.ts";
import { rule } from "../../worker/helpers/rules.ts";
import { RE2JS } from "re2js";
import { compileGoRegexp } from "../../../worker/go/regexp/index.ts";
import { simpleTranslation } from "../../../worker/go/regexp/simple.ts";


const get = (url: string, extra: Partial<RequestDescription> = {}) => viewFromDescription({ method: "GET", url, ...extra });

describe("lazy regexes", () => {
  // Deferring the re2js compile is only safe if every pattern the shortcut accepts is one Go (re2js)
  // accepts: otherwise an invalid rule would compile and fail on its first request. Its JS source
  // must be valid too (it is how these patterns ran before re2js, kept as a cross-check).
  it("the shortcut accepts only patterns that re2js (Go's syntax) and JS both accept", () => {
    const atoms = ["a", "Z", "0", ".", "^", "$", "*", "+", "?", "(", ")", "(?:", "(?i)", "|", "[", "]", "-", "\\", "{", "}",
      "d", "w", "b", "_", "/", "\\.", "\\-", "[a-z]", "[^", "\\d", "\\b", "\\B", "@", "\\@", "\\_", "\\/", "\\\\", "\u007f"];
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    let accepted = 0;
    for (let k = 0; k < 30_000; k++) {
      let p = "";
      for (let i = 1 + rand(8); i > 0; i--) p += atoms[rand(atoms.length)];
      const simple = simpleTranslation(p);
      if (simple === null) continue;
      accepted++;
      expect(() => new RegExp(simple.source, simple.fold ? "iu" : "u"), p).not.toThrow();
      expect(() => RE2JS.compile(p), p).not.toThrow();
    }
    expect(accepted).toBeGreaterThan(5_000);
  });

  it("keeps the index facts of a pattern compiled on first use", () => {
    const r = compileGoRegexp("^/svc1/exports/[0-9]+\\.csv$");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.literalPrefix).toBe("/svc1/exports/");
    expect(r.value.lowerSuffixes).toEqual([".csv"]);
    expect(r.value.test("/svc1/exports/12.csv")).toBe(true);
    expect(r.value.test("/svc1/exports/12xcsv")).toBe(false);
    expect(compileGoRegexp("^/svc1/exports/[0-9]+\\.csv$")).toBe(r); // one instance per pattern
  });

  it("finds the literal a pattern must end with, as the muxer indexes hosts by it", () => {
    const cases: [string, string[] | null][] = [
      ["^[a-z]+\\.tenant9\\.example\\.com$", [".tenant9.example.com"]],
      ["^[a-z]+\\.Tenant\\.com$", ["enant.com"]], // an upper-case letter is no host text: the literal stops
      ["(?i)^x\\.Example\\.COM$", ["x.example.com"]], // unless the pattern folds case
      ["^a\\\\$", ["a\\"]], // an escaped backslash is a literal; the "$" is the anchor
      ["\\$$", ["$"]],
      ["x\\$", null], // an escaped "$" is no anchor
      ["^/x\\d$", null],
      ["^.+\\.b\\-c\\.io$", ["c.io"]],
      ["^(a|b)\\.c$", null],
    ];
    for (const [pattern, suffixes] of cases) expect(simpleTranslation(pattern)?.suffixes ?? null, pattern).toEqual(suffixes);
  });

  it("finds the literal a pattern must start with, as the muxer indexes paths by it", () => {
    const cases: [string, string | null][] = [
      ["^/api/v1", "/api/v1"],
      ["^/api/v*", "/api/"], // a quantifier makes the last character optional
      ["^ab?c", "a"],
      ["^/x\\.y", "/x"], // escapes end it
      ["(?i)^/api/x", "/"], // letters do when folding case
      ["(?i)^/1a", "/1"],
      ["^/a(b)", "/a"],
      ["^", null],
      ["^/a|b", null], // no prefix under alternation
      ["a/b", null],
    ];
    for (const [pattern, prefix] of cases) expect(simpleTranslation(pattern)?.prefix ?? null, pattern).toBe(prefix);
  });

  it("still reports invalid patterns at compile time, at the pattern", () => {
    const src = "Host(`a.com`) && PathRegexp(`^/a(b`)";
    const r = compileRule(src);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.position).toBe(src.indexOf("`^/a(b`"));
    const src2 = "HostRegexp(`^[a-z]+\\.a\\.com$`) || HostRegexp(`a**`)";
    const h = compileRule(src2);
    expect(h.ok).toBe(false);
    if (!h.ok) {
      expect(h.error.position).toBe(src2.indexOf("`a**`"));
      expect(h.error.message).toMatch(/^invalid HostRegexp regular expression at \d+: /);
    }
  });

  it("matches with every regexp matcher", () => {
    expect(rule("HostRegexp(`^[a-z]+\\.tenant9\\.example\\.com$`)").match(get("https://ab.tenant9.example.com/"))).toBe(true);
    expect(rule("HostRegexp(`^[a-z]+\\.tenant9\\.example\\.com$`)").match(get("https://a1.tenant9.example.com/"))).toBe(false);
    expect(rule("PathRegexp(`^/r/[0-9]+$`)").match(get("https://h/r/42"))).toBe(true);
    expect(rule("HeaderRegexp(`X-V`, `^v[0-9]$`)").match(get("https://h/", { headers: { "X-V": "v2" } }))).toBe(true);
    expect(rule("QueryRegexp(`p`, `^[0-9]+$`)").match(get("https://h/?p=12"))).toBe(true);
    expect(rule("QueryRegexp(`p`, `^[0-9]+$`)").match(get("https://h/?p=x"))).toBe(false);
  });
});

describe("compiling the same text twice", () => {
  it("gives equivalent rules", () => {
    const src = "Host(`a.com`) && PathPrefix(`/api`) && !HostRegexp(`^x\\.`) || PathRegexp(`^/r/[0-9]+$`)";
    const [a, b] = [rule(src), rule(src)];
    expect(b.source).toBe(a.source);
    expect(b.hosts).toEqual(a.hosts);
    expect(b.hostIndex).toEqual(a.hostIndex);
    expect(b.pathPrefixes).toEqual(a.pathPrefixes);
    for (const url of ["https://a.com/api/x", "https://x.a.com/api", "https://b.com/r/1", "https://b.com/api"]) {
      expect(b.match(get(url)), url).toBe(a.match(get(url)));
      expect(b.explain(get(url))).toEqual(a.explain(get(url)));
    }
  });

  it("keeps each rule's own index facts when leaves are shared", () => {
    const a = rule("Host(`a.com`) && PathPrefix(`/api`)");
    const b = rule("Host(`b.com`) && PathPrefix(`/api`)");
    const c = rule("(Host(`a.com`) || Host(`c.com`)) && PathPrefix(`/api`)");
    expect([a.hosts, b.hosts, c.hosts]).toEqual([["a.com"], ["b.com"], ["a.com", "c.com"]]);
    expect([a.pathPrefixes, b.pathPrefixes, c.pathPrefixes]).toEqual([["/api"], ["/api"], ["/api"]]);
    expect(rule("Host(`a.com`)").hosts).toEqual(["a.com"]);
  });

  it("keeps a two-matcher rule's own matchers after later parses (the shortcut reuses its && node)", () => {
    const a = rule("Host(`a.com`) && PathPrefix(`/a`)");
    const b = rule("Host(`b.com`) && PathPrefix(`/b`)");
    expect([a.match(get("https://a.com/a")), a.match(get("https://b.com/b"))]).toEqual([true, false]);
    expect([b.match(get("https://b.com/b")), b.match(get("https://a.com/a"))]).toEqual([true, false]);
    expect(a.explain(get("https://a.com/b")).children?.map((c) => c.result)).toEqual([true, false]);
  });
});
