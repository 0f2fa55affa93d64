// Options of the path, headers and body middlewares that Traefik refuses when it builds them (or
// that would fail every request), reported here at their path instead.
import type { Path } from "../issues.ts";
import type { MiddlewareOptions } from "../../schema/middlewares.ts";
import type { CheckContext } from "./context.ts";
import { entries } from "./context.ts";
import { parseMediaType } from "../../go/mime.ts";
import { pathUnescape } from "../../go/url-escape.ts";
import { hasCors, hasCustom, hasSecure } from "../../middlewares/headers/defined.ts";

function checkCompress(ctx: CheckContext, path: Path, o: MiddlewareOptions<"compress">): void {
  if (o.encodings?.length === 0) ctx.issues.error([...path, "encodings"], "at least one encoding must be specified (zstd, br, gzip or deflate)");
  if (o.defaultEncoding && o.encodings && !o.encodings.includes(o.defaultEncoding)) {
    ctx.issues.error([...path, "defaultEncoding"], `defaultEncoding "${o.defaultEncoding}" is not one of encodings (${o.encodings.join(", ")})`);
  }
  for (const field of ["excludedContentTypes", "includedContentTypes"] as const) {
    o[field]?.forEach((value, i) => {
      if (!parseMediaType(value)) ctx.issues.error([...path, field, i], `"${value}" is not a media type (e.g. text/event-stream, application/json)`);
    });
  }
}

function checkHeaders(ctx: CheckContext, path: Path, o: MiddlewareOptions<"headers">): void {
  if (!hasSecure(o) && !hasCustom(o) && !hasCors(o)) {
    ctx.issues.error(path, "headers configuration not valid: no option is set, so the middleware would do nothing");
  }
}

function checkErrors(ctx: CheckContext, path: Path, o: MiddlewareOptions<"errors">): void {
  for (const [from, to] of Object.entries(o.statusRewrites ?? {})) {
    if (to < 200) ctx.issues.error([...path, "statusRewrites", from], `${to} is an informational status: an error page needs a final status (200-599)`);
  }
}

export function checkWeb(ctx: CheckContext): void {
  for (const [name, middleware] of entries(ctx, "middlewares")) {
    const base = ["http", "middlewares", name];
    if (middleware.compress) checkCompress(ctx, [...base, "compress"], middleware.compress);
    if (middleware.headers) checkHeaders(ctx, [...base, "headers"], middleware.headers);
    if (middleware.errors) checkErrors(ctx, [...base, "errors"], middleware.errors);
    const replacePath = middleware.replacePath?.path;
    if (replacePath !== undefined && pathUnescape(replacePath) === null) {
      // Traefik accepts it and answers 500 to every request.
      ctx.issues.error([...base, "replacePath", "path"], `"${replacePath}" has an invalid percent-encoding (write a literal % as %25)`);
    }
  }
}
