// A parent router's inner handler (multi-layer routing): the request its middlewares pass on is
// matched among its children, as Traefik's child muxer does (pkg/server/router/router.go
// buildChildRoutersMuxer), and no matching child is Traefik's 404.
import { notFound } from "../http/status.ts";
import { escapedPathOf } from "../middlewares/pathstate.ts";
import { viewOfForwarded, type Muxer } from "../rules/index.ts";
import type { Handler } from "../services/types.ts";

export function childDispatch(children: Muxer<Handler>): Handler {
  return (request, rc) => {
    const view = viewOfForwarded(request, rc.url, escapedPathOf(request), rc.clientIP);
    const route = children.match(view);
    return route === null ? Promise.resolve(notFound()) : route.handler(request, rc);
  };
}
