// Options of the path, headers and body middlewares that Traefik refuses when it builds them (or
// that would fail every request), reported at their path instead.
import { parseMediaType } from "../../go/mime.ts";
import { pathUnescape } from "../../go/url-escape.ts";
import { noEncoding, WORKERD_COMPRESSION, WORKERD_COMPRESSION_NOTE } from "../compress/formats.ts";
import { hasCors, hasCustom, hasSecure } from "../headers/defined.ts";
import type { OptionCheck } from "./types.ts";

export const checkCompress: OptionCheck<"compress"> = (issues, path, o) => {
  if (o.encodings?.length === 0) issues.error([...path, "encodings"], "at least one encoding must be specified (zstd, br, gzip or deflate)");
  if (o.defaultEncoding && o.encodings && !o.encodings.includes(o.defaultEncoding)) {
    issues.error([...path, "defaultEncoding"], `defaultEncoding "${o.defaultEncoding}" is not one of encodings (${o.encodings.join(", ")})`);
  }
  checkCompressionTable(issues, path, o);
  if (o.includedContentTypes && o.excludedContentTypes) {
    issues.error(path, "includedContentTypes and excludedContentTypes cannot be used together");
  }
  for (const field of ["excludedContentTypes", "includedContentTypes"] as const) {
    o[field]?.forEach((value, i) => {
      if (!parseMediaType(value)) issues.error([...path, field, i], `"${value}" is not a media type (e.g. text/event-stream, application/json)`);
    });
  }
};

/**
 * Encodings a Worker cannot produce (workerd's fixed table, not the runtime at hand: the CLI in Node
 * answers as the Worker does). Traefik's default list (zstd, br, gzip) is left alone: gzip serves it.
 */
const checkCompressionTable: OptionCheck<"compress"> = (issues, path, o) => {
  const listed = o.encodings ?? [];
  if (listed.length > 0 && !listed.some((e) => WORKERD_COMPRESSION.has(e))) {
    issues.error([...path, "encodings"], noEncoding(listed));
    return;
  }
  listed.forEach((e, i) => {
    if (!WORKERD_COMPRESSION.has(e)) issues.warn([...path, "encodings", i], `${e} is never used: ${WORKERD_COMPRESSION_NOTE}`);
  });
  if (o.defaultEncoding && !WORKERD_COMPRESSION.has(o.defaultEncoding)) {
    issues.warn([...path, "defaultEncoding"], `${o.defaultEncoding} is never used: ${WORKERD_COMPRESSION_NOTE}; requests without Accept-Encoding are not compressed`);
  }
};

export const checkHeaders: OptionCheck<"headers"> = (issues, path, o) => {
  if (!hasSecure(o) && !hasCustom(o) && !hasCors(o)) {
    issues.error(path, "headers configuration not valid: no option is set, so the middleware would do nothing");
  }
};

export const checkErrors: OptionCheck<"errors"> = (issues, path, o) => {
  for (const [from, to] of Object.entries(o.statusRewrites ?? {})) {
    if (to < 200) issues.error([...path, "statusRewrites", from], `${to} is an informational status: an error page needs a final status (200-599)`);
  }
};

export const checkReplacePath: OptionCheck<"replacePath"> = (issues, path, o) => {
  // Traefik accepts it and answers 500 to every request.
  if (pathUnescape(o.path) === null) issues.error([...path, "path"], `"${o.path}" has an invalid percent-encoding (write a literal % as %25)`);
};
