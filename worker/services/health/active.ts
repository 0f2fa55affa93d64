// An isolate's view of a service's active health check. It never reads storage on the request
// path: a request may start a background poll (ctx.waitUntil, one at a time, at most every
// POLL_INTERVAL_MS) that calls the service's health-checker object, which both registers the check
// and answers the latest results. Until the first answer every server counts as UP (as in Traefik).
import { pollIntervalMs } from "../../env.ts";
import type { RequestContext, RequestEnv } from "../types.ts";
import type { HealthReport } from "./report.ts";
import { checkerName, type ProbeSpec } from "./spec.ts";

export interface ServerHealth {
  readonly up: boolean;
  readonly checkedAt: number;
  /** The last probe's failure (the health checker's words), null when it passed. */
  readonly error: string | null;
}

export class ActiveHealth {
  readonly spec: ProbeSpec;
  /** The health-checker Durable Object's name. */
  readonly objectName: string;
  private readonly known = new Map<string, ServerHealth>();
  private nextPollAt = 0;
  private inflight: Promise<void> | null = null;
  private lastError: string | null = null;

  constructor(spec: ProbeSpec) {
    this.spec = spec;
    this.objectName = checkerName(spec);
  }

  /** The last known result for a server (by its configured URL), if any. */
  get(server: string): ServerHealth | undefined {
    return this.known.get(server);
  }

  /** Hot path, no I/O: starts a background poll when one is due. */
  maybePoll(rc: RequestContext): void {
    if (this.inflight || Date.now() < this.nextPollAt || !rc.env.HEALTH_CHECKER) return;
    this.nextPollAt = Date.now() + pollIntervalMs(rc.env);
    rc.waitUntil(this.poll(rc.env));
  }

  /**
   * Off the request path (an API read): polls unless one is under way or one started within the
   * poll interval, the throttle requests use, so a dashboard refreshing a list of many services
   * costs each checker at most one call per interval.
   */
  refresh(env: RequestEnv): Promise<void> {
    if (this.inflight) return this.inflight;
    if (Date.now() < this.nextPollAt || !env.HEALTH_CHECKER) return Promise.resolve();
    this.nextPollAt = Date.now() + pollIntervalMs(env);
    return this.poll(env);
  }

  /** Asks the checker now (single flight); resolves when the answer is in. */
  poll(env: RequestEnv): Promise<void> {
    this.inflight ??= this.fetchReport(env).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async fetchReport(env: RequestEnv): Promise<void> {
    try {
      const namespace = env.HEALTH_CHECKER;
      if (!namespace) throw new Error("the Worker has no HEALTH_CHECKER binding");
      const stub = namespace.get(namespace.idFromName(this.objectName));
      const report = (await stub.sync(this.spec)) as HealthReport;
      for (const server of report.servers) {
        if (server.status === "UNKNOWN" || server.checkedAt === null) continue;
        this.known.set(server.server, { up: server.status === "UP", checkedAt: server.checkedAt, error: server.error });
      }
      this.lastError = null;
    } catch (err) {
      const message = String(err);
      if (message !== this.lastError) console.error(`health of service ${this.spec.service}: ${message}`);
      this.lastError = message;
    }
  }
}
