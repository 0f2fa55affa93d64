// Middleware options that depend on each other.
import type { Path } from "../issues.ts";
import type { MiddlewareOptions } from "../../schema/middlewares.ts";
import type { CheckContext } from "./context.ts";
import { entries } from "./context.ts";

type SourceCriterion = NonNullable<MiddlewareOptions<"rateLimit">["sourceCriterion"]>;

function checkSourceCriterion(ctx: CheckContext, path: Path, criterion: SourceCriterion | undefined): void {
  if (!criterion) return;
  const set = (["ipStrategy", "requestHeaderName", "requestHost"] as const).filter((k) =>
    k === "requestHost" ? criterion.requestHost === true : criterion[k] !== undefined,
  );
  if (set.length > 1) ctx.issues.error([...path, "sourceCriterion"], `sourceCriterion takes one strategy, found ${set.join(" and ")}`);
}

function checkForwardAuthTls(ctx: CheckContext, path: Path, options: MiddlewareOptions<"forwardAuth">): void {
  const tls = options.tls;
  if (tls && (tls.cert === undefined) !== (tls.key === undefined)) {
    ctx.issues.error([...path, "tls"], "tls.cert and tls.key go together: set both or neither");
  }
}

export function checkOptions(ctx: CheckContext): void {
  for (const [name, middleware] of entries(ctx, "middlewares")) {
    const base = ["http", "middlewares", name];
    if (middleware.rateLimit) checkSourceCriterion(ctx, [...base, "rateLimit"], middleware.rateLimit.sourceCriterion);
    if (middleware.inFlightReq) checkSourceCriterion(ctx, [...base, "inFlightReq"], middleware.inFlightReq.sourceCriterion);
    if (middleware.forwardAuth) checkForwardAuthTls(ctx, [...base, "forwardAuth"], middleware.forwardAuth);
    const compress = middleware.compress;
    if (compress?.includedContentTypes && compress.excludedContentTypes) {
      ctx.issues.error([...base, "compress"], "includedContentTypes and excludedContentTypes cannot be used together");
    }
  }
}
