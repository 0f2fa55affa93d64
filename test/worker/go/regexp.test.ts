// The one Go regexp module (worker/go/regexp): linear time at every site, Go's syntax and meaning
// at every site. The wall-clock checks of adversarial inputs are in test/node/regexp-linear-time
// (workerd's clock does not move while code runs); here, what can be checked exactly.
import { RE2JS } from "re2js";
import { describe, expect, inject, it } from "vitest";
import { compileGoRegexp } from "../../../worker/go/regexp/index.ts";
import { linearSource, type LinearSource } from "../../../worker/go/regexp/linear.ts";
import { validateConfig } from "../../../worker/config/index.ts";
import { send, snapshotOf } from "../helpers/serve.ts";

let seed = 12345;
const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;

// Atoms of the admitted grammar and of what borders it, so that both sides of the proof are hit.
const ATOMS = ["a", "b", "x", "K", "s", "0", "/", "-", ".", "\\.", "\\-", "\\d", "\\D", "\\w", "\\W", "[a-z]", "[^a]", "[ab]", "[0-9x]",
  "[\\w.]", "[^/]", "*", "+", "?", "{2}", "{1,}", "{0,3}", "*?", "(", ")", "|", "\\b", "\\s"];

function randomPattern(): string {
  let p = rand(3) === 0 ? "" : "^";
  for (let i = 1 + rand(6); i > 0; i--) p += ATOMS[rand(ATOMS.length)];
  if (rand(2) === 0) p += "$";
  return rand(5) === 0 ? "(?i)" + p : p;
}

/**
 * Backtracking as the runtime's RegExp does it (greedy counts, first alternative first, every start
 * position unless anchored), counting steps: what the proof claims to bound.
 */
function backtrackingSteps(lin: LinearSource, s: string, limit: number): number {
  const flags = lin.fold ? "iu" : "u";
  const matchers = lin.atoms.map((a) => new RegExp(`^(?:${a.src})$`, flags));
  let steps = 0;
  const at = (i: number, pos: number): boolean => {
    if (++steps > limit) throw new Error("step limit");
    if (i === lin.atoms.length) return !lin.pinnedEnd || pos === s.length;
    const { min, max } = lin.atoms[i]!;
    let k = 0;
    while (k < max && pos + k < s.length && matchers[i]!.test(s[pos + k]!)) k++, steps++;
    for (let j = k; j >= min; j--) if (at(i + 1, pos + j)) return true;
    return false;
  };
  for (let start = 0; start <= (lin.anchored ? 0 : s.length); start++) if (at(0, start)) break;
  return steps;
}

/** Inputs that make a backtracking engine work: long runs of characters the atoms take, then a misfit. */
function adversarialInputs(lin: LinearSource, n: number): string[] {
  const flags = lin.fold ? "iu" : "u";
  const alphabet = [..."ab/x-.0Ks_ \n!\u212a\u017f"];
  const takes = (src: string) => alphabet.filter((c) => new RegExp(`^(?:${src})$`, flags).test(c));
  const out: string[] = [];
  for (const a of lin.atoms) {
    for (const c of takes(a.src).slice(0, 3)) {
      for (const end of ["!", "\n", ""]) out.push(c.repeat(n) + end);
    }
  }
  const firsts = lin.atoms.map((a) => takes(a.src)[0]).filter((c) => c !== undefined);
  if (firsts.length > 1) out.push(firsts.join("").repeat(Math.ceil(n / firsts.length)) + "!");
  return out;
}

describe("the proof that lets a pattern run on the runtime's RegExp", () => {
  it("holds for every pattern it admits: backtracking steps stay linear in the input", () => {
    const n = 400;
    let admitted = 0;
    for (let k = 0; k < 6_000; k++) {
      const p = randomPattern();
      const lin = linearSource(p);
      if (lin === null) continue;
      admitted++;
      const bound = 4 * (n + 2) * (lin.atoms.length + 1);
      for (const s of adversarialInputs(lin, n)) {
        expect(backtrackingSteps(lin, s, 10 * bound), `${p} on ${JSON.stringify(s.slice(0, 8))}…`).toBeLessThanOrEqual(bound);
      }
    }
    expect(admitted).toBeGreaterThan(800);
  });

  it("would catch a pattern that backtracks: the same count explodes on what it refuses", () => {
    // Forced through the counter as if admitted: each is quadratic or worse.
    const forced = (source: string, anchored: boolean, atoms: [string, number, number][]): LinearSource => ({
      source, fold: false, anchored, pinnedEnd: false,
      atoms: atoms.map(([src, min, max]) => ({ src, min, max, set: linearSource("a")!.atoms[0]!.set })),
    });
    const n = 400;
    const unanchored = forced("[a-z]+!", false, [["[a-z]", 1, Infinity], ["!", 1, 1]]);
    const overlapping = forced("^a*a*b", true, [["a", 0, Infinity], ["a", 0, Infinity], ["b", 1, 1]]);
    for (const lin of [unanchored, overlapping]) {
      expect(() => backtrackingSteps(lin, "a".repeat(n), 4 * (n + 2) * 4)).toThrow("step limit");
    }
    expect(linearSource("[a-z]+!")).toBeNull();
    expect(linearSource("^a*a*b")).toBeNull();
  });

  it("admits the common rule shapes, and leaves groups, alternation and unanchored counts to re2js", () => {
    for (const p of ["^[a-z]+\\.tenant1\\.example\\.com$", "^/reports/[0-9]{4}/[a-z]+$", "^/svc1/exports/[0-9]+\\.csv$", "(?i)^/CSS$", "\\.example\\.com$", "^/api/.*"]) {
      expect(compileGoRegexp(p).ok && compileGoRegexp(p).ok && (compileGoRegexp(p) as { value: { engine: string } }).value.engine, p).toBe("native");
    }
    for (const p of ["^/(a+)+$", "^(a|aa)+b$", "[a-z]+\\.example\\.com$", "^.+\\.example\\.com$", "^/.*/x$", "^a*?b", "^[[:alpha:]]+$", "^\\s+$"]) {
      const r = compileGoRegexp(p);
      expect(r.ok && r.value.engine, p).toBe("re2");
    }
  });

  it("means on the runtime's RegExp exactly what re2js means, for test and for find", () => {
    const subjects = ["", "a", "ab", "aab", "ba", "x/a", "/", "-", ".", "0", "00", "K", "k", "\u212a", "s", "S", "\u017f", "a\nb", "ab!", "xx0", "a-b.c", "aaa", "bbb"];
    let compared = 0;
    for (let k = 0; k < 6_000; k++) {
      const p = randomPattern();
      if (linearSource(p) === null) continue;
      const r = compileGoRegexp(p);
      expect(r.ok, p).toBe(true);
      if (!r.ok) continue;
      const go = RE2JS.compile(p);
      for (const s of subjects) {
        expect(r.value.test(s), `${p} on ${JSON.stringify(s)}`).toBe(go.test(s));
        const m = go.matcher(s);
        const found = r.value.find(s, 0);
        expect(found && [found.start, found.end], `${p} find in ${JSON.stringify(s)}`).toEqual(m.find() ? [m.start(), m.end()] : null);
      }
      compared++;
    }
    expect(compared).toBeGreaterThan(800);
  });
});

describe("one Go syntax at every regex site", () => {
  const rules = (rule: string) => ({ routers: { r: { rule, service: "s" } } });
  const middleware = (m: Record<string, unknown>) => ({ routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["m"] } }, middlewares: { m } });
  const sites: [string, (re: string) => Record<string, unknown>, string][] = [
    ["PathRegexp", (re) => rules(`PathRegexp(\`${re}\`)`), "http.routers.r.rule"],
    ["HostRegexp", (re) => rules(`HostRegexp(\`${re}\`)`), "http.routers.r.rule"],
    ["HeaderRegexp", (re) => rules(`HeaderRegexp(\`X\`, \`${re}\`)`), "http.routers.r.rule"],
    ["QueryRegexp", (re) => rules(`QueryRegexp(\`q\`, \`${re}\`)`), "http.routers.r.rule"],
    ["stripPrefixRegex", (re) => middleware({ stripPrefixRegex: { regex: [re] } }), "http.middlewares.m.stripPrefixRegex.regex[0]"],
    ["replacePathRegex", (re) => middleware({ replacePathRegex: { regex: re, replacement: "/" } }), "http.middlewares.m.replacePathRegex.regex"],
    ["redirectRegex", (re) => middleware({ redirectRegex: { regex: re, replacement: "/" } }), "http.middlewares.m.redirectRegex.regex"],
    ["accessControlAllowOriginListRegex", (re) => middleware({ headers: { accessControlAllowOriginListRegex: [re] } }), "http.middlewares.m.headers.accessControlAllowOriginListRegex[0]"],
    ["authResponseHeadersRegex", (re) => middleware({ forwardAuth: { address: "http://127.0.0.1:9", authResponseHeadersRegex: re } }), "http.middlewares.m.forwardAuth.authResponseHeadersRegex"],
    ["addAuthCookiesToResponseRegex", (re) => middleware({ forwardAuth: { address: "http://127.0.0.1:9", addAuthCookiesToResponseRegex: re } }), "http.middlewares.m.forwardAuth.addAuthCookiesToResponseRegex"],
  ];
  const refused: [string, string][] = [
    ["(a)\\1", "invalid escape sequence: `\\1`"], // back-reference
    ["a(?=b)", "invalid or unsupported Perl syntax: `(?=`"], // look-ahead
    ["a(?!b)", "invalid or unsupported Perl syntax: `(?!`"],
    ["(?<=a)b", "invalid named capture: `(?<=a)b`"], // look-behind (Go reads "(?<" as a named group)
    ["(?<!a)b", "invalid named capture: `(?<!a)b`"],
    ["a++", "invalid nested repetition operator: `++`"], // possessive
  ];

  for (const [site, config, path] of sites) {
    it.each(refused)(`${site}: %s is refused at its path, in Go's words`, (re, message) => {
      const valid = validateConfig({ http: { ...config(re), services: { s: { loadBalancer: { servers: [{ url: "http://127.0.0.1:9" }] } } } } });
      expect(valid.ok).toBe(false);
      if (valid.ok) return;
      const found = valid.errors.find((e) => e.path === path);
      expect(found, JSON.stringify(valid.errors)).toBeDefined();
      expect(found!.message).toContain(message);
    });
  }

  it("reads [[:alpha:]], \\s, (?i), \\pL and (?P<name>) as Go in a middleware, as in a rule", async () => {
    const upstream = inject("whoamiUrl");
    const snapshot = snapshotOf({
      http: {
        routers: { r: { rule: "PathRegexp(`^/[[:alpha:]]+(?:\\s\\pL)?$`)", service: "s", middlewares: ["go"] } },
        services: { s: { loadBalancer: { servers: [{ url: upstream }] } } },
        middlewares: { go: { redirectRegex: { regex: "(?i)^https://X\\.TEST/(?P<word>[[:alpha:]]+)(?:\\s(\\pL))?$", replacement: "https://y.test/${word}-$2" } } },
      },
    });
    const redirect = await send(snapshot, "https://x.test/abc");
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("https://y.test/abc-");
    const unicode = await send(snapshot, "https://x.test/abc%20%C3%A9");
    // The rule sees the decoded path "/abc é"; redirectRegex sees the URL as sent: no \s there.
    expect(unicode.status).toBe(200);
    // Go's [[:alpha:]] is ASCII: "é" is no letter of it, so the rule matches nothing.
    expect((await send(snapshot, "https://x.test/%C3%A9")).status).toBe(404);
  });
});
