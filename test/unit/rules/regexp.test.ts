// Go RE2 syntax and semantics (go/regexp: re2js, or the runtime's RegExp where proven linear):
// what Traefik's regexp matchers accept, and what they mean.
import { describe, expect, it } from "vitest";
import { compileRule, viewFromDescription } from "../../../worker/rules/index.ts";
import { RE2JS } from "re2js";
import { commonTranslation } from "../../../worker/go/regexp/simple-common.ts";
import { scanTranslation, simpleTranslation } from "../../../worker/go/regexp/simple.ts";

/** Whether PathRegexp(pattern) compiles, and then which of the given paths it matches. */
function pathRegexp(pattern: string) {
  const rule = compileRule(`PathRegexp(\`${pattern}\`)`);
  return {
    ok: rule.ok,
    error: rule.ok ? "" : rule.error.message,
    matches: (path: string) => {
      if (!rule.ok) throw new Error(rule.error.message);
      return rule.value.match(viewFromDescription({ method: "GET", url: `http://example.com${path}` }));
    },
  };
}

/** Tests a Go pattern against a header value, where any text (newlines, Unicode) can be put. */
function headerRegexp(pattern: string, value: string): boolean {
  const rule = compileRule(`HeaderRegexp(\`X\`, "${pattern.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}")`);
  if (!rule.ok) throw new Error(rule.error.message);
  return rule.value.match(viewFromDescription({ method: "GET", url: "http://example.com/", headers: { X: value } }));
}

describe("Go regexp syntax and semantics", () => {
  it("is unanchored unless the pattern anchors", () => {
    expect(pathRegexp("css").matches("/a/css/b")).toBe(true);
    expect(pathRegexp("^/css").matches("/a/css")).toBe(false);
    expect(pathRegexp("css$").matches("/a/css")).toBe(true);
  });

  it("reads a leading (?i) and flags in the middle of a pattern", () => {
    expect(pathRegexp("(?i)^/CSS$").matches("/css")).toBe(true);
    expect(headerRegexp("a(?i)b", "aB")).toBe(true);
    expect(headerRegexp("a(?i)b", "AB")).toBe(false);
    expect(headerRegexp("(?i:a)b", "Ab")).toBe(true);
    expect(headerRegexp("(?i:a)b", "AB")).toBe(false);
    expect(headerRegexp("(?i)a(?-i)b", "Ab")).toBe(true);
    expect(headerRegexp("(?i)a(?-i)b", "AB")).toBe(false);
    // A flag set inside a group ends with the group, but carries over "|".
    expect(headerRegexp("(x(?i)y|z)Z", "xYZ")).toBe(true);
    expect(headerRegexp("(x(?i)y|z)Z", "ZZ")).toBe(true);
    expect(headerRegexp("(x(?i)y|z)Z", "xYz")).toBe(false);
  });

  it("folds case like Go, including the Kelvin sign", () => {
    expect(headerRegexp("(?i)^k$", "\u212a")).toBe(true);
    expect(headerRegexp("(?i)^[[:^lower:]]$", "A")).toBe(false);
    expect(headerRegexp("^[[:^lower:]]$", "A")).toBe(true);
    expect(headerRegexp("(?i)^[^\\W]$", "\u212a")).toBe(true);
  });

  it("keeps ^ and $ at the ends of the text, and follows (?m) and (?s)", () => {
    expect(headerRegexp("^b$", "a\nb")).toBe(false);
    expect(headerRegexp("(?m)^b$", "a\nb")).toBe(true);
    expect(headerRegexp("(?m)^b$", "a\rb")).toBe(false);
    expect(headerRegexp("a.b", "a\nb")).toBe(false);
    expect(headerRegexp("a.b", "a\rb")).toBe(true);
    expect(headerRegexp("(?s)a.b", "a\nb")).toBe(true);
    expect(headerRegexp("\\Aab\\z", "ab")).toBe(true);
    expect(headerRegexp("(?m)\\Ab\\z", "a\nb")).toBe(false);
  });

  it("knows Go's escapes and classes", () => {
    expect(pathRegexp("^/[[:alpha:]]+$").matches("/abc")).toBe(true);
    expect(pathRegexp("^/[[:alpha:]]+$").matches("/ab1")).toBe(false);
    expect(pathRegexp("^/[[:^digit:]]$").matches("/a")).toBe(true);
    expect(pathRegexp("^/\\pL+$").matches("/été")).toBe(true);
    expect(pathRegexp("^/\\p{Greek}$").matches("/λ")).toBe(true);
    expect(pathRegexp("^/\\p{^Greek}$").matches("/λ")).toBe(false);
    expect(pathRegexp("^/\\x{41}\\x42\\103$").matches("/ABC")).toBe(true);
    expect(pathRegexp("^/\\Q.*\\E$").matches("/.*")).toBe(true);
    expect(pathRegexp("^/\\Qab\\E*$").matches("/abbb")).toBe(true);
    expect(pathRegexp("^/(?P<first>[a-z]+)/(?<second>\\d+)$").matches("/ab/12")).toBe(true);
    expect(pathRegexp("^/[]a]+$").matches("/]a")).toBe(true);
    expect(pathRegexp("^/[\\d-z]+$").matches("/1-z")).toBe(true);
    // Go's \s is ASCII: no vertical tab, no non-breaking space.
    expect(headerRegexp("^\\s$", "\u00a0")).toBe(false);
    expect(headerRegexp("^\\s$", "\t")).toBe(true);
  });

  it("treats a { that is not a repeat as a literal (Traefik v2 syntax)", () => {
    expect(headerRegexp("http{secure:s?}", "http{secure:s}")).toBe(true);
    expect(headerRegexp("a{,2}", "a{,2}")).toBe(true);
    expect(headerRegexp("^a{2}$", "aa")).toBe(true);
  });

  it("rejects what Go rejects", () => {
    for (const bad of ["(?=a)", "(?!a)", "(?<=a)b", "a\\1", "(a)\\1", "\\Z", "a**", "a++", "*a", "a{1001}", "(a{100}){100}", "[z-a]", "[a", "a)", "(a", "\\C", "\\y", "[[:foo:]]", "\\p{Nope}", "(?P<a>x)(?P<a>y)", "(?P=a)", "(?-)", "\\"]) {
      expect(pathRegexp(bad).ok, bad).toBe(false);
    }
  });

  it("says what is wrong, in Go's words, at the argument's position", () => {
    const r = compileRule("Path(`/`) && PathRegexp(`/(css`)");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.position).toBe(24);
    expect(r.error.message).toBe("invalid PathRegexp regular expression at 24: missing closing ): `/(css`");
  });
});

describe("the shortcut for simple patterns", () => {
  // Patterns the shortcut takes, and subjects to try them on: its reading (the JS source) must agree
  // with re2js on every subject, and its literal prefix/suffix must hold for every match.
  const patterns = [
    "^/api", "^/api/v[0-9]+/", "^/svc12/exports/[0-9]+\\.csv$", "^[a-z]+\\.tenant5\\.example\\.com$", "(?i)^/CSS$",
    "a.b", "^a.*z$", "[a-z0-9-]+", "[^a-z]", "[-a]", "[a-]", "[\\d.]+", "[\\w-]", "\\-x", "\\:x", "a|b", "(a|b)c",
    "(?:ab)+", "x*?y", "\\d+\\.\\d+", "\\bfoo\\b", "^\\^", "\\$$", "(?i)k", "(?i)[a-c]+$", "^/a+b?c*$", "^ab?$",
    "\\\\.$", "\\\\\\.com$", "\\.com$", "com$", "^/x/\\.", "(a)(b)", "[.]com$",
    "^/reports/[0-9]{4}/[a-z]+$", "^ab{2}c$", "a{0}b", "^x{2,}$", "(ab){2}", "[0-9]{3}?", "^/ab{1}",
  ];
  const subjects = [
    "", "/api", "/API", "/api/v1/x", "/apix", "/svc12/exports/7.csv", "x.tenant5.example.com", "/css", "/CSS", "a.b",
    "a\nb", "a\rb", "az", "a-z", "-", "ab", "abc", "xy", "1.5", "foo bar", "^", "$", "\u212a", "K", "abc", "/ac",
    "/abbc", "/a", "a\\.", "\\.com", "x.com", "xcom", "com", "/x/.", "ab", ".com",
    "/reports/2024/q", "/reports/24/q", "/reports/20245/q", "abbc", "abc", "abbbc", "b", "xx", "xxx", "x", "abab", "123", "/ab", "/a",
  ];

  for (const p of patterns) {
    it(p, () => {
      const simple = simpleTranslation(p);
      expect(simple, "takes the shortcut").not.toBeNull();
      if (!simple) return;
      const go = RE2JS.compile(p);
      const re = new RegExp(simple.source, simple.fold ? "iu" : "u");
      for (const s of subjects) {
        expect(re.test(s), JSON.stringify(s)).toBe(go.test(s));
        if (!re.test(s)) continue;
        if (simple.prefix !== null) expect(s.startsWith(simple.prefix), `prefix of ${JSON.stringify(s)}`).toBe(true);
        if (simple.suffixes !== null) expect(simple.suffixes.some((x) => s.toLowerCase().endsWith(x)), `suffix of ${JSON.stringify(s)}`).toBe(true);
      }
    });
  }

  it("recognises the commonest shape by native matches, with the very result of the character scan", () => {
    // Atoms of the common shape and of what borders it (escaped backslashes next to dots, classes
    // with dots, case folding, upper case before "$"), so that both sides of its edge are hit.
    const atoms = ["a", "B", "z", "0", ".", "\\.", "\\\\", "\\$", "\\d", "\\W", "\\/", "\\(", "\\[", "\\*", "\\|", "[a-z]", "[^0-9]",
      "[A-Za-z0-9_.]", "[\\d.-]", "[.]", "[a-f]", "+", "*", "?", "*?", "-", "/", "_", " ", "Q", "é", "{2}", "(", ")", "|"];
    let seed = 99;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const seen = { common: 0, suffix: 0, prefix: 0, dot: 0 };
    for (let k = 0; k < 40_000; k++) {
      let p = rand(2) === 0 ? "^" : "";
      for (let i = 1 + rand(9); i > 0; i--) p += atoms[rand(atoms.length)];
      if (rand(3) !== 0) p += "$";
      if (rand(5) === 0) p = "(?i)" + p;
      const quick = commonTranslation(p);
      if (quick === null) continue;
      seen.common++;
      if (quick.suffixes) seen.suffix++;
      if (quick.prefix) seen.prefix++;
      if (quick.source.includes("[^\\n]")) seen.dot++;
      expect(quick, p).toEqual(scanTranslation(p));
    }
    expect(seen.common).toBeGreaterThan(8_000);
    expect(Math.min(seen.suffix, seen.prefix, seen.dot)).toBeGreaterThan(1_000);
    for (const p of ["^[a-z]+\\.tenant5\\.example\\.com$", "^/svc1/exports/[0-9]+\\.csv$", "(?i)^x\\.Example\\.COM$", "\\\\.b$", "[.]\\.."]) {
      expect(commonTranslation(p), p).not.toBeNull();
      expect(commonTranslation(p), p).toEqual(scanTranslation(p));
    }
    expect(commonTranslation("\\\\.b$")?.suffixes).toEqual(["b"]); // an escaped backslash, then a bare "."
    expect(commonTranslation("^a.b$")?.source).toBe("^a[^\\n]b$");
  });

  it("leaves the rest to re2js at load", () => {
    for (const p of ["[[:alpha:]]", "\\s", "(?i)\\b", "a(?i)b", "(?P<n>a)", "é", "^*", "\\Qa\\E", "[]a]", "\\x41", "a}"]) {
      expect(simpleTranslation(p), p).toBeNull();
    }
    // Counted repeats other than {n} and {n,} with n < 1000 outside groups: what Go makes of them
    // (a literal, an error, a limit on nested counts) is re2js's to say.
    for (const p of ["a{2,5}", "a{5,2}", "a{1000}", "a{0999}", "a{,2}", "{2}", "a{2}{3}", "^{2}", "(a{2})", "(a{100}){100}", "a{x}", "a{2"]) {
      expect(simpleTranslation(p), p).toBeNull();
    }
  });
});
