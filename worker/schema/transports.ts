// http.serversTransports.<name>: how Traefik talks to servers (Traefik v3.7's ServersTransport,
// pkg/config/dynamic/http_config.go). On Workers fetch() decides most of this, TLS included;
// validate warns about the options that cannot apply (checks/platform.ts).
import * as z from "zod/mini";
import { bool, duration, emptyable, int, nonNegativeInt, str, stringList } from "./common.ts";

/**
 * Traefik's defaults (dialTimeout 30s, idleConnTimeout 90s, pingTimeout 15s) are not filled in:
 * only responseHeaderTimeout means anything to fetch().
 */
export const forwardingTimeoutsSchema = z.lazy(() =>
  emptyable(
    z.strictObject({
      dialTimeout: z.optional(duration),
      responseHeaderTimeout: z.optional(duration),
      idleConnTimeout: z.optional(duration),
      readIdleTimeout: z.optional(duration),
      pingTimeout: z.optional(duration),
      /** Switchyard: the whole upstream exchange, response body included (504 before the headers). */
      overallTimeout: z.optional(duration),
    }),
  ),
);

/** Switchyard: Cloudflare cache settings for the upstream fetch (Workers' `RequestInit.cf`). */
export const fetchCacheSchema = z.lazy(() =>
  emptyable(
    z.strictObject({
      cacheEverything: z.optional(bool),
      cacheTtl: z.optional(int),
      cacheTtlByStatus: z.optional(z.record(z.string(), int)),
    }),
  ),
);

export const serversTransportSchema = z.lazy(() =>
  z.strictObject({
    serverName: z.optional(str),
    insecureSkipVerify: z.optional(bool),
    rootCAs: z.optional(stringList),
    /** Traefik's type is {certFile, keyFile}; its serversTransport page writes plain paths, which it accepts too. */
    certificates: z.optional(z.array(z.union([z.strictObject({ certFile: str, keyFile: str }), str]))),
    /** Traefik's TLS versions and ciphers towards servers: accepted, ignored on Workers (validate warns). */
    cipherSuites: z.optional(stringList),
    minVersion: z.optional(str),
    maxVersion: z.optional(str),
    maxIdleConnsPerHost: z.optional(nonNegativeInt),
    forwardingTimeouts: z.optional(forwardingTimeoutsSchema),
    disableHTTP2: z.optional(bool),
    /** Deprecated in Traefik: use peerCertSANs. */
    peerCertURI: z.optional(str),
    peerCertSANs: z.optional(z.array(z.strictObject({ type: z.optional(str), value: z.optional(str) }))),
    spiffe: z.optional(emptyable(z.strictObject({ ids: z.optional(stringList), trustDomain: z.optional(str) }))),
    cf: z.optional(fetchCacheSchema),
  }),
);

export type ServersTransportConfig = z.output<typeof serversTransportSchema>;
export type ForwardingTimeouts = z.output<typeof forwardingTimeoutsSchema>;
export type FetchCache = z.output<typeof fetchCacheSchema>;
