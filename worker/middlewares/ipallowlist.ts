// ipAllowList (and its deprecated v2 name ipWhiteList): let a request through only when the client
// IP chosen by ipStrategy is in sourceRange; otherwise answer rejectStatusCode (403 by default) with
// the status text as body, as Traefik does. Ranges and the strategy are built once per compile.
import { IPRanges } from "./ip/ranges.ts";
import { ipStrategy, type IPStrategyOptions } from "./ip/strategy.ts";
import { plain } from "./respond.ts";
import { statusText } from "../go/statustext.ts";
import type { Middleware, MiddlewareFactory } from "./types.ts";

interface AllowListOptions {
  readonly sourceRange: readonly string[];
  readonly ipStrategy?: IPStrategyOptions | undefined;
  readonly rejectStatusCode?: number | undefined;
}

function allowList(options: AllowListOptions): Middleware | string {
  if (options.sourceRange.length === 0) return "sourceRange is empty: list the IPs or CIDR ranges to let through";
  const status = options.rejectStatusCode || 403;
  if (statusText(status) === "") return `invalid HTTP status code ${status}`;
  const strategy = ipStrategy(options.ipStrategy);
  if (typeof strategy === "string") return strategy;
  const allowed = new IPRanges(options.sourceRange);
  return (next) => (request, rc) => (allowed.contains(strategy(request, rc)) ? next(request, rc) : Promise.resolve(plain(status)));
}

export const ipAllowList: MiddlewareFactory<"ipAllowList"> = (options) => allowList(options);

export const ipWhiteList: MiddlewareFactory<"ipWhiteList"> = (options) => allowList(options);
