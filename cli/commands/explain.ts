import type { RouterConfig } from "../../worker/config/index.ts";
import { compileRoutes } from "../../worker/compile/routes.ts";
import { loadConfig } from "../../worker/config/index.ts";
import { buildMuxer, matchChain, type Muxer, type RequestView as View, type Route, type RuleTrace } from "../../worker/rules/index.ts";
import { DEFAULT_SETTINGS, formatOf, parse, readText, required, type CliSettings, type Io } from "../io.ts";
import { answerEach, parseRequests } from "../requests.ts";
import { formatIssue } from "./validate.ts";

interface RouterInfo {
  /** Absent on a parent router (multi-layer routing). */
  readonly service: string | undefined;
  readonly middlewares: readonly string[];
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
  const info = (_n: string, r: RouterConfig): RouterInfo => ({ service: r.service, middlewares: r.middlewares ?? [] });
  const muxer = buildMuxer(compileRoutes<RouterInfo>(loaded.config, info, [], loaded.rules, defaultRuleSyntax));
  return answerEach(requests, io, { router: null }, (view) => explainOne(muxer, view));
}

/**
 * A hit: the leaf router; through parent routers also `chain` (root first, the leaf last). A miss:
 * the highest-priority routes of the level where nothing matched (the top, or a parent's children).
 */
function explainOne(muxer: Muxer<RouterInfo>, view: View) {
  const { chain, served, missedIn } = matchChain(muxer, view);
  const levels = chain.length > (served ? 1 : 0) ? { chain: chain.map(level), ...parentsNote(chain) } : {};
  const hit = served ? chain[chain.length - 1]! : null;
  if (hit) return { router: hit.name, priority: hit.priority, rule: hit.rule.source, service: hit.handler.service, ...levels };
  const tried = (missedIn?.routes ?? []).slice(0, MISS_DETAIL).map((r) => ({
    router: r.name,
    priority: r.priority,
    failed: failedParts(r.rule.explain(view)),
  }));
  return { router: null, ...levels, tried };
}

function level(r: Route<RouterInfo>) {
  return { router: r.name, priority: r.priority, rule: r.rule.source };
}

/** explain matches children against the request as given: say so when a parent would have changed it first. */
function parentsNote(chain: readonly Route<RouterInfo>[]) {
  const withMiddlewares = chain.filter((r) => r.children !== undefined && r.handler.middlewares.length > 0);
  if (withMiddlewares.length === 0) return {};
  const which = withMiddlewares.map((r) => `${r.name}: ${r.handler.middlewares.join(", ")}`).join("; ");
  return { note: `children were matched against the request as given: explain does not run the parent routers' middlewares (${which})` };
}

/** The smallest sub-expressions that made a trace false, for a user to see what to fix: inside an
 *  `&&` each false operand; an `||` or `!` that is false is shown whole. */
export function failedParts(trace: RuleTrace): string[] {
  if (trace.result) return [];
  if (trace.op !== "and") return [trace.expr];
  return (trace.children ?? []).filter((c) => !c.result).flatMap(failedParts);
}
