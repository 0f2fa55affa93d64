// Bounds on parsed config data (worker/config/limits.ts): YAML alias bombs, documents nested far
// too deep, and aliases that expand past the size limit are refused with a message naming the
// limit, quickly and without running out of stack or memory; ordinary configs with many anchors,
// aliases and merge keys are read as before.
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfigText } from "../../../worker/config/index.ts";
import { MAX_DEPTH, MAX_EXPANDED_SIZE, MAX_YAML_ALIASES } from "../../../worker/config/limits.ts";
import { putConfig } from "../helpers/admin.ts";

/** The classic "billion laughs": 9 levels of 9 aliases each, 9^9 (387 million) strings once expanded. */
export const BILLION_LAUGHS = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
  .concat("bcdefghi".split("").map((l, i) => `${l}: &${l} [${Array(9).fill(`*${"abcdefghi"[i]}`).join(", ")}]`))
  .join("\n");

/** `levels` anchors, each a list of `fanout` aliases of the one before: fanout^levels leaves. */
function bomb(levels: number, fanout: number): string {
  const lines = ["l0: &l0 [lol]"];
  for (let i = 1; i <= levels; i++) lines.push(`l${i}: &l${i} [${Array(fanout).fill(`*l${i - 1}`).join(", ")}]`);
  return lines.join("\n");
}

/** An ordinary config: `n` routers and services that share settings through anchors and merge keys. */
function anchored(n: number): string {
  const lines = [
    "http:",
    "  middlewares:",
    "    strip: {stripPrefix: {prefixes: [/api]}}",
    "    compress: {compress: {}}",
    "  services:",
    "    s0: &lb",
    "      loadBalancer: &lbBody",
    "        servers: [{url: 'http://127.0.0.1:9'}]",
    "        passHostHeader: false",
    "  routers:",
    "    r0: &router {rule: 'PathPrefix(`/r0`)', service: s0, middlewares: &mws [strip, compress], priority: 5}",
  ];
  for (let i = 1; i < n; i++) lines.splice(9, 0, `    s${i}: *lb`);
  for (let i = 1; i < n; i++) lines.push(`    r${i}: {<<: *router, rule: 'PathPrefix(\`/r${i}\`)', middlewares: *mws, service: s${i}}`);
  return lines.join("\n") + "\n";
}

function timed<T>(f: () => T): [T, number] {
  const start = performance.now();
  const value = f();
  return [value, performance.now() - start];
}

function onlyError(text: string, format: "yaml" | "json" | "toml") {
  const parsed = parseConfigText(text, format);
  expect(parsed.ok).toBe(false);
  if (parsed.ok) throw new Error("parsed");
  expect(parsed.error).toHaveLength(1);
  return parsed.error[0]!;
}

describe("YAML aliases", () => {
  it("refuses the billion laughs quickly, naming the limit", () => {
    const [issue, ms] = timed(() => onlyError(BILLION_LAUGHS, "yaml"));
    expect(issue.path).toBe("");
    expect(issue.message).toContain(`aliases expand to more than ${MAX_YAML_ALIASES.toLocaleString("en-US")} aliases`);
    console.log(`billion laughs refused in ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(5000);
  });

  it("refuses a wide bomb (30 levels of 30) as quickly", () => {
    const [issue, ms] = timed(() => onlyError(bomb(30, 30), "yaml"));
    expect(issue.message).toContain("against alias bombs");
    console.log(`30x30 bomb refused in ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(5000);
  });

  it("refuses many anchors each used under the limit once the aliases written pass it, before resolving any", () => {
    // Resolving is quadratic in the aliases written: 100,000 would take minutes.
    const anchors = Array.from({ length: 100 }, (_, i) => `a${i}: &a${i} {x: ${i}}\nl${i}: [${Array(1000).fill(`*a${i}`).join(", ")}]`);
    const [issue, ms] = timed(() => onlyError(anchors.join("\n"), "yaml"));
    expect(issue.message).toContain(`uses more than ${MAX_YAML_ALIASES.toLocaleString("en-US")} aliases`);
    console.log(`100,000 aliases refused in ${ms.toFixed(1)} ms`);
    // Resolving them would take minutes; the parse alone is 0.7 s here, more on a loaded machine.
    expect(ms).toBeLessThan(15_000);
  });

  it("refuses few aliases of a big anchor once the expansion passes the size limit", () => {
    // 1,000 aliases (well under the alias limit) of a 10,000-character string: 10 million characters.
    const text = `big: &big "${"x".repeat(10_000)}"\nlist: [${Array(1000).fill("*big").join(", ")}]\n`;
    const [issue, ms] = timed(() => onlyError(text, "yaml"));
    expect(issue.message).toContain(`more than ${MAX_EXPANDED_SIZE.toLocaleString("en-US")} values and characters`);
    console.log(`size bomb refused in ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(5000);
  });

  it("reads an ordinary config with more aliases than the yaml package's default limit (100)", () => {
    const result = loadConfig(anchored(300), "yaml");
    if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
    expect(Object.keys(result.config.http!.routers!)).toHaveLength(300);
    expect(result.config.http!.routers!.r299).toMatchObject({ rule: "PathPrefix(`/r299`)", service: "s299", middlewares: ["strip", "compress"], priority: 5 });
    expect(result.config.http!.services!.s299).toMatchObject({ loadBalancer: { passHostHeader: false } });
  });

  it(`reads ${MAX_YAML_ALIASES.toLocaleString("en-US")} aliases of one anchor, and refuses one more`, () => {
    const text = (n: number) => `a: &a {x: 1}\nlist: [${Array(n).fill("*a").join(", ")}]\n`;
    const [ok, ms] = timed(() => parseConfigText(text(MAX_YAML_ALIASES), "yaml"));
    console.log(`${MAX_YAML_ALIASES} aliases read in ${ms.toFixed(1)} ms`);
    expect(ok.ok).toBe(true);
    expect(onlyError(text(MAX_YAML_ALIASES + 1), "yaml").message).toContain("against alias bombs");
  });

  it("an alias before its anchor is a 400-style error value, not an exception", () => {
    expect(onlyError("a: *nope\n", "yaml").message).toMatch(/^YAML error: .*nope/);
  });
});

describe("nesting depth", () => {
  const deepArray = (n: number) => "[".repeat(n) + "]".repeat(n);
  const deepObject = (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n);

  it("JSON nested 100,000 deep is refused at the limit, with the path where it was crossed", () => {
    const arrays = onlyError(deepArray(100_000), "json");
    expect(arrays.message).toContain(`nested deeper than ${MAX_DEPTH} levels`);
    expect(arrays.path).toBe("[0]".repeat(MAX_DEPTH));
    const objects = onlyError(deepObject(100_000), "json");
    expect(objects.path).toBe(Array(MAX_DEPTH).fill("a").join("."));
  });

  it(`accepts ${MAX_DEPTH} levels, refuses ${MAX_DEPTH + 1}, in every format`, () => {
    expect(parseConfigText(deepObject(MAX_DEPTH), "json").ok).toBe(true);
    expect(onlyError(deepObject(MAX_DEPTH + 1), "json").message).toContain(`${MAX_DEPTH} levels`);
    expect(parseConfigText(deepObject(MAX_DEPTH), "yaml").ok).toBe(true);
    expect(onlyError(deepObject(MAX_DEPTH + 1), "yaml").message).toContain(`${MAX_DEPTH} levels`);
    const dotted = (n: number) => `${Array(n).fill("a").join(".")} = 1\n`;
    expect(parseConfigText(dotted(MAX_DEPTH), "toml").ok).toBe(true);
    expect(onlyError(dotted(MAX_DEPTH + 1), "toml").path).toBe(Array(MAX_DEPTH).fill("a").join("."));
  });

  it("brackets and quotes inside JSON strings do not count as nesting", () => {
    const text = JSON.stringify({ http: { routers: { r: { rule: "PathRegexp(`^/[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[`) \\\" {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{" } } } });
    expect(parseConfigText(text, "json").ok).toBe(true);
  });

  it("YAML nested 100,000 deep (flow) or 200 deep (block) is refused, naming the limit", () => {
    expect(onlyError(deepArray(100_000), "yaml").message).toContain(`at most ${MAX_DEPTH} levels`);
    const block = Array.from({ length: 200 }, (_, i) => `${" ".repeat(i)}k:`).join("\n") + " 1\n";
    const issue = onlyError(block, "yaml");
    expect(issue.message).toContain(`nested deeper than ${MAX_DEPTH} levels`);
    expect(issue.path).toBe(Array(MAX_DEPTH).fill("k").join("."));
  });

  it("TOML nested 100,000 deep is refused, naming the limit", () => {
    expect(onlyError(`a = ${deepArray(100_000)}`, "toml").message).toContain(`at most ${MAX_DEPTH} levels`);
    expect(onlyError(`a = ${deepArray(MAX_DEPTH + 5)}`, "toml").message).toContain(`at most ${MAX_DEPTH} levels`);
  });
});

describe("the admin API answers 400 with the reason, never 500", () => {
  const cases: [string, string, string, RegExp][] = [
    ["a YAML alias bomb", BILLION_LAUGHS, "application/yaml", /against alias bombs/],
    ["JSON nested 100,000 deep (lists)", "[".repeat(100_000) + "]".repeat(100_000), "application/json", /nested deeper than 64 levels/],
    ["JSON nested 100,000 deep (maps)", '{"http":'.repeat(100_000) + "1" + "}".repeat(100_000), "application/json", /nested deeper than 64 levels/],
    ["YAML nested 100,000 deep", "[".repeat(100_000) + "]".repeat(100_000), "application/yaml", /at most 64 levels/],
    ["TOML nested 100,000 deep", `a = ${"[".repeat(100_000)}${"]".repeat(100_000)}`, "application/toml", /at most 64 levels/],
  ];
  for (const [what, body, type, reason] of cases) {
    it(`PUT /config with ${what}`, async () => {
      const res = await putConfig(body, { "content-type": type });
      expect(res.status).toBe(400);
      const answer = (await res.json()) as { errors: { message: string }[] };
      expect(answer.errors[0]!.message).toMatch(reason);
    });
  }
});
