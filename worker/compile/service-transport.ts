// A loadBalancer's serversTransport → the transport options fetch() can honour: the response-header
// and overall deadlines, and Cloudflare cache settings. The rest of Traefik's transport (TLS, dial,
// idle connections, HTTP/2) is fetch()'s business on Workers; validation warns about it.
import { durationMs, localName, ownValue, type DynamicConfig, type Duration } from "../config/index.ts";
import type { CacheOptions, TransportOptions } from "../services/proxy.ts";

type Transports = NonNullable<NonNullable<DynamicConfig["http"]>["serversTransports"]>;
type TransportConfig = Transports[string];

/** The transport's canonical config (part of a service's reuse key), or null for the default. */
export function transportConfig(config: DynamicConfig, ref: string | undefined): TransportConfig | null {
  return ref ? (ownValue(config.http?.serversTransports, localName(ref)) ?? null) : null;
}

function limitMs(value: Duration | undefined): number {
  return value === undefined ? 0 : Math.max(0, durationMs(value));
}

export function transportOptions(transport: TransportConfig | null): TransportOptions {
  const timeouts = transport?.forwardingTimeouts;
  const options: { -readonly [K in keyof TransportOptions]: TransportOptions[K] } = {
    responseHeaderTimeoutMs: limitMs(timeouts?.responseHeaderTimeout),
    overallTimeoutMs: limitMs(timeouts?.overallTimeout),
  };
  const cf = cacheOptions(transport?.cf);
  if (cf) options.cf = cf;
  return options;
}

function cacheOptions(cf: TransportConfig["cf"]): CacheOptions | null {
  if (!cf) return null;
  const out: { -readonly [K in keyof CacheOptions]: CacheOptions[K] } = {};
  if (cf.cacheEverything !== undefined) out.cacheEverything = cf.cacheEverything;
  if (cf.cacheTtl !== undefined) out.cacheTtl = cf.cacheTtl;
  if (cf.cacheTtlByStatus !== undefined) out.cacheTtlByStatus = { ...cf.cacheTtlByStatus };
  return Object.keys(out).length > 0 ? out : null;
}
