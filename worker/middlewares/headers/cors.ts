// CORS as Traefik's headers middleware does it: preflights answered here (the service never sees
// them), and the Access-Control-* headers added to every other response.
import type { MiddlewareOptions } from "../../schema/middlewares.ts";
import { compileGoRegexp, type GoRegexp } from "../../go/regexp/index.ts";

type Options = MiddlewareOptions<"headers">;

export interface Cors {
  /** The Access-Control-Allow-Origin value for this Origin, or null when it is not allowed. */
  match(origin: string): string | null;
  preflight(request: Request): Response;
  /** On a response to a non-preflight request whose Origin header was `origin`. */
  decorate(headers: Headers, origin: string): void;
}

/** An OPTIONS request carrying Origin and Access-Control-Request-Method. */
export function isPreflight(request: Request): boolean {
  return request.method === "OPTIONS" && Boolean(request.headers.get("origin")) && Boolean(request.headers.get("access-control-request-method"));
}

/** A list joined with ","; with credentials a "*" cannot be sent, so the request's own value is echoed. */
function allowList(list: readonly string[] | undefined, credentials: boolean, requested: string | null): string | null {
  if (list?.includes("*") && credentials) return requested || null;
  return list?.length ? list.join(",") : null;
}

export function buildCors(o: Options): Cors | string {
  const regexes: GoRegexp[] = [];
  for (const source of o.accessControlAllowOriginListRegex ?? []) {
    const compiled = compileGoRegexp(source);
    if (!compiled.ok) return `accessControlAllowOriginListRegex: invalid regular expression "${source}": ${compiled.error}`;
    regexes.push(compiled.value);
  }
  const credentials = o.accessControlAllowCredentials ?? false;
  const origins = o.accessControlAllowOriginList ?? [];
  const expose = o.accessControlExposeHeaders ?? [];
  // "*" cannot be exposed with credentials: Traefik then sends no Access-Control-Expose-Headers.
  const exposed = expose.length > 0 && !(expose.includes("*") && credentials) ? expose.join(",") : null;

  const match = (origin: string): string | null => {
    for (const item of origins) {
      if (item === origin) return item;
      if (item === "*") return credentials ? origin : "*";
    }
    return regexes.some((re) => re.test(origin)) ? origin : null;
  };

  const preflight = (request: Request): Response => {
    const h = new Headers({ "content-length": "0" });
    if (credentials) h.set("access-control-allow-credentials", "true");
    const allowHeaders = allowList(o.accessControlAllowHeaders, credentials, request.headers.get("access-control-request-headers"));
    if (allowHeaders !== null) h.set("access-control-allow-headers", allowHeaders);
    const allowMethods = allowList(o.accessControlAllowMethods, credentials, request.headers.get("access-control-request-method"));
    if (allowMethods !== null) h.set("access-control-allow-methods", allowMethods);
    const origin = match(request.headers.get("origin") ?? "");
    if (origin !== null) h.set("access-control-allow-origin", origin);
    if (o.accessControlMaxAge !== undefined) h.set("access-control-max-age", String(o.accessControlMaxAge));
    if (exposed !== null) h.set("access-control-expose-headers", exposed);
    return new Response(null, { status: 200, headers: h });
  };

  const decorate = (h: Headers, requestOrigin: string): void => {
    const origin = match(requestOrigin);
    if (origin !== null) h.set("access-control-allow-origin", origin);
    if (credentials) h.set("access-control-allow-credentials", "true");
    if (exposed !== null) h.set("access-control-expose-headers", exposed);
    if (!o.addVaryHeader) return;
    const vary = h.get("vary") ?? "";
    if (vary !== "Origin") h.set("vary", vary ? `${vary},Origin` : "Origin");
  };

  return { match, preflight, decorate };
}
