import { buildMuxer, compileRule } from "../worker/rules/index.ts";
import { compileGoRegexp } from "../worker/rules/regexp.ts";
import { parseRule } from "../worker/rules/parser.ts";
import { tokenize } from "../worker/rules/lexer.ts";
import { generateRoutes } from "./routes.ts";
const gc = (globalThis as any).gc as () => void;
const rules = generateRoutes(10000);
const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
const time = (name: string, f: () => unknown, reps = 5) => {
  const xs: number[] = [];
  for (let k = 0; k < reps; k++) { const a = performance.now(); f(); xs.push(performance.now() - a); }
  console.log(name.padEnd(46), xs.map((x) => x.toFixed(1)).join(" "), "ms");
};
const h0 = heap();
const compiled = rules.map((r) => (compileRule(r.rule) as any).value);
const h1 = heap();
const mux = buildMuxer(rules.map((r, i) => ({ name: r.name, rule: compiled[i], priority: r.rule.length, handler: 1 })));
const h2 = heap();
console.log("heap: compiled rules", ((h1 - h0) / 2 ** 20).toFixed(1), "MB; muxer", ((h2 - h1) / 2 ** 20).toFixed(1), "MB", mux.size);
const pats = rules.flatMap((r) => [...r.rule.matchAll(/Regexp\(`([^`]*)`\)/g)].map((m) => m[1]!));
const js = pats.map((p) => (compileGoRegexp(p) as any).value.re as RegExp);
console.log(pats.length, "regex patterns");
time("tokenize x10k", () => rules.forEach((r) => tokenize(r.rule)));
time("parseRule x10k", () => rules.forEach((r) => parseRule(r.rule)));
time("compileRule x10k", () => rules.forEach((r) => compileRule(r.rule)));
time("compileGoRegexp xR", () => pats.forEach((p) => compileGoRegexp(p)));
time("new RegExp(src,flags) xR", () => js.forEach((re) => new RegExp(re.source, re.flags)));
time("new RegExp + test('') xR", () => js.forEach((re) => new RegExp(re.source, re.flags).test("")));
time("buildMuxer", () => buildMuxer(rules.map((r, i) => ({ name: r.name, rule: compiled[i], priority: r.rule.length, handler: 1 }))));
