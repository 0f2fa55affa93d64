// addPrefix: prepend a prefix to the path before forwarding. As Traefik, the prefix is added to
// the decoded path and, when the client's encoding differs from Go's default, to the raw path too;
// what is sent is Go's EscapedPath of the result.
import type { MiddlewareFactory } from "./types.ts";
import { ensureLeadingSlash } from "./gopath.ts";
import { goPathOf, withGoPath } from "./pathstate.ts";

export const addPrefix: MiddlewareFactory<"addPrefix"> = ({ prefix }) => (next) => (request, rc) => {
  const { path, rawPath } = goPathOf(request);
  const added = {
    path: ensureLeadingSlash(prefix + path),
    rawPath: rawPath === "" ? "" : ensureLeadingSlash(prefix + rawPath),
  };
  return next(withGoPath(request, added), rc);
};
