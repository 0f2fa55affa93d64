// replacePath: replace the whole path, keeping the query, and record the old path (encoded, as
// the client sent it) in X-Replaced-Path. The new path is sent as written when it is a valid
// encoding (so %2F stays %2F), else re-encoded as Go would. The rewrite is pathrewrite.ts's.
import type { MiddlewareFactory } from "./types.ts";
import { pathUnescape } from "../go/url-escape.ts";
import { forwardRewritten } from "./pathrewrite.ts";

export const replacePath: MiddlewareFactory<"replacePath"> = ({ path }) => {
  // Traefik answers 500 to every request in this case; validation refuses the config instead.
  if (pathUnescape(path) === null) return `path "${path}" has an invalid percent-encoding`;
  // Traefik does not clean this path (unlike replacePathRegex's): see docs/middlewares-web.md.
  const rewrite = { kind: "replace", rawPath: path, clean: false } as const;
  return (next) => (request, rc) => forwardRewritten(request, rc, next, rewrite);
};
