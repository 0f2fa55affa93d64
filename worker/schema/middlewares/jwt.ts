// jwt (Traefik Hub's middleware of that name, with its field names), and Hub's clientConfig (the
// HTTP client its auth middlewares use to reach a key server or an identity provider).
import * as z from "zod/mini";
import { bool, duration, headerName, intIn, serverUrl, str } from "../common.ts";

export const hubClientTlsSchema = z.lazy(() =>
  z.strictObject({
    ca: z.optional(str),
    cert: z.optional(str),
    key: z.optional(str),
    insecureSkipVerify: z.optional(bool),
  }),
);

export const hubClientConfigSchema = z.lazy(() =>
  z.strictObject({
    tls: z.optional(hubClientTlsSchema),
    /** Seconds before a request to the key server is given up (Hub's default: 5). */
    timeoutSeconds: z._default(intIn(1, 300), 5),
    /** Retries of a failed request (a network error or a 5xx); Hub's default: 3. */
    maxRetries: z._default(intIn(0, 10), 3),
  }),
);

export const jwtSchema = z.lazy(() =>
  z.strictObject({
    signingSecret: z.optional(str),
    signingSecretBase64Encoded: z.optional(bool),
    publicKey: z.optional(str),
    /** The JWK set itself (there is no filesystem on Workers to read a path from). */
    jwksFile: z.optional(str),
    jwksUrl: z.optional(serverUrl),
    forwardAuthorization: z.optional(bool),
    /** The name in Traefik Hub's older AccessControlPolicy: the opposite of forwardAuthorization. */
    stripAuthorizationHeader: z.optional(bool),
    tokenKey: z.optional(str),
    claims: z.optional(str),
    usernameClaim: z.optional(str),
    forwardHeaders: z.optional(z.record(headerName, str)),
    clientConfig: z.optional(hubClientConfigSchema),
    /** Switchyard: leeway for exp, nbf and iat against this Worker's clock (Hub has none: 0). */
    clockSkew: z._default(duration, "0s"),
  }),
);
