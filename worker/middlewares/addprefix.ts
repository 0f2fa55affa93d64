// addPrefix: prepend a prefix to the path before forwarding. As Traefik, the prefix is added to
// the decoded path and, when the client's encoding differs from Go's default, to the raw path too;
// what is sent is Go's EscapedPath of the result. The rewrite is pathrewrite.ts's.
import type { MiddlewareFactory } from "./types.ts";
import { forwardRewritten } from "./pathrewrite.ts";

export const addPrefix: MiddlewareFactory<"addPrefix"> = ({ prefix }) => {
  const rewrite = { kind: "add", prefix } as const;
  return (next) => (request, rc) => forwardRewritten(request, rc, next, rewrite);
};
