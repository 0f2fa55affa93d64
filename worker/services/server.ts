// One server of a loadBalancer pool and the per-isolate state the pool keeps about it: requests in
// flight (p2c, leasttime), recent times to first byte (leasttime) and passive health.
import { parseBindingURL } from "../http/binding-url.ts";
import { ResponseTimes } from "./balancer/leasttime.ts";
import { PassiveState } from "./health/passive.ts";
import type { Upstream } from "./proxy.ts";

export interface ServerSpec {
  readonly url: string;
  readonly weight?: number | undefined;
  readonly preservePath?: boolean | undefined;
}

export class Server implements Upstream {
  /** The URL as written in the config: the API's serverStatus key, the sticky cookie's name. */
  readonly configuredURL: string;
  readonly url: URL;
  readonly preservePath: boolean;
  readonly binding: string | null;
  readonly weight: number;
  inflight = 0;
  readonly times = new ResponseTimes();
  readonly passive = new PassiveState();

  constructor(config: ServerSpec) {
    this.configuredURL = config.url;
    const binding = parseBindingURL(config.url);
    this.binding = binding?.binding ?? null;
    this.url = binding ? new URL(`http://${binding.binding.toLowerCase()}${binding.path}`) : new URL(config.url);
    this.weight = config.weight ?? 1;
    this.preservePath = config.preservePath ?? false;
  }

  /** Rendezvous hashing and sticky cookies name a server by its configured URL, as Traefik does. */
  get name(): string {
    return this.configuredURL;
  }
}
