// The highestRandomWeight service: rendezvous hashing of the client IP over services, so a client
// keeps reaching the same service while the set of available ones is unchanged. With healthCheck {},
// children reporting DOWN are skipped. None available: 503.
import { serviceUnavailable } from "../http/status.ts";
import { hrwPick } from "./balancer/hrw.ts";
import { availableChildren, type Child } from "./children.ts";
import type { Handler, HealthReporter, Service } from "./types.ts";

export class HighestRandomWeight implements Service {
  readonly health: HealthReporter | null;
  private readonly children: readonly Child[];
  private readonly healthCheck: boolean;

  constructor(children: readonly Child[], healthCheck: boolean) {
    this.children = children;
    this.healthCheck = healthCheck;
    this.health = healthCheck ? { up: (rc) => availableChildren(children, true, rc).length > 0 } : null;
  }

  readonly handle: Handler = async (request, rc) => {
    const child = hrwPick(availableChildren(this.children, this.healthCheck, rc), rc.clientIP ?? "");
    return child ? child.service.handle(request, rc) : serviceUnavailable("no available server");
  };
}
