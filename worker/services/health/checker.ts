// Active health checks: a Durable Object whose alarm probes upstreams and keeps their status.
// (Being built: see the services work.)
import { DurableObject } from "cloudflare:workers";

export class HealthChecker extends DurableObject {}
