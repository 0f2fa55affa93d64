// addAuthCookiesToResponse: cookies the auth server sets replace same-named cookies of the upstream
// response (Traefik drops every upstream cookie whose name is listed, then adds the auth server's).
import type { GoRegexp } from "../../go/regexp/index.ts";

export interface CookieSelection {
  readonly names: ReadonlySet<string>;
  readonly regex: GoRegexp | null;
}

function cookieName(setCookie: string): string | null {
  const eq = setCookie.indexOf("=");
  return eq > 0 ? setCookie.slice(0, eq).trim() : null;
}

export function selects(selection: CookieSelection, setCookie: string): boolean {
  const name = cookieName(setCookie);
  return name !== null && (selection.names.has(name) || (selection.regex?.test(name) ?? false));
}

/** The upstream response with the selected auth cookies in place of its own same-named ones. */
export function withAuthCookies(response: Response, authCookies: readonly string[], selection: CookieSelection): Response {
  const chosen = authCookies.filter((c) => selects(selection, c));
  const upstream = response.headers.getSetCookie();
  if (chosen.length === 0 && !upstream.some((c) => selects(selection, c))) return response;
  const out = new Response(response.body, response);
  out.headers.delete("set-cookie");
  for (const cookie of upstream) if (!selects(selection, cookie)) out.headers.append("set-cookie", cookie);
  for (const cookie of chosen) out.headers.append("set-cookie", cookie);
  return out;
}
