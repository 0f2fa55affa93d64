// stripPrefix: remove the first matching prefix from the path and record it in X-Forwarded-Prefix.
// As Traefik: prefixes are trimmed, literal and matched against the decoded path (so /foo also
// strips /foobar → /bar and /fo%6F/x → /x); the rewrite itself is pathrewrite.ts's.
import type { MiddlewareFactory } from "./types.ts";
import { goPathOf } from "./pathstate.ts";
import { forwardRewritten } from "./pathrewrite.ts";

export const stripPrefix: MiddlewareFactory<"stripPrefix"> = ({ prefixes, forceSlash }) => {
  const trimmed = prefixes.map((prefix) => prefix.trim());
  return (next) => (request, rc) => {
    const { path } = goPathOf(request);
    const prefix = trimmed.find((p) => path.startsWith(p));
    if (prefix === undefined) return next(request, rc);
    return forwardRewritten(request, rc, next, { kind: "strip", prefix, header: prefix, forceSlash });
  };
};
