// authSigninURL (Traefik v3.7): a 401 from the auth server becomes a 302 to the sign-in page, as
// Go's http.Redirect writes it (a relative URL is resolved against the request's path; a GET or HEAD
// gets the small HTML body).
import { statusText } from "../../go/statustext.ts";

const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" })[c] ?? c);
}

/** Go's http.Redirect location: absolute URLs and `//host` as they are, a path made absolute. */
function location(target: string, request: Request): string {
  if (HAS_SCHEME.test(target) || target.startsWith("//")) return target;
  const resolved = new URL(target, new URL(request.url).origin + new URL(request.url).pathname);
  return resolved.pathname + resolved.search + resolved.hash;
}

export function signinRedirect(target: string, request: Request): Response {
  const to = location(target, request);
  const headers = new Headers({ location: to });
  const get = request.method === "GET" || request.method === "HEAD";
  if (get) headers.set("content-type", "text/html; charset=utf-8");
  const body = request.method === "GET" ? `<a href="${htmlEscape(to)}">${statusText(302)}</a>.\n\n` : null;
  return new Response(body, { status: 302, headers });
}
