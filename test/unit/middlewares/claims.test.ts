// Traefik Hub's claims language (worker/middlewares/auth/claims.ts): the documented examples, the
// edge cases of each function, nested paths with escapes, and parse errors with their position.
import { describe, expect, it } from "vitest";
import { claimHeaders, claimHeaderValue } from "../../../worker/middlewares/auth/claim-headers.ts";
import { CLAIMS_MAX_DEPTH, claimAt, claimPath, parseClaims, type Claims } from "../../../worker/middlewares/auth/claims.ts";

// The data of Traefik Hub's documentation: every documented example holds for it.
const HUB: Claims = {
  active: true,
  grp: "admin",
  scope: "reader writer deploy",
  referrer: "http://example.com/foo/bar",
  areas: ["office", "home"],
  user: { name: "John Snow", status: "undead" },
};

function holds(text: string, claims: Claims = HUB): boolean {
  const parsed = parseClaims(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.message} at ${parsed.position}`);
  return parsed.test(claims);
}

function problem(text: string): { position: number; message: string } {
  const parsed = parseClaims(text);
  if (parsed.ok) throw new Error(`${text} parsed`);
  return { position: parsed.position, message: parsed.message };
}

describe("claims: Traefik Hub's documented examples", () => {
  const examples = [
    "Equals(`grp`, `admin`)",
    "Prefix(`referrer`, `http://example.com`)",
    "Contains(`referrer`, `/foo/`)",
    "Contains(`areas`, `home`)",
    "SplitContains(`scope`, ` `, `writer`)",
    "OneOf(`areas`, `office`, `lab`)",
    "Equals(`grp`, `admin`) && Equals(`active`, `true`)",
    "Equals(`grp`, `admin`) || Equals(`active`, `true`)",
    "!Equals(`grp`, `testers`)",
    "Equals(`user.name`, `John Snow`)",
  ];
  for (const text of examples) it(`holds: ${text}`, () => expect(holds(text)).toBe(true));
});

describe("claims: each function", () => {
  it("Equals compares text exactly; numbers and booleans as JSON writes them; never arrays or objects", () => {
    expect(holds("Equals(`grp`, `Admin`)")).toBe(false);
    expect(holds("Equals(`n`, `42`)", { n: 42 })).toBe(true);
    expect(holds("Equals(`n`, `42.0`)", { n: 42 })).toBe(false);
    expect(holds("Equals(`active`, `false`)")).toBe(false);
    expect(holds("Equals(`areas`, `office`)")).toBe(false);
    expect(holds("Equals(`user`, `[object Object]`)")).toBe(false);
    expect(holds("Equals(`missing`, ``)")).toBe(false);
    expect(holds("Equals(`nothing`, `null`)", { nothing: null })).toBe(false);
  });

  it("Contains: substring of a string, exact member of an array (never a substring of a member)", () => {
    expect(holds("Contains(`areas`, `off`)")).toBe(false);
    expect(holds("Contains(`areas`, `office`)")).toBe(true);
    expect(holds("Contains(`ids`, `7`)", { ids: [7, 8] })).toBe(true);
    expect(holds("Contains(`grp`, `dmi`)")).toBe(true);
  });

  it("SplitContains splits a string claim and wants an exact part", () => {
    expect(holds("SplitContains(`scope`, ` `, `write`)")).toBe(false);
    expect(holds("SplitContains(`scope`, `,`, `b`)", { scope: "a,b,c" })).toBe(true);
    expect(holds("SplitContains(`areas`, ` `, `home`)")).toBe(false);
  });

  it("OneOf: any member of an array claim, or a string claim equal to one of the values (an exact audience check)", () => {
    expect(holds("OneOf(`areas`, `lab`, `garage`)")).toBe(false);
    expect(holds("OneOf(`aud`, `api`)", { aud: "api" })).toBe(true);
    expect(holds("OneOf(`aud`, `api`)", { aud: "api-other" })).toBe(false);
    expect(holds("OneOf(`aud`, `api`)", { aud: ["web", "api"] })).toBe(true);
    expect(holds("OneOf(`aud`, `api`)", { aud: ["web", "apis"] })).toBe(false);
  });

  it("precedence: ! binds tightest, then &&, then ||; parentheses group", () => {
    expect(holds("Equals(`grp`, `x`) && Equals(`grp`, `x`) || Equals(`grp`, `admin`)")).toBe(true);
    expect(holds("Equals(`grp`, `x`) && (Equals(`grp`, `x`) || Equals(`grp`, `admin`))")).toBe(false);
    expect(holds("!Equals(`grp`, `admin`) || Equals(`active`, `true`)")).toBe(true);
    expect(holds("!(Equals(`grp`, `admin`) || Equals(`active`, `true`))")).toBe(false);
    expect(holds("!!Equals(`grp`, `admin`)")).toBe(true);
  });

  it("reads Go's interpreted strings too, with escapes", () => {
    expect(holds('Equals("grp", "admin")')).toBe(true);
    expect(holds('Equals("q", "say \\"hi\\"\\u0021")', { q: 'say "hi"!' })).toBe(true);
  });
});

describe("claims: nested paths", () => {
  it("walks objects by dots; \\. is a dot in a name and \\\\ a backslash", () => {
    expect(claimPath("a.b\\.c.d\\\\e")).toEqual(["a", "b.c", "d\\e"]);
    const claims = { "https://example.com/roles": ["admin"], a: { "b.c": { "d\\e": "deep" } } };
    expect(claimAt(claims, "a.b\\.c.d\\\\e")).toBe("deep");
    expect(holds("Contains(`https://example\\.com/roles`, `admin`)", claims)).toBe(true);
  });

  it("a missing step, a scalar on the way, an array or an inherited property is no claim", () => {
    expect(claimAt(HUB, "user.name.first")).toBeUndefined();
    expect(claimAt(HUB, "areas.0")).toBeUndefined();
    expect(claimAt(HUB, "user.constructor")).toBeUndefined();
    expect(holds("Equals(`toString`, ``)", {})).toBe(false);
  });
});

describe("claims: errors with a position", () => {
  const cases: [string, number, RegExp][] = [
    ["", 0, /empty/],
    ["Equal(`grp`, `admin`)", 0, /unknown function Equal, did you mean Equals\?/],
    ["Equals(`grp`)", 0, /Equals takes 2 arguments, found 1/],
    ["Equals(`grp`, `a`, `b`)", 0, /Equals takes 2 arguments, found 3/],
    ["OneOf(`grp`)", 0, /at least 2 arguments/],
    ["Equals(`grp`, `admin`", 21, /expected , or \)/],
    ["Equals(`grp`, `admin`) & Equals(`a`, `b`)", 23, /&& and \|\|/],
    ["Equals(`grp`, `admin`) Equals(`a`, `b`)", 23, /unexpected Equals/],
    ["Equals(`grp, `admin`)", 19, /unterminated string/],
    ["Equals(grp, `admin`)", 7, /expected a string/],
    ['Equals("a\\q", "b")', 9, /unknown escape/],
    ["(Equals(`a`, `b`)", 17, /closing parenthesis/],
    ["Equals(`a`, `b`) &&", 19, /expected a function/],
    ["Equals(`a`, `b`) # x", 17, /unexpected "#"/],
  ];
  for (const [text, position, message] of cases) {
    it(`refuses ${JSON.stringify(text)} at ${position}`, () => {
      const p = problem(text);
      expect(p.message).toMatch(message);
      expect(p.position).toBe(position);
    });
  }

  it("bounds nesting and length, and stays linear on long flat input", () => {
    const deep = `${"(".repeat(CLAIMS_MAX_DEPTH + 1)}Equals(\`a\`, \`b\`)${")".repeat(CLAIMS_MAX_DEPTH + 1)}`;
    expect(problem(deep).message).toMatch(/nested more than 32/);
    expect(problem("!".repeat(100) + "Equals(`a`, `b`)").message).toMatch(/nested/);
    expect(problem("Equals(`a`, `b`) || ".repeat(1000)).message).toMatch(/longer than/);
    const flat = Array.from({ length: 300 }, (_, i) => `Equals(\`k${i}\`, \`v\`)`).join(" || ");
    expect(flat.length).toBeLessThan(8192);
    expect(holds(flat, { k299: "v" })).toBe(true);
  });
});

describe("forwardHeaders: claim to header", () => {
  it("strips any incoming copy, then sets strings as is, missing as empty, the rest as JSON", () => {
    const apply = claimHeaders({ "X-Group": "grp", "X-Areas": "areas", "X-Active": "active", "X-Name": "user.name", "X-None": "nope" });
    const headers = new Headers({ "x-group": "forged", "x-none": "forged", other: "kept" });
    apply(headers, HUB);
    expect(headers.get("x-group")).toBe("admin");
    expect(headers.get("x-areas")).toBe('["office","home"]');
    expect(headers.get("x-active")).toBe("true");
    expect(headers.get("x-name")).toBe("John Snow");
    expect(headers.get("x-none")).toBe("");
    expect(headers.get("other")).toBe("kept");
  });

  it("a string a header cannot carry (newline, non-ASCII) goes JSON-encoded with \\u escapes", () => {
    expect(claimHeaderValue("a\r\nX-Admin: yes")).toBe('"a\\r\\nX-Admin: yes"');
    expect(claimHeaderValue("Zoë")).toBe('"Zo\\u00eb"');
    expect(claimHeaderValue({ n: "é" })).toBe('{"n":"\\u00e9"}');
    expect(() => new Headers({ x: claimHeaderValue("a\nb") })).not.toThrow();
  });
});
