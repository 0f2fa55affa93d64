// A YAML config costs time linear in its size: the yaml package's own duplicate-key check compares
// each key with every earlier key of its map (a 10,000-router file took seconds of CPU in the CLI,
// the admin API and every isolate reading a hand-written YAML snapshot); worker/config/parse.ts
// turns it off and checks duplicates in one pass. Four times the keys must cost about four times
// the CPU, not sixteen. In Node, whose CPU clock moves while code runs.
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../worker/config/index.ts";

const cpuMs = (): number => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
};

/** One map of n keys: the shape where comparing keys pairwise shows most (a routers map is one). */
const flatYaml = (n: number): string => "m:\n" + Array.from({ length: n }, (_, i) => `  k${i}: 1`).join("\n") + "\n";

function parseCpu(text: string): number {
  const t0 = cpuMs();
  const parsed = parseConfigText(text, "yaml");
  const spent = cpuMs() - t0;
  expect(parsed.ok).toBe(true);
  return spent;
}

describe("YAML parsing is linear in the number of keys", () => {
  it("a map of 16,000 keys costs about 4x one of 4,000, not 16x", () => {
    const small = flatYaml(4_000);
    const large = flatYaml(16_000);
    parseCpu(small); // warm the parser's code
    const best = (text: string) => Math.min(parseCpu(text), parseCpu(text));
    const a = best(small);
    const b = best(large);
    // Measured in Node: the package's own check 282 ms → 3,337 ms (11.8x); this one 123 → 328 ms.
    expect(b / a).toBeLessThan(7);
    expect(b).toBeLessThan(2_000);
  });

  it("still refuses a duplicate key, in a block map and in a flow map, with its line", () => {
    expect(parseConfigText("http:\n  routers:\n    a: {}\n    b: {}\n    a: {}\n", "yaml")).toEqual({
      ok: false,
      error: [{ path: "", message: "YAML syntax error at line 5, column 5: Map keys must be unique", severity: "error" }],
    });
    const flow = parseConfigText("http: {routers: {a: {}, 'a': {}}}\n", "yaml");
    expect(flow.ok ? "" : flow.error[0]!.message).toMatch(/^YAML syntax error at line 1, column \d+: Map keys must be unique$/);
    // 1 and "1" are two keys, as for the yaml package.
    expect(parseConfigText("m:\n  1: a\n  '1': b\n", "yaml").ok).toBe(true);
  });
});
