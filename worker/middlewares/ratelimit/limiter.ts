// The rateLimit middleware's global state: one Durable Object per limiter key.
// (Being built: see the middlewares work.)
import { DurableObject } from "cloudflare:workers";

export class RateLimiter extends DurableObject {}
