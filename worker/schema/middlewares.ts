// http.middlewares.<name>: exactly one middleware type, with Traefik v3's options for it.
import * as z from "zod/mini";
import { apiKeySchema, basicAuthSchema, digestAuthSchema, forwardAuthSchema } from "./middlewares/auth.ts";
import {
  chainSchema,
  compressSchema,
  contentTypeSchema,
  encodedCharactersSchema,
  errorsSchema,
  grpcWebSchema,
  passTLSClientCertSchema,
  pluginSchema,
} from "./middlewares/content.ts";
import { headersSchema } from "./middlewares/headers.ts";
import { jwtSchema } from "./middlewares/jwt.ts";
import {
  addPrefixSchema,
  redirectRegexSchema,
  redirectSchemeSchema,
  replacePathRegexSchema,
  replacePathSchema,
  stripPrefixRegexSchema,
  stripPrefixSchema,
} from "./middlewares/paths.ts";
import {
  bufferingSchema,
  circuitBreakerSchema,
  inFlightReqSchema,
  ipAllowListSchema,
  ipWhiteListSchema,
  rateLimitSchema,
  retrySchema,
} from "./middlewares/traffic.ts";

export const middlewareTypeSchemas = {
  addPrefix: addPrefixSchema,
  apiKey: apiKeySchema,
  basicAuth: basicAuthSchema,
  buffering: bufferingSchema,
  chain: chainSchema,
  circuitBreaker: circuitBreakerSchema,
  compress: compressSchema,
  contentType: contentTypeSchema,
  digestAuth: digestAuthSchema,
  encodedCharacters: encodedCharactersSchema,
  errors: errorsSchema,
  forwardAuth: forwardAuthSchema,
  grpcWeb: grpcWebSchema,
  headers: headersSchema,
  inFlightReq: inFlightReqSchema,
  ipAllowList: ipAllowListSchema,
  ipWhiteList: ipWhiteListSchema,
  jwt: jwtSchema,
  passTLSClientCert: passTLSClientCertSchema,
  plugin: pluginSchema,
  rateLimit: rateLimitSchema,
  redirectRegex: redirectRegexSchema,
  redirectScheme: redirectSchemeSchema,
  replacePath: replacePathSchema,
  replacePathRegex: replacePathRegexSchema,
  retry: retrySchema,
  stripPrefix: stripPrefixSchema,
  stripPrefixRegex: stripPrefixRegexSchema,
};

export type MiddlewareType = keyof typeof middlewareTypeSchemas;
export const MIDDLEWARE_TYPES = Object.keys(middlewareTypeSchemas) as MiddlewareType[];

type OptionalShape<T extends Record<string, z.core.$ZodType>> = { [K in keyof T]: z.ZodMiniOptional<T[K]> };

function allOptional<T extends Record<string, z.core.$ZodType>>(shape: T): OptionalShape<T> {
  const out: Record<string, z.core.$ZodType> = {};
  for (const [key, schema] of Object.entries(shape)) out[key] = z.optional(schema);
  return out as OptionalShape<T>;
}

/** Every type is optional here; validate enforces that exactly one is present. */
export const middlewareSchema = z.lazy(() => z.strictObject(allOptional(middlewareTypeSchemas)));

export type MiddlewareConfig = z.output<typeof middlewareSchema>;
/** The options of one middleware type, e.g. `MiddlewareOptions<"headers">`. */
export type MiddlewareOptions<K extends MiddlewareType> = NonNullable<MiddlewareConfig[K]>;
