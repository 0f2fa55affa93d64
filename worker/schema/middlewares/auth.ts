// basicAuth, digestAuth, forwardAuth.
import * as z from "zod";
import { bool, checked, headerName, headerNames, intIn, listOf, nonEmpty, regex, serverUrl, str, stringList } from "../common.ts";
import { headerValueProblem } from "../../http/header-syntax.ts";

/** The user part of `user:secret`, for messages that must not echo the secret. */
function userOf(entry: string): string {
  const colon = entry.indexOf(":");
  return colon < 0 ? "(no user)" : entry.slice(0, colon);
}

const basicUser = z.string().superRefine((entry, ctx) => {
  if (!/^[^:\s]+:\S+$/.test(entry)) {
    ctx.addIssue({ code: "custom", message: `users must be "user:hash" as htpasswd writes them (entry for "${userOf(entry)}" is not)` });
  }
});

const digestUser = z.string().superRefine((entry, ctx) => {
  if (!/^[^:\s]+:[^:]*:[0-9a-fA-F]{32}$/.test(entry)) {
    ctx.addIssue({ code: "custom", message: `users must be "user:realm:md5hash" as htdigest writes them (entry for "${userOf(entry)}" is not)` });
  }
});

/** The realm is written into WWW-Authenticate as `realm="..."`, unescaped (as go-http-auth does). */
const realm = checked((value) => {
  const quote = /["\\]/.exec(value);
  if (quote) return `${JSON.stringify(value)} cannot be a realm: it is sent as realm="..." in WWW-Authenticate, where ${quote[0]} would end or escape the quoted string`;
  return headerValueProblem(value);
});

export const basicAuthSchema = z.strictObject({
  users: listOf(basicUser).optional(),
  /** Rejected by validate: there is no filesystem on Workers. */
  usersFile: str.optional(),
  realm: realm.default("traefik"),
  removeHeader: bool.optional(),
  headerField: headerName.optional(),
});

export const digestAuthSchema = z.strictObject({
  users: listOf(digestUser).optional(),
  /** Rejected by validate: there is no filesystem on Workers. */
  usersFile: str.optional(),
  removeHeader: bool.optional(),
  realm: realm.default("traefik"),
  headerField: headerName.optional(),
});

export const clientTlsSchema = z.strictObject({
  ca: str.optional(),
  cert: str.optional(),
  key: str.optional(),
  insecureSkipVerify: bool.optional(),
  caOptional: bool.optional(),
});

export const forwardAuthSchema = z.strictObject({
  address: serverUrl,
  tls: clientTlsSchema.optional(),
  trustForwardHeader: bool.optional(),
  authResponseHeaders: headerNames.optional(),
  authResponseHeadersRegex: regex.optional(),
  authRequestHeaders: headerNames.optional(),
  addAuthCookiesToResponse: stringList.optional(),
  addAuthCookiesToResponseRegex: regex.optional(),
  headerField: headerName.optional(),
  forwardBody: bool.optional(),
  /** -1: no limit. */
  maxBodySize: intIn(-1).default(-1),
  /** v3.7. */
  maxResponseBodySize: intIn(-1).optional(),
  preserveLocationHeader: bool.optional(),
  preserveRequestMethod: bool.optional(),
  /** v3.7. */
  authSigninURL: nonEmpty.optional(),
});
