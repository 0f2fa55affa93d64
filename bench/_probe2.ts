import { viewFromRequest, viewFromDescription } from "../worker/rules/index.ts";
import { clientIPFromAddress } from "../worker/rules/ip.ts";
import { canonicalHost } from "../worker/rules/view.ts";
import { tables } from "./impls.ts";
import { measure } from "./timing.ts";
const t = tables(10);
const reqs = t.requests.map((q) => new Request(q.url, { method: q.method, headers: q.headers }));
const urls = t.requests.map((q) => q.url);
const parsed = urls.map((u) => new URL(u));
const n = reqs.length;
const cases: [string, (i: number) => unknown][] = [
  ["req.url getter", (i) => reqs[i]!.url],
  ["req.method getter", (i) => reqs[i]!.method],
  ["new URL(string)", (i) => new URL(urls[i]!)],
  ["new URL(req.url)", (i) => new URL(reqs[i]!.url)],
  ["canonicalHost(u.host)", (i) => canonicalHost(parsed[i]!.host)],
  ["u.pathname", (i) => parsed[i]!.pathname],
  ["clientIPFromAddress", (i) => clientIPFromAddress("203.0.113.7")],
  ["viewFromRequest(req, ip, url)", (i) => viewFromRequest(reqs[i]!, "203.0.113.7", parsed[i])],
  ["viewFromRequest(req, null, url)", (i) => viewFromRequest(reqs[i]!, null, parsed[i])],
  ["viewFromRequest(req, ip)", (i) => viewFromRequest(reqs[i]!, "203.0.113.7")],
  ["req.headers.get(x-canary)", (i) => reqs[i]!.headers.get("x-canary")],
];
for (const [name, op] of cases) console.log(name.padEnd(34), measure(op, n, { budgetMs: 400 }).median.toFixed(0));
