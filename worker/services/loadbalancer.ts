// The loadBalancer service: a pool of servers. A request goes to the server its sticky cookie names
// when that one is available, else to the one the strategy picks among the available servers
// (wrr, p2c, hrw, leasttime); none available: 503. Available means not DOWN by the active health
// check (learned from the health-checker object) nor taken out by passive health (this isolate).
// A pool is long-lived: the listener carries it across config swaps when its config is unchanged,
// so its rotation, health, in-flight counts and sticky table survive.
import { serviceUnavailable } from "../http/status.ts";
import { hrwPick } from "./balancer/hrw.ts";
import { leastTimePick } from "./balancer/leasttime.ts";
import { p2cPick } from "./balancer/p2c.ts";
import { Sticky, withCookie, type StickyConfig } from "./balancer/sticky.ts";
import { SmoothWRR } from "./balancer/wrr.ts";
import type { ActiveHealth } from "./health/active.ts";
import type { PassiveRule } from "./health/passive.ts";
import { forward, type TransportOptions } from "./proxy.ts";
import { Server, type ServerSpec } from "./server.ts";
import type { Handler, HealthReporter, RequestContext, Service } from "./types.ts";

export type Strategy = "wrr" | "p2c" | "hrw" | "leasttime";

export interface LoadBalancerOptions {
  readonly servers: readonly ServerSpec[];
  readonly strategy: Strategy;
  readonly sticky: StickyConfig | null;
  readonly passHostHeader: boolean;
  readonly transport: TransportOptions;
  readonly active: ActiveHealth | null;
  readonly passive: PassiveRule;
  /** Passive health is Traefik's (passiveHealthCheck): with an active check, a server it took out
   *  stays out until the active check sees it UP again. */
  readonly passiveHeldByActive: boolean;
  /** Report health to parents (Traefik: the pool has a healthCheck). */
  readonly reportsHealth: boolean;
}

interface Choice {
  readonly server: Server;
  /** Set-Cookie to add to the response, if any. */
  readonly cookie: string | null;
}

export class LoadBalancer implements Service {
  readonly servers: readonly Server[];
  readonly active: ActiveHealth | null;
  readonly health: HealthReporter | null;
  private readonly options: LoadBalancerOptions;
  /** Servers that can be picked at all (weight 0 is out, except for p2c, which ignores weights). */
  private readonly rotation: readonly Server[];
  private readonly wrr: SmoothWRR<Server>;
  private readonly sticky: Sticky<Server> | null;

  constructor(options: LoadBalancerOptions) {
    this.options = options;
    this.servers = options.servers.map((s) => new Server(s));
    this.rotation = options.strategy === "p2c" ? this.servers : this.servers.filter((s) => s.weight > 0);
    this.wrr = new SmoothWRR(this.rotation);
    this.sticky = options.sticky ? new Sticky(options.sticky, this.servers.map((s) => [s.name, s] as const)) : null;
    this.active = options.active;
    this.health = options.reportsHealth ? { up: (rc) => this.up(rc) } : null;
  }

  /** Health as the API reports it, as this isolate knows it. */
  status(server: Server): "UP" | "DOWN" {
    this.syncActive();
    return this.activeDown(server) || server.passive.down(Date.now()) ? "DOWN" : "UP";
  }

  readonly handle: Handler = async (request, rc) => {
    const choice = await this.choose(request, rc);
    if (!choice) return serviceUnavailable("no available server");
    const response = await this.send(choice.server, request, rc);
    return choice.cookie ? withCookie(response, choice.cookie) : response;
  };

  private up(rc: RequestContext): boolean {
    this.active?.maybePoll(rc);
    return this.available().length > 0;
  }

  /** Servers a request may go to now. The built-in passive rule never empties the pool. */
  private available(): Server[] {
    this.syncActive();
    const now = Date.now();
    const activeUp = this.rotation.filter((s) => !this.activeDown(s));
    const healthy = activeUp.filter((s) => !s.passive.down(now));
    return healthy.length > 0 || !this.options.passive.failOpen ? healthy : activeUp;
  }

  private activeDown(server: Server): boolean {
    return this.active?.get(server.configuredURL)?.up === false;
  }

  /** An active check that found a server UP ends a passive hold placed before it. */
  private syncActive(): void {
    if (!this.active) return;
    for (const server of this.servers) {
      const known = this.active.get(server.configuredURL);
      if (known?.up) server.passive.activeUp(known.checkedAt);
    }
  }

  private async choose(request: Request, rc: RequestContext): Promise<Choice | null> {
    this.active?.maybePoll(rc);
    const candidates = this.available();
    if (this.sticky) {
      const stuck = await this.sticky.fromRequest(request);
      if (stuck && candidates.includes(stuck.member)) {
        return { server: stuck.member, cookie: stuck.rewrite ? await this.sticky.cookieFor(stuck.member) : null };
      }
    }
    const server = this.pick(candidates, rc);
    if (!server) return null;
    return { server, cookie: this.sticky ? await this.sticky.cookieFor(server) : null };
  }

  private pick(candidates: readonly Server[], rc: RequestContext): Server | null {
    switch (this.options.strategy) {
      case "p2c":
        return p2cPick(candidates);
      case "hrw":
        return hrwPick(candidates, rc.clientIP ?? "");
      case "leasttime":
        return leastTimePick(candidates, this.wrr);
      default: {
        // Candidates keep the rotation's order: as many as the rotation means all of it.
        if (candidates.length === this.rotation.length) return this.wrr.next();
        const allowed = new Set(candidates);
        return this.wrr.next((s) => allowed.has(s));
      }
    }
  }

  private async send(server: Server, request: Request, rc: RequestContext): Promise<Response> {
    // p2c and leasttime count a request in flight until its response body is done.
    const untilBodyEnd = this.options.strategy === "p2c" || this.options.strategy === "leasttime";
    server.inflight++;
    if (rc.observed) {
      rc.observed.serviceURL = server.configuredURL;
      rc.observed.serviceAddr = server.binding ?? server.url.host;
    }
    const { response, outcome } = await forward(request, rc, server, this.options.transport, {
      passHostHeader: this.options.passHostHeader,
      onHeaders: (ms) => server.times.add(ms),
      onEnd: untilBodyEnd ? () => server.inflight-- : undefined,
    });
    if (!untilBodyEnd) server.inflight--;
    server.passive.record(this.options.passive, outcome, response.status, Date.now(), this.options.passiveHeldByActive);
    return response;
  }
}
