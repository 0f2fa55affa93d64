import { readFileSync, writeFileSync } from "node:fs";
const { benchConfig } = await import("./config.ts");
const { validateConfig, canonicalJSON } = await import("../worker/config/index.ts");
const { checkConfig } = await import("../worker/compile/check.ts");
const { factsOf, trustFacts } = await import("../worker/compile/facts.ts");
const { NO_INTERNAL_SERVICES } = await import("../worker/compile/internal.ts");
if (process.argv[2] === "prep") {
  const { config } = benchConfig(10000, (i) => [`http://10.0.${i % 250}.1:8080`]);
  const valid = validateConfig(config); if (!valid.ok) throw 1;
  const checked = checkConfig(valid.config, { internal: NO_INTERNAL_SERVICES, rules: valid.rules }); if (!checked.ok) throw 2;
  const text = canonicalJSON(valid.config);
  writeFileSync("/tmp/lc.json", text); writeFileSync("/tmp/lf.json", JSON.stringify(factsOf("x", text, JSON.parse(text), checked.routes, [], "v3")));
  process.exit(0);
}
const { lazyConfig } = await import("../worker/compile/spans.ts");
const { sha256Hex } = await import("../providers/store/hash.ts");
const t = readFileSync("/tmp/lc.json", "utf8"), f = readFileSync("/tmp/lf.json", "utf8");
await sha256Hex("w");
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const T: string[] = []; let a = cpu(); const lap = (n: string) => { const b = cpu(); T.push(`${n} ${(b - a).toFixed(1)}`); a = b; };
await sha256Hex(t); lap("sha");
const facts = JSON.parse(f); lap(`facts-parse(${(f.length/1024).toFixed(0)}KB)`);
const tr = trustFacts(facts, "x", "v3")!; lap("trust");
const c = lazyConfig(t, tr.routers); lap("lazyConfig");
console.log(T.join(" | "), !!c);
