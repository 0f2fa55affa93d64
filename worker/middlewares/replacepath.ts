// replacePath: replace the whole path, keeping the query, and record the old path (encoded, as
// the client sent it) in X-Replaced-Path. The new path is sent as written when it is a valid
// encoding (so %2F stays %2F), else re-encoded as Go would.
import type { MiddlewareFactory } from "./types.ts";
import { escapedPath, pathUnescape } from "./gopath.ts";
import { goPathOf, withGoPath } from "./pathstate.ts";

export const replacePath: MiddlewareFactory<"replacePath"> = ({ path: target }) => {
  const decoded = pathUnescape(target);
  // Traefik answers 500 to every request in this case; validation refuses the config instead.
  if (decoded === null) return `path "${target}" has an invalid percent-encoding`;
  const replaced = { path: decoded, rawPath: target };
  return (next) => (request, rc) => {
    const current = goPathOf(request);
    const old = current.rawPath || escapedPath(current);
    return next(withGoPath(request, replaced, (h) => h.append("x-replaced-path", old)), rc);
  };
};
