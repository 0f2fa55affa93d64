// Service fields Traefik honours that a Worker cannot: accepted (a pasted config keeps working) with
// a warning at the field saying why. Judged on the service as written, so that a default
// (passHostHeader: true, flushInterval: 100ms) warns nobody who did not write it.
import { isMap } from "../keys.ts";
import type { Path } from "../issues.ts";
import type { CheckContext } from "./context.ts";
import { entries } from "./context.ts";

function field(value: unknown, ...keys: string[]): unknown {
  let at = value;
  for (const key of keys) at = isMap(at) && Object.hasOwn(at, key) ? at[key] : undefined;
  return at;
}

function checkLoadBalancer(ctx: CheckContext, path: Path, written: unknown, urls: readonly string[]): void {
  const lb = field(written, "loadBalancer");
  if (field(lb, "passHostHeader") === true && urls.some((u) => /^https?:\/\//i.test(u))) {
    ctx.issues.warn(
      [...path, "passHostHeader"],
      "passHostHeader has no effect on http(s) servers on Workers: fetch() sets Host from the server's URL (the client's host goes in X-Forwarded-Host); it applies to binding:// servers only",
    );
  }
  if (field(lb, "responseForwarding", "flushInterval") !== undefined) {
    ctx.issues.warn(
      [...path, "responseForwarding", "flushInterval"],
      "flushInterval has no effect on Workers: the runtime streams a response body to the client as it arrives, it cannot be told when to flush",
    );
  }
}

export function checkServicePlatform(ctx: CheckContext): void {
  for (const [name, service] of entries(ctx, "services")) {
    if (!service.loadBalancer) continue;
    const urls = (service.loadBalancer.servers ?? []).map((s) => s.url);
    checkLoadBalancer(ctx, ["http", "services", name, "loadBalancer"], ctx.writtenServices[name], urls);
  }
}
