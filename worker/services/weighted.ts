// The weighted service: smooth weighted round robin over services (which may themselves be weighted,
// to any depth), with an optional sticky cookie (Traefik's scheme, the child service's name hashed)
// and, with healthCheck {}, children reporting DOWN skipped. No child available: 503.
import { serviceUnavailable } from "../http/status.ts";
import { Sticky, withCookie, type StickyConfig } from "./balancer/sticky.ts";
import { SmoothWRR } from "./balancer/wrr.ts";
import { availableChildren, type Child } from "./children.ts";
import type { Handler, HealthReporter, RequestContext, Service } from "./types.ts";

export interface WeightedOptions {
  readonly children: readonly Child[];
  readonly sticky: StickyConfig | null;
  readonly healthCheck: boolean;
}

export class Weighted implements Service {
  readonly health: HealthReporter | null;
  private readonly options: WeightedOptions;
  private readonly wrr: SmoothWRR<Child>;
  private readonly sticky: Sticky<Child> | null;

  constructor(options: WeightedOptions) {
    this.options = options;
    this.wrr = new SmoothWRR(options.children);
    this.sticky = options.sticky ? new Sticky(options.sticky, options.children.map((c) => [c.name, c] as const)) : null;
    this.health = options.healthCheck ? { up: (rc) => this.available(rc).length > 0 } : null;
  }

  readonly handle: Handler = async (request, rc) => {
    const candidates = this.available(rc);
    if (this.sticky) {
      const stuck = await this.sticky.fromRequest(request);
      if (stuck && candidates.includes(stuck.member)) {
        const response = await stuck.member.service.handle(request, rc);
        return stuck.rewrite ? withCookie(response, await this.sticky.cookieFor(stuck.member)) : response;
      }
    }
    const allowed = new Set(candidates);
    const child = this.wrr.next((c) => allowed.has(c));
    if (!child) return serviceUnavailable("no available server");
    const response = await child.service.handle(request, rc);
    return this.sticky ? withCookie(response, await this.sticky.cookieFor(child)) : response;
  };

  private available(rc: RequestContext): Child[] {
    return availableChildren(this.options.children, this.options.healthCheck, rc);
  }
}
