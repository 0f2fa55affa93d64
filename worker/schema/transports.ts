// http.serversTransports.<name>: how Traefik talks to servers (Traefik v3.7's ServersTransport,
// pkg/config/dynamic/http_config.go). On Workers fetch() decides most of this, TLS included;
// validate warns about the options that cannot apply (checks/platform.ts).
import * as z from "zod";
import { bool, duration, emptyable, int, nonNegativeInt, str, stringList } from "./common.ts";

/**
 * Traefik's defaults (dialTimeout 30s, idleConnTimeout 90s, pingTimeout 15s) are not filled in:
 * only responseHeaderTimeout means anything to fetch().
 */
export const forwardingTimeoutsSchema = emptyable(
  z.strictObject({
    dialTimeout: duration.optional(),
    responseHeaderTimeout: duration.optional(),
    idleConnTimeout: duration.optional(),
    readIdleTimeout: duration.optional(),
    pingTimeout: duration.optional(),
    /** Switchyard: the whole upstream exchange, response body included (504 before the headers). */
    overallTimeout: duration.optional(),
  }),
);

/** Switchyard: Cloudflare cache settings for the upstream fetch (Workers' `RequestInit.cf`). */
export const fetchCacheSchema = emptyable(
  z.strictObject({
    cacheEverything: bool.optional(),
    cacheTtl: int.optional(),
    cacheTtlByStatus: z.record(z.string(), int).optional(),
  }),
);

export const serversTransportSchema = z.strictObject({
  serverName: str.optional(),
  insecureSkipVerify: bool.optional(),
  rootCAs: stringList.optional(),
  /** Traefik's type is {certFile, keyFile}; its serversTransport page writes plain paths, which it accepts too. */
  certificates: z.array(z.union([z.strictObject({ certFile: str, keyFile: str }), str])).optional(),
  /** Traefik's TLS versions and ciphers towards servers: accepted, ignored on Workers (validate warns). */
  cipherSuites: stringList.optional(),
  minVersion: str.optional(),
  maxVersion: str.optional(),
  maxIdleConnsPerHost: nonNegativeInt.optional(),
  forwardingTimeouts: forwardingTimeoutsSchema.optional(),
  disableHTTP2: bool.optional(),
  /** Deprecated in Traefik: use peerCertSANs. */
  peerCertURI: str.optional(),
  peerCertSANs: z.array(z.strictObject({ type: str.optional(), value: str.optional() })).optional(),
  spiffe: emptyable(z.strictObject({ ids: stringList.optional(), trustDomain: str.optional() })).optional(),
  cf: fetchCacheSchema.optional(),
});

export type ServersTransportConfig = z.output<typeof serversTransportSchema>;
export type ForwardingTimeouts = z.output<typeof forwardingTimeoutsSchema>;
export type FetchCache = z.output<typeof fetchCacheSchema>;
