// addPrefix: prepend a prefix to the path before forwarding.
import type { MiddlewareFactory } from "./types.ts";
import { rawPath, withPath } from "./request.ts";

export const addPrefix: MiddlewareFactory<"addPrefix"> = ({ prefix }) => {
  const normalized = prefix.startsWith("/") ? prefix : `/${prefix}`;
  return (next) => (request, rc) => next(withPath(request, normalized + rawPath(request)), rc);
};
