// Sticky cookie names Traefik rewrites before it sends them: said here, at the option, so the name a
// browser stores (and an application may read) is not a surprise. Path and Domain, which Go would
// drop silently, are refused by the schema (services.ts).
import type { Path } from "../issues.ts";
import type { Sticky } from "../../schema/services.ts";
import type { CheckContext } from "./context.ts";
import { entries } from "./context.ts";
import { sanitizeCookieName } from "../../services/balancer/cookie.ts";

function checkCookieName(ctx: CheckContext, path: Path, sticky: Sticky | undefined): void {
  const name = sticky?.cookie?.name;
  if (!name) return;
  const sent = sanitizeCookieName(name);
  if (sent !== name) {
    ctx.issues.warn([...path, "sticky", "cookie", "name"], `cookie name ${JSON.stringify(name)} is sent as "${sent}": as Traefik, characters outside RFC 9110 tokens become "_"`);
  }
}

export function checkCookies(ctx: CheckContext): void {
  for (const [name, service] of entries(ctx, "services")) {
    const base = ["http", "services", name];
    if (service.loadBalancer) checkCookieName(ctx, [...base, "loadBalancer"], service.loadBalancer.sticky);
    if (service.weighted) checkCookieName(ctx, [...base, "weighted"], service.weighted.sticky);
  }
}
