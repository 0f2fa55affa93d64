// redirectRegex: redirect when a Go regex over the request URL (scheme://host/path?query, as
// Traefik builds it) rewrites it to something else. The replacement follows Go's Regexp.Expand:
// `$1x` means group "1x", so write `${1}x`.
import type { MiddlewareFactory } from "./types.ts";
import { parseTemplate } from "../go/regexp/expand.ts";
import { compileGoRegexp } from "../go/regexp/index.ts";
import { goHost, requestURI } from "./pathstate.ts";
import { redirector } from "./redirect.ts";

/**
 * Traefik's rawURL: the scheme the client used, the Host header as sent (so `http://foo:80/` keeps
 * its explicit port, which the request's URL drops), and the request target.
 */
export function rawURL(request: Request): string {
  return `${new URL(request.url).protocol}//${goHost(request)}${requestURI(request)}`;
}

export const redirectRegex: MiddlewareFactory<"redirectRegex"> = ({ regex, replacement, permanent }) => {
  const compiled = compileGoRegexp(regex);
  if (!compiled.ok) return `invalid regular expression "${regex}": ${compiled.error}`;
  return redirector({
    re: compiled.value,
    template: parseTemplate(replacement),
    permanent: permanent ?? false,
    rawURL,
  });
};
