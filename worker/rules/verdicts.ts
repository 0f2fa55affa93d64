// Explain in detail: every route a request was tried against, in route order, with whether its
// rule matched and, when not, the sub-expression that made it false. Off the request path: it
// reads each rule's explain() trace (compile.ts: the rule parsed again and evaluated without short
// cuts, linear in the rule's size), never the hot matcher.
import { matchChain } from "./chain.ts";
import type { Muxer, RequestView, Route, RuleTrace } from "./types.ts";

/** At most this many routes are described (the answer says `truncated` beyond). */
export const MAX_VERDICTS = 200;

export interface RouteVerdict {
  readonly router: string;
  readonly priority: number;
  readonly rule: string;
  readonly matched: boolean;
  /** Not matched: the sub-expression as written that made the rule false (failedPart). */
  readonly failed?: string;
  /** When `failed` is one matcher: what it looked at in the request, e.g. `host "a.com"`. */
  readonly saw?: string;
  /** A child route (multi-layer routing): the parent whose children it is among. */
  readonly parent?: string;
}

export interface Verdicts {
  readonly routers: RouteVerdict[];
  /** More routes were tried than MAX_VERDICTS. */
  readonly truncated: boolean;
}

/**
 * The part of a false trace to show, by one rule: where evaluation stops. A leaf is itself; for
 * `A && B` the first false operand, looked into in turn; a false `A || B` is shown whole (every
 * branch failed, none is "the" one); a false `!A` (A matched) is `!A`. null for a true trace.
 */
export function failedPart(trace: RuleTrace): RuleTrace | null {
  if (trace.result) return null;
  if (trace.op !== "and") return trace;
  const first = (trace.children ?? []).find((c) => !c.result);
  return first ? failedPart(first) : trace;
}

/** One route's verdict against the request. */
export function verdictOf<H>(route: Route<H>, view: RequestView, parent?: string): RouteVerdict {
  const base = { router: route.name, priority: route.priority, rule: route.rule.source, ...(parent !== undefined ? { parent } : {}) };
  const trace = route.rule.explain(view);
  const failed = failedPart(trace);
  if (failed === null) return { ...base, matched: true };
  return { ...base, matched: false, failed: failed.expr, ...(failed.detail !== undefined ? { saw: failed.detail } : {}) };
}

/**
 * The routes of the top muxer in route order, then those of each parent the request went through
 * (marked with `parent`), at most `limit` in all. Routes after the one that serves are listed too:
 * `matched: true` there means shadowed by a higher-priority route.
 */
export function verdicts<H>(muxer: Muxer<H>, view: RequestView, limit = MAX_VERDICTS): Verdicts {
  const out: RouteVerdict[] = [];
  const levels: { muxer: Muxer<H>; parent?: string }[] = [{ muxer }];
  for (const route of matchChain(muxer, view).chain) if (route.children) levels.push({ muxer: route.children, parent: route.name });
  let truncated = false;
  for (const level of levels) {
    const left = limit - out.length;
    const routes = level.muxer.firstRoutes(left + 1);
    for (const route of routes.slice(0, left)) out.push(verdictOf(route, view, level.parent));
    if (routes.length > left) {
      truncated = true;
      break;
    }
  }
  return { routers: out, truncated };
}
