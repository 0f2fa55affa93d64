// stripPrefix: remove the first matching prefix from the path and record it in X-Forwarded-Prefix.
// As Traefik: a literal prefix (so /foo also strips /foobar → /bar), and the result always starts
// with "/".
import type { MiddlewareFactory } from "./types.ts";
import { rawPath, withHeader, withPath } from "./request.ts";

export const stripPrefix: MiddlewareFactory<"stripPrefix"> = ({ prefixes }) => (next) => (request, rc) => {
  const path = rawPath(request);
  const prefix = prefixes.find((p) => path.startsWith(p));
  if (prefix === undefined) return next(request, rc);
  const rest = path.slice(prefix.length);
  const stripped = rest.startsWith("/") ? rest : `/${rest}`;
  return next(withHeader(withPath(request, stripped), "x-forwarded-prefix", prefix), rc);
};
