// basicAuth, digestAuth, forwardAuth.
import * as z from "zod/mini";
import { bool, checked, duration, headerName, headerNames, intIn, listOf, nonEmpty, regex, serverUrl, str, stringList } from "../common.ts";
import { isToken } from "../../http/header-syntax.ts";
import { headerValueProblem } from "../../http/header-syntax.ts";

/** The user part of `user:secret`, for messages that must not echo the secret. */
function userOf(entry: string): string {
  const colon = entry.indexOf(":");
  return colon < 0 ? "(no user)" : entry.slice(0, colon);
}

const basicUser = z.string().check(
  z.superRefine((entry, ctx) => {
    if (!/^[^:\s]+:\S+$/.test(entry)) {
      ctx.addIssue({ code: "custom", message: `users must be "user:hash" as htpasswd writes them (entry for "${userOf(entry)}" is not)` });
    }
  }),
);

const digestUser = z.string().check(
  z.superRefine((entry, ctx) => {
    if (!/^[^:\s]+:[^:]*:[0-9a-fA-F]{32}$/.test(entry)) {
      ctx.addIssue({ code: "custom", message: `users must be "user:realm:md5hash" as htdigest writes them (entry for "${userOf(entry)}" is not)` });
    }
  }),
);

/** The realm is written into WWW-Authenticate as `realm="..."`, unescaped (as go-http-auth does). */
const realm = checked((value) => {
  const quote = /["\\]/.exec(value);
  if (quote) return `${JSON.stringify(value)} cannot be a realm: it is sent as realm="..." in WWW-Authenticate, where ${quote[0]} would end or escape the quoted string`;
  return headerValueProblem(value);
});

export const basicAuthSchema = z.lazy(() =>
  z.strictObject({
    users: z.optional(listOf(basicUser)),
    /** Rejected by validate: there is no filesystem on Workers. */
    usersFile: z.optional(str),
    realm: z._default(realm, "traefik"),
    removeHeader: z.optional(bool),
    headerField: z.optional(headerName),
  }),
);

export const digestAuthSchema = z.lazy(() =>
  z.strictObject({
    users: z.optional(listOf(digestUser)),
    /** Rejected by validate: there is no filesystem on Workers. */
    usersFile: z.optional(str),
    removeHeader: z.optional(bool),
    realm: z._default(realm, "traefik"),
    headerField: z.optional(headerName),
  }),
);

export const clientTlsSchema = z.lazy(() =>
  z.strictObject({
    ca: z.optional(str),
    cert: z.optional(str),
    key: z.optional(str),
    insecureSkipVerify: z.optional(bool),
    caOptional: z.optional(bool),
  }),
);

export const forwardAuthSchema = z.lazy(() =>
  z.strictObject({
    address: serverUrl,
    tls: z.optional(clientTlsSchema),
    trustForwardHeader: z.optional(bool),
    authResponseHeaders: z.optional(headerNames),
    authResponseHeadersRegex: z.optional(regex),
    authRequestHeaders: z.optional(headerNames),
    addAuthCookiesToResponse: z.optional(stringList),
    addAuthCookiesToResponseRegex: z.optional(regex),
    headerField: z.optional(headerName),
    forwardBody: z.optional(bool),
    /** -1: no limit. */
    maxBodySize: z._default(intIn(-1), -1),
    /** v3.7. */
    maxResponseBodySize: z.optional(intIn(-1)),
    preserveLocationHeader: z.optional(bool),
    preserveRequestMethod: z.optional(bool),
    /** v3.7. */
    authSigninURL: z.optional(nonEmpty),
  }),
);

/** A binding's name in wrangler.toml (a JavaScript identifier), as `env[name]` reads it. */
const bindingName = checked((value) => (/^[A-Za-z_$][\w$]*$/.test(value) ? null : `${JSON.stringify(value)} is not a binding name (a name such as API_KEYS, as in wrangler.toml)`));

/** Traefik Hub's keySource: where the client's key is read (the first of header, query, cookie present). */
export const apiKeySourceSchema = z.lazy(() =>
  z.strictObject({
    header: z.optional(headerName),
    headerAuthScheme: z.optional(checked((value) => (isToken(value) ? null : `${JSON.stringify(value)} is not an Authorization scheme (a token such as Bearer)`))),
    query: z.optional(nonEmpty),
    cookie: z.optional(nonEmpty),
  }),
);

/** Switchyard's: keys kept in a KV namespace as `<prefix><sha256 hex>` → consumer id. */
export const apiKeyStoreSchema = z.lazy(() =>
  z.strictObject({
    kv: bindingName,
    prefix: z._default(str, ""),
    /** How long an isolate trusts a key it found (so a revocation reaches it within this, plus KV's own propagation). */
    cacheDuration: z._default(duration, "10s"),
    /** How long an isolate remembers a key KV does not have (a repeated wrong key costs one KV read per this). */
    missCacheDuration: z._default(duration, "5s"),
  }),
);

export const apiKeySchema = z.lazy(() =>
  z.strictObject({
    keySource: apiKeySourceSchema,
    secretNonBase64Encoded: z._default(bool, false),
    /** Traefik Hub's: hashes of the keys (here sha256:<hex> or bcrypt), each its own anonymous consumer. */
    secretValues: z.optional(stringList),
    /** Switchyard's: hashes with the consumer id forwarded for them. */
    keys: z.optional(z.array(z.strictObject({ id: nonEmpty, value: str }))),
    store: z.optional(apiKeyStoreSchema),
    /** The header the consumer id goes upstream in; a client's own copy is always removed. */
    consumerHeader: z._default(headerName, "X-Consumer-Id"),
    /** Remove the key (its header, query parameter or cookie) from the request sent upstream. */
    removeKey: z._default(bool, false),
  }),
);
