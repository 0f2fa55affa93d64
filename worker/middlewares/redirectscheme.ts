// redirectScheme: redirect to another scheme (and port) when the URL the client used differs.
// As Traefik: the scheme is the one the client used, or X-Forwarded-Proto from a trusted proxy
// (ws/wss read as http/https); default ports are left out; no change means no redirect.
import type { MiddlewareFactory } from "./types.ts";
import { parseTemplate } from "./goreplace.ts";
import { requestURI } from "./pathstate.ts";
import { redirector } from "./redirect.ts";

// Traefik's pattern: optional scheme, host (bracketed IPv6 or a name), optional port, the rest.
const URI = /^(https?:\/\/)?(\[[\w:.]+\]|[\w._-]+)?(:\d+)?(.*)$/g;

function forwardedScheme(value: string | null): "http" | "https" | null {
  const proto = value?.toLowerCase();
  if (proto === "http" || proto === "ws") return "http";
  if (proto === "https" || proto === "wss") return "https";
  return null; // absent or not a scheme Traefik knows: ignored
}

/** Traefik's clientRequestURL. */
export function clientRequestURL(request: Request): string {
  const url = new URL(request.url);
  const own = url.protocol === "https:" ? "https" : "http";
  const scheme = forwardedScheme(request.headers.get("x-forwarded-proto")) ?? own;
  let port = url.port ? `:${url.port}` : "";
  if ((scheme === "http" && port === ":80") || (scheme === "https" && port === ":443")) port = "";
  return `${scheme}://${url.hostname}${port}${requestURI(request)}`;
}

export const redirectScheme: MiddlewareFactory<"redirectScheme"> = ({ scheme, port, permanent }) => {
  const defaultPort = (scheme === "http" && port === "80") || (scheme === "https" && port === "443");
  const target = port && !defaultPort ? `:${port}` : "";
  return redirector({
    re: URI,
    template: parseTemplate(`${scheme}://\${2}${target}\${4}`),
    permanent: permanent ?? false,
    rawURL: clientRequestURL,
  });
};
