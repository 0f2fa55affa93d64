// compress: compress responses with the best encoding the client accepts among `encodings` that
// a Worker's CompressionStream offers (formats.ts: a fixed table of workerd's, the same in the CLI). Traefik's rules: HEAD, requests whose Content-Type is
// excluded (application/grpc always), and requests without Accept-Encoding (unless
// defaultEncoding) are left alone; see response.ts for what responses qualify.
import type { MiddlewareFactory } from "../types.ts";
import { chooseEncoding, namesGzip, type Encoding } from "./accept.ts";
import { noEncoding, WORKERD_COMPRESSION } from "./formats.ts";
import { parseMediaType, type MediaType } from "../../go/mime.ts";
import { compressResponse, vary } from "./response.ts";

/** Traefik's defaults: encodings when none are listed, and minResponseBodyBytes when not above 0. */
const DEFAULT_ENCODINGS: readonly Encoding[] = ["gzip", "br", "zstd"];
const DEFAULT_MIN_SIZE = 1024;

function mediaTypes(list: readonly string[], field: string): MediaType[] | string {
  const out: MediaType[] = [];
  for (const value of list) {
    const parsed = parseMediaType(value);
    if (!parsed) return `${field}: "${value}" is not a media type`;
    out.push(parsed);
  }
  return out;
}

/**
 * The client's Accept-Encoding. On Cloudflare the request's header is rewritten to "br, gzip" for
 * the Worker and the client's own value is request.cf.clientAcceptEncoding: that one is read.
 */
function acceptEncoding(request: Request): string | null {
  const cf = request.cf as { clientAcceptEncoding?: unknown } | undefined;
  return typeof cf?.clientAcceptEncoding === "string" ? cf.clientAcceptEncoding : request.headers.get("accept-encoding");
}

export const compress: MiddlewareFactory<"compress"> = (o) => {
  const configured = (o.encodings ?? DEFAULT_ENCODINGS) as readonly Encoding[];
  if (configured.length === 0) return "at least one encoding must be specified";
  if (o.defaultEncoding && !configured.includes(o.defaultEncoding)) return `unsupported default encoding: ${o.defaultEncoding}`;
  const formats = WORKERD_COMPRESSION;
  const allowed = configured.filter((e) => formats.has(e));
  if (allowed.length === 0) return noEncoding(configured);
  const excludes = mediaTypes(["application/grpc", ...(o.excludedContentTypes ?? [])], "excludedContentTypes");
  const includes = mediaTypes(o.includedContentTypes ?? [], "includedContentTypes");
  if (typeof excludes === "string") return excludes;
  if (typeof includes === "string") return includes;
  const excludedTypes = new Set(excludes.map((m) => m.type));
  const fallback = o.defaultEncoding && allowed.includes(o.defaultEncoding) ? o.defaultEncoding : null;
  const minSize = o.minResponseBodyBytes > 0 ? o.minResponseBodyBytes : DEFAULT_MIN_SIZE;

  return (next) => async (request, rc) => {
    if (request.method === "HEAD") return next(request, rc);
    // e.g. a gRPC request: its response is never compressed, whatever its own Content-Type.
    if (excludedTypes.has(parseMediaType(request.headers.get("content-type") ?? "")?.type ?? "")) return next(request, rc);
    const accept = acceptEncoding(request);
    const encoding = accept === null ? fallback : chooseEncoding(accept, allowed, fallback);
    if (!encoding) return next(request, rc);
    // Traefik's gzip handler checks the header itself and leaves the body alone unless it names gzip.
    if (encoding === "gzip" && !namesGzip(accept)) return vary(await next(request, rc));
    const policy = { format: formats.get(encoding)!, encoding, minSize, includes, excludes };
    return compressResponse(await next(request, rc), policy);
  };
};
