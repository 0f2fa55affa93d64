// Service fields Traefik honours that a Worker cannot: accepted (a pasted config keeps working) with
// a warning at the field saying why. Judged on the parsed config, defaults filled, so that a config
// read back from the store (which writes every default) gets the same answer as the text it came from.
//
// passHostHeader is not warned: it defaults to true, the stored config writes that default, so a
// written `true` cannot be told from nothing written; docs/services.md says what it does on Workers.
import type { CheckContext } from "./context.ts";
import { entries } from "./context.ts";

export function checkServicePlatform(ctx: CheckContext): void {
  for (const [name, service] of entries(ctx, "services")) {
    if (service.loadBalancer?.responseForwarding === undefined) continue;
    ctx.issues.warn(
      ["http", "services", name, "loadBalancer", "responseForwarding", "flushInterval"],
      "flushInterval has no effect on Workers: the runtime streams a response body to the client as it arrives, it cannot be told when to flush",
    );
  }
}
