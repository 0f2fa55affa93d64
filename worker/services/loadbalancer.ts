// The loadBalancer service: a pool of servers picked by smooth weighted round robin.
// A pool is long-lived: the listener carries it across config swaps when its config is unchanged,
// so its rotation position (and, later, health state) survive.
import { serviceUnavailable } from "../http/status.ts";
import { SmoothWRR } from "./balancer/wrr.ts";
import { forward, type TransportOptions, type Upstream } from "./proxy.ts";
import type { Handler } from "./types.ts";

export interface ServerConfig {
  readonly url: string;
  readonly weight?: number | undefined;
  readonly preservePath?: boolean | undefined;
}

export interface Server extends Upstream {
  /** The URL as written in the config (the API's serverStatus key, as Traefik). */
  readonly configuredURL: string;
  readonly weight: number;
}

export class LoadBalancer {
  readonly servers: readonly Server[];
  private readonly wrr: SmoothWRR<Server>;
  private readonly transport: TransportOptions;

  constructor(servers: readonly ServerConfig[], transport: TransportOptions) {
    this.servers = servers.map((s) => ({
      configuredURL: s.url,
      url: new URL(s.url),
      weight: s.weight ?? 1,
      preservePath: s.preservePath ?? false,
    }));
    this.wrr = new SmoothWRR(this.servers);
    this.transport = transport;
  }

  /** Health as the API reports it. Every server is UP until health checking marks it otherwise. */
  status(_server: Server): "UP" | "DOWN" {
    return "UP";
  }

  readonly handle: Handler = async (request, rc) => {
    const server = this.wrr.next();
    if (!server) return serviceUnavailable("no available server");
    return (await forward(request, rc, server, this.transport)).response;
  };
}
