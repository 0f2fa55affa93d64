// Regex cells: what one Go regexp costs on each engine of worker/go/regexp (the runtime's RegExp
// where linear.ts proves it safe, re2js otherwise): compile, a match that hits, one that misses,
// a replacement with groups, and an adversarial subject of 100,000 characters. Part of
// `npm run bench`; a report, not a test (it exits 0 whatever the figures).
import { parseTemplate, replaceAll } from "../worker/go/regexp/expand.ts";
import { compileGoRegexp, type GoRegexp } from "../worker/go/regexp/index.ts";
import { elapsedMs, hrnow, measure } from "./timing.ts";

const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 1000) / 2;

interface Cell {
  readonly name: string;
  readonly pattern: string;
  readonly hit: string;
  readonly miss: string;
}

const CELLS: Cell[] = [
  { name: "tenant HostRegexp", pattern: "^[a-z]+\\.tenant1\\.example\\.com$", hit: "acme.tenant1.example.com", miss: "acme.tenant2.example.com" },
  { name: "reports PathRegexp", pattern: "^/reports/[0-9]{4}/[a-z]+$", hit: "/reports/2024/daily", miss: "/reports/24/daily" },
  { name: "suffix HostRegexp", pattern: "\\.example\\.com$", hit: "a.example.com", miss: "a.example.org" },
  { name: "docs HostRegexp", pattern: "^.+\\.example\\.com$", hit: "www.example.com", miss: "www.example.org" },
  { name: "named group", pattern: "(?i)^/api/(?P<ver>v[0-9]+)/", hit: "/API/v2/users", miss: "/web/v2/users" },
  { name: "POSIX class", pattern: "^/[[:alpha:]]+/\\d+$", hit: "/users/42", miss: "/users/x42" },
];

function compiled(pattern: string): GoRegexp {
  const r = compileGoRegexp(pattern);
  if (!r.ok) throw new Error(`${pattern}: ${r.error}`);
  return r.value;
}

const fmt = (ns: number): string => (ns >= 10_000 ? `${(ns / 1000).toFixed(1)} µs` : `${ns.toFixed(0)} ns`);

function row(cells: readonly string[]): string {
  const widths = [22, 7, 12, 12, 12, 14];
  return cells.map((c, i) => c.padEnd(widths[i] ?? 12)).join(" ");
}

/**
 * Compile (and first match) of a pattern never seen before: the cache is by text, so each round
 * takes a variant with a fresh literal after any leading (?i) and ^, which keeps the engine.
 */
function compileNs(pattern: string): number {
  const at = /^(?:\(\?i\))?\^?/.exec(pattern)![0].length;
  let k = 0;
  const variant = () => `${pattern.slice(0, at)}zq${k++}${pattern.slice(at)}`;
  const t = measure(() => compiled(variant()).test(""), 1, { budgetMs: BUDGET_MS / 2 });
  return t.median;
}

function main(): void {
  console.log("Go regexp cells (worker/go/regexp): ns per operation, median of ~1 ms batches");
  console.log(row(["cell", "engine", "compile", "test hit", "test miss", "replace (hit)"]));
  const t0 = hrnow();
  compiled("^/warm(?P<x>up)$").test("/warmup"); // the first compile in a process loads re2js's tables
  const firstMs = elapsedMs(t0);
  for (const c of CELLS) {
    const re = compiled(c.pattern);
    const hit = measure(() => re.test(c.hit), 1, { budgetMs: BUDGET_MS });
    const miss = measure(() => re.test(c.miss), 1, { budgetMs: BUDGET_MS });
    const template = parseTemplate("<$0>");
    const replace = measure(() => replaceAll(re, c.hit, template), 1, { budgetMs: BUDGET_MS });
    console.log(row([c.name, re.engine, fmt(compileNs(c.pattern)), fmt(hit.median), fmt(miss.median), fmt(replace.median)]));
  }
  console.log(`info  first re2js compile in a fresh process: ${firstMs.toFixed(1)} ms`);
  adversarial();
}

/** Patterns that stall a backtracking engine, on "/" + 100,000 × "a" + "!": ms per match. */
function adversarial(): void {
  const subject = `/${"a".repeat(100_000)}!`;
  for (const pattern of ["^/(a+)+$", "^(a|aa)+b$", "[0-9a]+[0-9a]+[0-9a]+$"]) {
    const re = compiled(pattern);
    re.test("/a");
    const t0 = hrnow();
    re.test(subject);
    const testMs = elapsedMs(t0);
    const t1 = hrnow();
    replaceAll(re, subject, parseTemplate("x"));
    console.log(`adversarial ${pattern.padEnd(24)} ${re.engine}: test ${testMs.toFixed(2)} ms, replace ${elapsedMs(t1).toFixed(2)} ms (100,000 characters)`);
  }
}

main();
