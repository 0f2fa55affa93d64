import type { RouterConfig } from "../../worker/config/index.ts";
import { compileRoutes } from "../../worker/compile/routes.ts";
import { loadConfig } from "../../worker/config/index.ts";
import { buildMuxer, type Muxer, type RequestView as View, type Route, type RuleTrace } from "../../worker/rules/index.ts";
import { DEFAULT_SETTINGS, formatOf, parse, readText, required, type CliSettings, type Io } from "../io.ts";
import { answerEach, parseRequests } from "../requests.ts";
import { formatIssue } from "./validate.ts";

interface RouterInfo {
  readonly service: string;
}

/** How many non-matching routers (highest priority first) a miss explains. */
const MISS_DETAIL = 5;

export async function explainCommand(args: string[], io: Io, settings: CliSettings = DEFAULT_SETTINGS): Promise<number> {
  const { values } = parse(args, { config: { type: "string" }, requests: { type: "string" } });
  const configFile = required(values.config, "--config");
  const requests = parseRequests(await readText(required(values.requests, "--requests")));
  const { defaultRuleSyntax } = settings;
  const loaded = loadConfig(await readText(configFile), formatOf(configFile), { defaultRuleSyntax });
  if (!loaded.ok) {
    io.err(`${configFile}: invalid`);
    for (const e of loaded.errors) io.err(formatIssue(e));
    return 1;
  }
  const routes = compileRoutes<RouterInfo>(loaded.config, (_n, r: RouterConfig) => ({ service: r.service }), [], loaded.rules, defaultRuleSyntax);
  const muxer = buildMuxer(routes);
  const byPriority = [...routes].sort((a, b) => b.priority - a.priority);
  return answerEach(requests, io, { router: null }, (view) => explainOne(muxer, byPriority, view));
}

function explainOne(muxer: Muxer<RouterInfo>, byPriority: Route<RouterInfo>[], view: View) {
  const hit = muxer.match(view);
  if (hit) return { router: hit.name, priority: hit.priority, rule: hit.rule.source, service: hit.handler.service };
  const tried = byPriority.slice(0, MISS_DETAIL).map((r) => ({
    router: r.name,
    priority: r.priority,
    failed: failedParts(r.rule.explain(view)),
  }));
  return { router: null, tried };
}

/** The smallest sub-expressions that made a trace false, for a user to see what to fix: inside an
 *  `&&` each false operand; an `||` or `!` that is false is shown whole. */
export function failedParts(trace: RuleTrace): string[] {
  if (trace.result) return [];
  if (trace.op !== "and") return [trace.expr];
  return (trace.children ?? []).filter((c) => !c.result).flatMap(failedParts);
}
