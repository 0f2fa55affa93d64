// The failover service: requests go to the main service while it reports UP, else to the fallback
// (as Traefik: the fallback's own health is only consulted when the failover has healthCheck {});
// neither available: 503. With errors.status, a main answer with one of those statuses is replaced
// by the fallback's answer to the same request: the body is kept for that replay, up to
// errors.maxRequestBodyBytes (a larger one is refused with 413).
import { serviceUnavailable } from "../http/status.ts";
import { collect } from "../http/body.ts";
import { inRanges, type StatusRange } from "./status-ranges.ts";
import type { Handler, HealthReporter, RequestContext, Service } from "./types.ts";

export interface FailoverOptions {
  readonly main: Service;
  readonly fallback: Service;
  readonly healthCheck: boolean;
  readonly errors: { readonly status: readonly StatusRange[]; readonly maxRequestBodyBytes: number } | null;
}

export class Failover implements Service {
  readonly health: HealthReporter | null;
  private readonly options: FailoverOptions;

  constructor(options: FailoverOptions) {
    this.options = options;
    this.health = options.healthCheck ? { up: (rc) => this.mainUp(rc) || this.fallbackUp(rc) } : null;
  }

  readonly handle: Handler = async (request, rc) => {
    if (this.mainUp(rc)) return this.options.errors ? this.replayOnError(request, rc, this.options.errors) : this.options.main.handle(request, rc);
    if (this.fallbackUp(rc)) return this.options.fallback.handle(request, rc);
    return serviceUnavailable();
  };

  private mainUp(rc: RequestContext): boolean {
    return this.options.main.health?.up(rc) ?? true;
  }

  private fallbackUp(rc: RequestContext): boolean {
    return !this.options.healthCheck || (this.options.fallback.health?.up(rc) ?? true);
  }

  private async replayOnError(request: Request, rc: RequestContext, errors: NonNullable<FailoverOptions["errors"]>): Promise<Response> {
    let body: Uint8Array | null = null;
    if (request.body) {
      const collected = await collect(request.body, errors.maxRequestBodyBytes);
      if (!collected.ok) return tooLarge();
      body = collected.bytes;
    }
    const response = await this.options.main.handle(copyOf(request, body), rc);
    if (!inRanges(response.status, errors.status) || !this.fallbackUp(rc)) return response;
    await response.body?.cancel().catch(() => undefined);
    return this.options.fallback.handle(copyOf(request, body), rc);
  }
}

function copyOf(request: Request, body: Uint8Array | null): Request {
  return new Request(request, { body });
}

function tooLarge(): Response {
  return new Response("Request Entity Too Large", { status: 413, headers: { "content-type": "text/plain; charset=utf-8" } });
}
