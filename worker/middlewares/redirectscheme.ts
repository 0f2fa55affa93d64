// redirectScheme: redirect to another scheme (and port) when the URL the client used differs.
// As Traefik: the scheme is the one the client used, or X-Forwarded-Proto from a trusted proxy
// (ws/wss read as http/https); default ports are left out; no change means no redirect.
import type { MiddlewareFactory } from "./types.ts";
import { parseTemplate } from "../go/regexp/expand.ts";
import { compileGoRegexp, type GoRegexp } from "../go/regexp/index.ts";
import { requestURI } from "./pathstate.ts";
import { redirector } from "./redirect.ts";

// Traefik's pattern: optional scheme, host (bracketed IPv6 or a name), optional port, the rest.
// Compiled like every other regex (go/regexp), so it runs in linear time whatever the URL.
const URI = compiledURI();

function compiledURI(): GoRegexp {
  const r = compileGoRegexp(String.raw`^(https?:\/\/)?(\[[\w:.]+\]|[\w\._-]+)?(:\d+)?(.*)$`);
  if (!r.ok) throw new Error(`redirectScheme's URI pattern: ${r.error}`);
  return r.value;
}

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
