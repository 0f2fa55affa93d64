// Build a snapshot from a config object and route requests through it, as the entry point does
// (with the Worker's internal services: api@internal).
import { env } from "cloudflare:test";
import { apiInternalServices } from "../../../worker/api/internal.ts";
import type { Env } from "../../../worker/env.ts";
import { compileSnapshot, type Snapshot } from "../../../worker/compile/snapshot.ts";
import { validateConfig } from "../../../worker/config/index.ts";
import { serve } from "../../../worker/serve.ts";
import { inbound } from "../../../worker/inbound.ts";
import { forwardedPolicy } from "../../../worker/services/forwarded.ts";
import type { RequestContext } from "../../../worker/services/types.ts";

export function snapshotOf(config: unknown, previous: Snapshot | null = null, version = 1): Snapshot {
  const valid = validateConfig(config);
  if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
  const compiled = compileSnapshot(valid.config, { version, sha256: "", source: "test", provider: "file", warnings: valid.warnings }, previous, valid.rules, apiInternalServices);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
  return compiled.snapshot;
}

export interface SendOptions extends RequestInit {
  clientIP?: string | null;
  trusted?: string;
}

export async function send(snapshot: Snapshot, url: string, init: SendOptions = {}): Promise<Response> {
  const request = new Request(url, init);
  const pending: Promise<unknown>[] = [];
  const clientIP = init.clientIP === undefined ? "203.0.113.7" : init.clientIP;
  const rc: RequestContext = { url: new URL(request.url), clientIP, waitUntil: (p) => void pending.push(p), env: env as Env };
  // As the entry point does: an untrusted client's forwarded headers, and what its Connection names,
  // go before any middleware runs.
  const trusted = forwardedPolicy(init.trusted, undefined).trusts(clientIP);
  return serve(inbound(request, trusted), snapshot, rc);
}

/** One catch-all router to `upstream` through `middlewares`, applied in their listed order. */
export function behind(upstream: string, middlewares: Record<string, unknown>) {
  return snapshotOf({
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: Object.keys(middlewares) } },
      services: { s: lb(upstream) },
      middlewares,
    },
  });
}

export function lb(...urls: string[]) {
  return { loadBalancer: { servers: urls.map((url) => ({ url })) } };
}

export interface Echo {
  name: string;
  method: string;
  url: string;
  path: string;
  headers: Record<string, string | string[]>;
  bodyBytes: number;
}
