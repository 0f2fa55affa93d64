// Every middleware type Switchyard implements, by its Traefik name. A type missing here is refused
// at compile time with a clear message (never silently ignored).
import { addPrefix } from "./addprefix.ts";
import { apiKey } from "./apikey/index.ts";
import { basicAuth } from "./basicauth.ts";
import { digestAuth } from "./digestauth.ts";
import { forwardAuth } from "./forwardauth/index.ts";
import { ipAllowList, ipWhiteList } from "./ipallowlist.ts";
import { jwt } from "./jwt/index.ts";
import { passTLSClientCert } from "./passtlsclientcert/index.ts";
import { stripPrefix } from "./stripprefix.ts";
import { buffering } from "./buffering/index.ts";
import { circuitBreaker } from "./circuitbreaker/index.ts";
import { inFlightReq } from "./inflightreq.ts";
import { rateLimit } from "./ratelimit/index.ts";
import { retry } from "./retry.ts";
import { compress } from "./compress/index.ts";
import { contentType } from "./contenttype.ts";
import { encodedCharacters } from "./encodedcharacters.ts";
import { errors } from "./errors.ts";
import { grpcWeb } from "./grpcweb.ts";
import { headers } from "./headers/index.ts";
import { redirectRegex } from "./redirectregex.ts";
import { redirectScheme } from "./redirectscheme.ts";
import { replacePath } from "./replacepath.ts";
import { replacePathRegex } from "./replacepathregex.ts";
import { stripPrefixRegex } from "./stripprefixregex.ts";
import type { MiddlewareRegistry } from "./types.ts";

export const middlewares: MiddlewareRegistry = {
  compress,
  contentType,
  encodedCharacters,
  errors,
  grpcWeb,
  headers,
  redirectRegex,
  redirectScheme,
  replacePath,
  replacePathRegex,
  stripPrefixRegex,
  buffering,
  circuitBreaker,
  inFlightReq,
  rateLimit,
  retry,
  addPrefix,
  apiKey,
  basicAuth,
  digestAuth,
  forwardAuth,
  ipAllowList,
  ipWhiteList,
  jwt,
  passTLSClientCert,
  stripPrefix,
};

export type { Middleware, MiddlewareContext, MiddlewareFactory } from "./types.ts";
