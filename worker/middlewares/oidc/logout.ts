// Logout: the session cookies are expired, then, where the provider offers RP-initiated logout
// (end_session_endpoint), the browser goes there with id_token_hint and post_logout_redirect_uri
// so the provider's own session ends too; else to postLogoutRedirectUrl, or a plain "logged out".
import { serializeCookie } from "../../services/balancer/cookie.ts";
import type { RequestContext } from "../../services/types.ts";
import { plain } from "../respond.ts";
import type { Compiled } from "./options.ts";
import { resolveUrl } from "./urls.ts";
import type { Discovery } from "./provider.ts";
import { clearSession, type Session } from "./session.ts";

export async function logout(c: Compiled, session: Session | null, request: Request, rc: RequestContext): Promise<Response> {
  const cookies = clearSession(c.session, request.headers);
  if (c.csrf) cookies.push(serializeCookie({ ...c.csrf.cookie, maxAge: -1 }, ""));
  const after = c.postLogout ? resolveUrl(c.postLogout, rc.url) : null;
  let doc: Discovery | null = null;
  try {
    doc = await c.provider.discovery(rc.env);
  } catch (err) {
    // The local session ends anyway: the provider is asked only to end its own.
    console.error(`oidc ${c.name}: logout without the provider (discovery failed):`, err);
  }
  let location = after;
  if (doc?.end_session_endpoint) {
    const end = new URL(doc.end_session_endpoint);
    end.searchParams.set("client_id", c.clientID);
    if (session) end.searchParams.set("id_token_hint", session.idt);
    if (after) end.searchParams.set("post_logout_redirect_uri", after);
    location = end.href;
  }
  const response = location ? new Response(null, { status: 302, headers: { location, "cache-control": "no-store" } }) : plain(200, "Logged out\n", { "cache-control": "no-store" });
  for (const value of cookies) response.headers.append("set-cookie", value);
  return response;
}
