// Each middleware's own option checks (worker/middlewares/checks), asked through their registry
// for every middleware that passed its schema: what Traefik's constructors would refuse.
import { optionChecks, type OptionCheck } from "../../middlewares/checks/index.ts";
import type { MiddlewareOptions, MiddlewareType } from "../../schema/middlewares.ts";
import type { CheckContext } from "./context.ts";
import { entries } from "./context.ts";

function run<K extends MiddlewareType>(ctx: CheckContext, name: string, type: K, options: MiddlewareOptions<K>): void {
  const check = optionChecks[type] as OptionCheck<K> | undefined;
  check?.(ctx.issues, ["http", "middlewares", name, type], options);
}

export function checkMiddlewareOptions(ctx: CheckContext): void {
  for (const [name, middleware] of entries(ctx, "middlewares")) {
    for (const type of Object.keys(middleware) as MiddlewareType[]) {
      const options = middleware[type];
      if (options !== undefined && options !== null) run(ctx, name, type, options as MiddlewareOptions<typeof type>);
    }
  }
}
