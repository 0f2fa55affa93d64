// Helpers shared by the services-*.test.ts files: route every request to one service, send through
// a snapshot while collecting ctx.waitUntil work (mirrors, health polls) so a test can await it,
// and read an upstream's hit log.
import { env } from "cloudflare:test";
import { inject } from "vitest";
import type { Snapshot } from "../../../worker/compile/snapshot.ts";
import type { WorkerEnv } from "../../../worker/index.ts";
import { serve } from "../../../worker/serve.ts";
import { inbound } from "../../../worker/inbound.ts";
import { forwardedPolicy } from "../../../worker/services/forwarded.ts";
import type { LoadBalancer } from "../../../worker/services/loadbalancer.ts";
import type { RequestContext } from "../../../worker/services/types.ts";
import { snapshotOf } from "../helpers/serve.ts";

export const upstreams = inject("upstreams");
export const testEnv = env as WorkerEnv;

/** A config where every request goes to service `entry`. */
export function routed(services: Record<string, unknown>, entry = "svc", extra: Record<string, unknown> = {}) {
  return { http: { routers: { r: { rule: "PathPrefix(`/`)", service: entry } }, services, ...extra } };
}

export function lbOf(...urls: string[]) {
  return { loadBalancer: { servers: urls.map((url) => ({ url })) } };
}

export interface Sent {
  readonly response: Response;
  /** Resolves when the request's background work (ctx.waitUntil) is done. */
  settled(): Promise<void>;
}

export interface SendInit extends RequestInit {
  clientIP?: string | null;
  trusted?: string;
  env?: WorkerEnv;
}

export async function sendTo(snapshot: Snapshot, url: string, init: SendInit = {}): Promise<Sent> {
  const request = new Request(url, init);
  const pending: Promise<unknown>[] = [];
  const clientIP = init.clientIP === undefined ? "203.0.113.7" : init.clientIP;
  const rc: RequestContext = { url: new URL(request.url), clientIP, waitUntil: (p) => void pending.push(p), env: init.env ?? testEnv };
  const trusted = forwardedPolicy(init.trusted, undefined).trusts(clientIP);
  const response = await serve(inbound(request, trusted), snapshot, rc);
  return {
    response,
    settled: async () => {
      for (let i = 0; i < pending.length; i++) await pending[i]!.catch(() => undefined);
    },
  };
}

/** Sends and returns the response (background work left running). */
export async function get(snapshot: Snapshot, url: string, init: SendInit = {}): Promise<Response> {
  return (await sendTo(snapshot, url, init)).response;
}

export interface Echo {
  name: string;
  method: string;
  url: string;
  path: string;
  headers: Record<string, string>;
  bodyBytes: number;
}

/** The upstream that answered (the fixture's echo, or its X-Upstream header). */
export async function who(response: Response): Promise<string> {
  const name = response.headers.get("x-upstream");
  await response.body?.cancel();
  return name ?? "";
}

export async function hits(upstream: string, prefix: string): Promise<{ count: number; hits: { path: string; url: string; method: string; bodyBytes: number; headers: Record<string, string> }[] }> {
  return (await fetch(`${upstream}/__hits?prefix=${encodeURIComponent(prefix)}`)).json();
}

export async function setHealth(upstream: string, status: number): Promise<void> {
  await (await fetch(`${upstream}/__control?health=${status}`)).arrayBuffer();
}

export function poolOf(snapshot: Snapshot, service: string): LoadBalancer {
  const pool = snapshot.services.get(service)?.pool;
  if (!pool) throw new Error(`service ${service} has no pool`);
  return pool;
}

/** A path no other test uses, so hit logs on shared upstreams stay apart. */
export function uniquePath(label: string): string {
  return `/${label}-${crypto.randomUUID().slice(0, 8)}`;
}

export function count<T>(items: readonly T[]): Map<T, number> {
  const out = new Map<T, number>();
  for (const item of items) out.set(item, (out.get(item) ?? 0) + 1);
  return out;
}

export { snapshotOf };
