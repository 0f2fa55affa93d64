import { buildMuxer, compileRule, defaultPriority } from "../worker/rules/index.ts";
import { generateRoutes } from "./routes.ts";
const rules = generateRoutes(10000);
const t0 = performance.now();
const compiled = rules.map((r) => compileRule(r.rule));
const t1 = performance.now();
const mux = buildMuxer(rules.map((r, i) => ({ name: r.name, rule: (compiled[i] as any).value, priority: r.rule.length, handler: 1 })));
const t2 = performance.now();
console.log("compile", (t1 - t0).toFixed(0), "mux", (t2 - t1).toFixed(0), mux.size);
// by kind, warm
for (const kind of ["host+prefix", "host+prefix+header", "host+prefix+method", "host+pathregexp", "hostregexp", "pathregexp"]) {
  const rs = rules.filter((r) => r.kind === kind);
  const a = performance.now();
  for (let k = 0; k < 3; k++) for (const r of rs) compileRule(r.rule);
  console.log(kind.padEnd(20), ((performance.now() - a) * 1000 / (3 * rs.length)).toFixed(1), "µs/rule warm", rs.length);
}
