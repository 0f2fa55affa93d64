// forwardAuth: ask an auth server about each request. A 2xx lets the request through, with the
// headers listed in authResponseHeaders(Regex) copied from the auth answer; any other answer goes
// back to the client as it is (status, headers, body). With forwardBody the request body goes to the
// auth server too: it is read once, at most maxBodySize bytes (401 beyond, as Traefik), and replayed upstream.
import type { MiddlewareOptions } from "../../schema/middlewares.ts";
import { compileGoRegexp, type GoRegexp } from "../../go/regexp/index.ts";
import { bare, nullBodyStatus } from "../respond.ts";
import type { MiddlewareFactory } from "../types.ts";
import { collect, declaredLength } from "../../http/body.ts";
import { FORWARD_BODY_CEILING } from "./limits.ts";
import { withAuthCookies, type CookieSelection } from "./cookies.ts";
import { authRequestHeaders, removeHop, withAuthHeaders, type ForwardHeaderOptions, type ResponseHeaderCopy } from "./headers.ts";
import { signinRedirect } from "./signin.ts";
import { authTarget, type AuthTarget } from "./target.ts";

interface Compiled {
  readonly name: string;
  readonly target: AuthTarget;
  readonly headers: ForwardHeaderOptions;
  readonly copy: ResponseHeaderCopy;
  readonly cookies: CookieSelection;
  /** Bytes of request body to buffer for the auth server, or null without forwardBody. */
  readonly bodyLimit: number | null;
  /** Bytes of auth answer to read, or null to stream it (Traefik's maxResponseBodySize, -1 = none). */
  readonly answerLimit: number | null;
  readonly preserveMethod: boolean;
  readonly preserveLocation: boolean;
  /** Where a 401 from the auth server redirects to (authSigninURL), or null. */
  readonly signin: string | null;
}

function regexOf(source: string | undefined): GoRegexp | null | string {
  if (!source) return null;
  const compiled = compileGoRegexp(source);
  return compiled.ok ? compiled.value : `invalid regular expression "${source}": ${compiled.error}`;
}

function compile(o: MiddlewareOptions<"forwardAuth">, name: string): Compiled | string {
  const headersRegex = regexOf(o.authResponseHeadersRegex);
  const cookiesRegex = regexOf(o.addAuthCookiesToResponseRegex);
  if (typeof headersRegex === "string") return headersRegex;
  if (typeof cookiesRegex === "string") return cookiesRegex;
  const answer = o.maxResponseBodySize ?? -1;
  return {
    name,
    target: authTarget(o.address),
    headers: { trustForwardHeader: o.trustForwardHeader, authRequestHeaders: o.authRequestHeaders ?? [] },
    copy: { names: o.authResponseHeaders ?? [], regex: headersRegex },
    cookies: { names: new Set(o.addAuthCookiesToResponse ?? []), regex: cookiesRegex },
    bodyLimit: o.forwardBody ? (o.maxBodySize < 0 ? FORWARD_BODY_CEILING : o.maxBodySize) : null,
    answerLimit: answer < 0 ? null : answer,
    preserveMethod: o.preserveRequestMethod === true,
    preserveLocation: o.preserveLocationHeader === true,
    signin: o.authSigninURL || null,
  };
}

export const forwardAuth: MiddlewareFactory<"forwardAuth"> = (options, ctx) => {
  const c = compile(options, ctx.name);
  if (typeof c === "string") return c;
  return (next) => async (request, rc) => {
    const body = await bufferedBody(request, c.bodyLimit);
    if (body === "too-large") return bare(401); // as Traefik: 401, no body
    const method = c.preserveMethod ? request.method : "GET";
    let auth: Response;
    try {
      auth = await c.target.send({ method, headers: authRequestHeaders(request, rc, c.headers), body: hasBody(method) ? body : null }, rc);
    } catch (err) {
      console.error(`forwardAuth ${c.name}: calling ${c.target.url.href}:`, err);
      return failure();
    }
    const answer = await answerBody(auth, c.answerLimit);
    if (answer === "too-large") return bare(401); // as Traefik: 401, no body
    if (c.signin && auth.status === 401) return signinRedirect(c.signin, request);
    if (auth.status < 200 || auth.status >= 300) return denied(auth, answer, c);
    if (c.answerLimit === null) await auth.body?.cancel(); // a 2xx body is never used
    const upstream = new Request(request, { headers: withAuthHeaders(request.headers, auth.headers, c.copy), ...(body ? { body } : {}) });
    const response = await next(upstream, rc);
    const authCookies = auth.headers.getSetCookie();
    return authCookies.length > 0 && response.status !== 101 ? withAuthCookies(response, authCookies, c.cookies) : response;
  };
};

function hasBody(method: string): boolean {
  return method !== "GET" && method !== "HEAD";
}

/** The request body read for the auth server, null when there is none to send, or "too-large". */
async function bufferedBody(request: Request, limit: number | null): Promise<Uint8Array | null | "too-large"> {
  if (limit === null || !request.body || !hasBody(request.method)) return null;
  if ((declaredLength(request.headers) ?? 0) > limit) return "too-large";
  const read = await collect(request.body, limit);
  return read.ok ? read.bytes : "too-large";
}

/** The auth answer's body: read (bounded) when maxResponseBodySize is set, else left to stream. */
async function answerBody(auth: Response, limit: number | null): Promise<BodyInit | null | "too-large"> {
  if (limit === null || !auth.body) return auth.body;
  const read = await collect(auth.body, limit);
  return read.ok ? read.bytes : "too-large";
}

/** Traefik answers 500 with no body when the auth server cannot be reached or read. */
const failure = (): Response => bare(500);

/** The auth server's refusal, copied to the client; a relative Location made absolute as Go's Response.Location(). */
function denied(auth: Response, body: BodyInit | null, c: Compiled): Response {
  const headers = new Headers(auth.headers);
  removeHop(headers);
  const location = auth.headers.get("location");
  if (location && !c.preserveLocation && c.target.publicURL) {
    try {
      headers.set("location", new URL(location, c.target.url).href);
    } catch {
      return failure();
    }
  }
  const status = auth.status < 200 ? 500 : auth.status;
  return new Response(nullBodyStatus(status) ? null : body, { status, headers });
}

