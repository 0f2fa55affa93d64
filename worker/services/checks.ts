// The option checks each service type owns (as the middlewares' in middlewares/checks), asked by
// worker/config through `serviceOptionChecks`. Sticky cookie names Traefik rewrites before it sends
// them are said here, at the option, so the name a browser stores (and an application may read)
// is not a surprise. Path and Domain, which Go would drop silently, are refused by the schema.
import type { IssueSink, Path } from "../schema/issues.ts";
import type { ServiceOptions, ServiceType, Sticky } from "../schema/services.ts";
import { sanitizeCookieName } from "./balancer/cookie.ts";

export type ServiceOptionCheck<K extends ServiceType> = (issues: IssueSink, path: Path, options: ServiceOptions<K>) => void;
export type ServiceOptionChecks = { readonly [K in ServiceType]?: ServiceOptionCheck<K> };

function checkCookieName(issues: IssueSink, path: Path, sticky: Sticky | undefined): void {
  const name = sticky?.cookie?.name;
  if (!name) return;
  const sent = sanitizeCookieName(name);
  if (sent !== name) {
    issues.warn([...path, "sticky", "cookie", "name"], `cookie name ${JSON.stringify(name)} is sent as "${sent}": as Traefik, characters outside RFC 9110 tokens become "_"`);
  }
}

export const serviceOptionChecks: ServiceOptionChecks = {
  loadBalancer: (issues, path, o) => checkCookieName(issues, path, o.sticky),
  weighted: (issues, path, o) => checkCookieName(issues, path, o.sticky),
};
