// Service fields Traefik honours that a Worker cannot: accepted (a pasted config keeps working) with
// a warning at the field saying why. Judged on the parsed config, so that a config read back from
// the store (which keeps what was written) gets the same answer as the text it came from.
//
// passHostHeader: true (Traefik's default, so only when written: the schema fills no default) has no
// effect on an http(s):// server: Cloudflare sets Host from the server URL. It steers binding://
// servers only (their URL carries the client's host, or the binding's name with false).
import type { CheckContext } from "./context.ts";
import { entries } from "./context.ts";

const HTTP_SERVER = /^https?:\/\//i;

export function checkServicePlatform(ctx: CheckContext): void {
  for (const [name, service] of entries(ctx, "services")) {
    const lb = service.loadBalancer;
    if (lb?.passHostHeader === true && (lb.servers ?? []).some((s) => HTTP_SERVER.test(s.url))) {
      ctx.issues.warn(
        ["http", "services", name, "loadBalancer", "passHostHeader"],
        "passHostHeader has no effect on http(s):// servers on Workers: Cloudflare sets the upstream Host from the server URL (the client's host travels in X-Forwarded-Host); it only steers binding:// servers",
      );
    }
    if (lb?.responseForwarding === undefined) continue;
    ctx.issues.warn(
      ["http", "services", name, "loadBalancer", "responseForwarding", "flushInterval"],
      "flushInterval has no effect on Workers: the runtime streams a response body to the client as it arrives, it cannot be told when to flush",
    );
  }
}
