// The one-pass shortcut (worker/rules/quick.ts) against the full parser, which is the reference:
// on every rule, quickParse returns null or the very tree the full parser builds with shared
// leaves; it must take the common shapes (or it saves nothing), and leave every error to the
// full parser.
import { describe, expect, it } from "vitest";
import data from "../../../../shared/conformance/traefik-http-rules.json";
import { generateRoutes, prng } from "../../../bench/routes.ts";
import { RuleFailure } from "../../../worker/rules/lexer.ts";
import type { Node } from "../../../worker/rules/node.ts";
import { fullParse } from "../../../worker/rules/parser.ts";
import { quickParse } from "../../../worker/rules/quick.ts";

/** The tree as data: operators by structure and offsets, leaves by identity (both parsers share them). */
function shape(n: Node, leaves: Node[]): unknown {
  if (n.a === null) {
    leaves.push(n);
    return `leaf#${leaves.length - 1}`;
  }
  return { op: n.op, pos: n.pos, end: n.end, grouped: n.grouped, a: shape(n.a, leaves), b: n.b === null ? null : shape(n.b, leaves) };
}

type Outcome = { error: string } | { tree: unknown; leaves: Node[] };

function full(src: string): Outcome {
  try {
    const leaves: Node[] = [];
    return { tree: shape(fullParse(src, true), leaves), leaves };
  } catch (e) {
    if (e instanceof RuleFailure) return { error: e.message };
    throw e;
  }
}

/** Compares the shortcut with the full parser on `src`; returns whether the shortcut took it. */
function agree(src: string): boolean {
  const want = full(src);
  const quick = quickParse(src);
  if (quick === null) return false;
  const leaves: Node[] = [];
  const got = { tree: shape(quick, leaves), leaves };
  expect(want, `full parser rejects what the shortcut took: ${src}`).not.toHaveProperty("error");
  expect(got.tree, src).toEqual((want as { tree: unknown }).tree);
  got.leaves.forEach((leaf, i) => expect(leaf, `${src}: leaf ${i}`).toBe((want as { leaves: Node[] }).leaves[i]));
  return true;
}

describe("quickParse (the shortcut) against the full parser", () => {
  it("takes every valid rule of the shared conformance cases, and leaves every invalid one to the full parser", () => {
    const rules = new Set<string>();
    for (const c of (data as { cases: { rule?: string; routes?: { rule: string }[] }[] }).cases) {
      if (c.rule !== undefined) rules.add(c.rule);
      for (const r of c.routes ?? []) rules.add(r.rule);
    }
    let valid = 0;
    for (const src of rules) {
      const ok = !("error" in full(src));
      if (ok) valid++;
      expect(agree(src), src).toBe(ok);
    }
    expect(valid).toBeGreaterThan(20);
  });

  it("takes every rule of the benchmark's tables", () => {
    for (const r of generateRoutes(1000)) expect(agree(r.rule), r.rule).toBe(true);
  });

  it("takes nesting, negation and precedence as Go reads them", () => {
    const rules = [
      "Host(`a.com`)",
      "Host(`a.com`) && PathPrefix(`/x`) && Method(`GET`)",
      'Host("a.com") || PathPrefix("/x")',
      "Host(`a.com`) || Host(`b.com`) && Path(`/p`)",
      "Host(`a.com`) && Host(`b.com`) || Path(`/p`)",
      "!Host(`a.com`) && !!Path(`/p`)",
      "!(Host(`a.com`) || Path(`/p`)) && Method(`PUT`)",
      "((Host(`a.com`)))",
      "(Host(`a.com`) || (Path(`/a`) && !(Method(`GET`)))) || Header(`X-A`, `1`)",
      "  Host ( `a.com` , )\t&&\tQuery(`k`)  ",
      "host(`a.com`) && PATHPREFIX(`/a`) && Headerregexp(`X`, `^a`)",
      "ClientIP(`10.0.0.0/8`) || QueryRegexp(`q`, `^[0-9]+$`)",
    ];
    for (const src of rules) expect(agree(src), src).toBe(true);
  });

  it("leaves what is not the common shape, and every error, to the full parser", () => {
    const rules = [
      "",
      "   ",
      'Host("a\\x2e.com")',
      'Host("a.com\n")',
      "Host(`a.com`)\n&& Path(`/`)",
      "Host(`a.com`) &&\nPath(`/`)",
      "Host(`a\r.com`)",
      "Host(`a.com`) & Path(`/`)",
      "Host(`a.com`) Path(`/`)",
      "Host(`a.com`) &&",
      "&& Host(`a.com`)",
      "(Host(`a.com`)",
      "Host(`a.com`))",
      "Host()",
      "Host(``)",
      "Host(`a.com`",
      "Host(`a.com` `b.com`)",
      "Host(`a.com`,,)",
      "Hosts(`a.com`)",
      "hOST(`a.com`)",
      "Host2(`a.com`)",
      "_Host(`a.com`)",
      "Hóst(`a.com`)",
      "Path(`x`)",
      "PathRegexp(`(`)",
      "Header(`X`)",
      "ClientIP(`nope`)",
      "!",
      "()",
      "Host(`a.com`) || ()",
    ];
    for (const src of rules) expect(quickParse(src), JSON.stringify(src)).toBeNull();
  });

  it("agrees with the full parser on random rules, valid or not", () => {
    const rand = prng(0x9a11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const blanks = ["", "", " ", "  ", "\t", "\n"];
    const calls = ["Host(`a.com`)", "Host(`*.b.org`)", "PathPrefix(`/api`)", "Path(`/x`)", "Method(`POST`)", "Header(`X-K`, `v`)", "Query(`q`)", 'Host("q.com")', "Host(``)", "PathRegexp(`^/r/[0-9]+$`)", "Bogus(`x`)"];
    const gen = (depth: number): string => {
      const r = rand();
      if (depth > 3 || r < 0.4) return pick(calls);
      if (r < 0.55) return `!${pick(blanks)}${gen(depth + 1)}`;
      if (r < 0.7) return `(${pick(blanks)}${gen(depth + 1)}${pick(blanks)})`;
      return `${gen(depth + 1)}${pick(blanks)}${pick(["&&", "||", "&&", "||", "&", "|"])}${pick(blanks)}${gen(depth + 1)}`;
    };
    let taken = 0;
    let rejected = 0;
    for (let k = 0; k < 2000; k++) {
      const src = rand() < 0.05 ? gen(0).slice(0, Math.floor(rand() * 30)) : gen(0);
      if (agree(src)) taken++;
      else if ("error" in full(src)) rejected++;
    }
    // Both sides are exercised: many rules taken by the shortcut, many errors left to the full parser.
    expect(taken).toBeGreaterThan(400);
    expect(rejected).toBeGreaterThan(200);
  });
});
