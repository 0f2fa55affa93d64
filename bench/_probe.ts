import { buildMuxer, viewFromDescription } from "../worker/rules/index.ts";
import { compileRoutes, tables } from "./impls.ts";
for (const size of [10, 1000, 10000]) {
  const t = tables(size);
  const routes = compileRoutes(t.routes);
  let calls = 0;
  const byKind = new Map<string, [number, number]>();
  const kindOf = new Map(t.routes.map((r) => [r.name, r.kind]));
  const counted = routes.map((r) => ({ ...r, rule: { ...r.rule, match: (v: any) => { calls++; return r.rule.match(v); } } }));
  const mux = buildMuxer(counted);
  for (const q of t.requests) {
    const before = calls;
    mux.match(viewFromDescription({ method: q.method, url: q.url, headers: q.headers }));
    const k = q.expected === null ? "miss:" + new URL(q.url).hostname.replace(/[0-9]+/g, "N") : kindOf.get(q.expected)!;
    const e = byKind.get(k) ?? [0, 0];
    e[0]++; e[1] += calls - before;
    byKind.set(k, e);
  }
  console.log(size, "rule.match calls/request:", (calls / t.requests.length).toFixed(1), [...byKind].map(([k, [n, c]]) => `${k}: ${n} req, ${(c / n).toFixed(1)}`).join("; "));
}
