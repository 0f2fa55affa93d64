// Services made of services (weighted, highestRandomWeight): the children, and which of them can
// take a request. With healthCheck enabled on the parent, a child that reports DOWN is skipped
// (as Traefik, where the child pushes its status up); without it every child counts as up.
import type { RequestContext, Service } from "./types.ts";

export interface Child {
  /** As written in the config: the sticky cookie's and rendezvous hashing's name for it. */
  readonly name: string;
  readonly weight: number;
  readonly service: Service;
}

export function availableChildren(children: readonly Child[], healthCheck: boolean, rc: RequestContext): Child[] {
  return children.filter((c) => c.weight > 0 && (!healthCheck || (c.service.health?.up(rc) ?? true)));
}
