// Responses and everything else: compress, contentType, errors, grpcWeb, encodedCharacters,
// passTLSClientCert, chain, plugin.
import * as z from "zod/mini";
import { bool, emptyable, headerNames, httpStatus, intIn, listOf, nonEmpty, statusRange, str, stringList } from "../common.ts";

/** Traefik's gzip, br, zstd; plus deflate, which a Worker's CompressionStream offers (a Switchyard extension). */
const encoding = z.enum(["gzip", "deflate", "br", "zstd"]);

export const compressSchema = z.lazy(() =>
  emptyable(
    z.strictObject({
      excludedContentTypes: z.optional(stringList),
      includedContentTypes: z.optional(stringList),
      minResponseBodyBytes: z._default(intIn(0), 1024),
      encodings: z.optional(listOf(encoding)),
      defaultEncoding: z.optional(encoding),
    }),
  ),
);

export const contentTypeSchema = z.lazy(() => emptyable(z.strictObject({ autoDetect: z.optional(bool) })));

export const errorsSchema = z.lazy(() =>
  z.strictObject({
    status: listOf(statusRange),
    /** `"418": 404` or `"410-418": 404`. */
    statusRewrites: z.optional(z.record(statusRange, httpStatus)),
    service: nonEmpty,
    query: z.optional(str),
    /** v3.7: request headers forwarded to the error service (absent: all). */
    errorRequestHeaders: z.optional(headerNames),
  }),
);

export const grpcWebSchema = z.lazy(() => emptyable(z.strictObject({ allowOrigins: z.optional(stringList) })));

export const encodedCharactersSchema = z.lazy(() =>
  emptyable(
    z.strictObject({
      allowEncodedSlash: z.optional(bool),
      allowEncodedBackSlash: z.optional(bool),
      allowEncodedNullCharacter: z.optional(bool),
      allowEncodedSemicolon: z.optional(bool),
      allowEncodedPercent: z.optional(bool),
      allowEncodedQuestionMark: z.optional(bool),
      allowEncodedHash: z.optional(bool),
    }),
  ),
);

const issuerFields = {
  country: z.optional(bool),
  province: z.optional(bool),
  locality: z.optional(bool),
  organization: z.optional(bool),
  commonName: z.optional(bool),
  serialNumber: z.optional(bool),
  domainComponent: z.optional(bool),
};

export const passTLSClientCertSchema = z.lazy(() =>
  z.strictObject({
    pem: z.optional(bool),
    info: z.optional(
      emptyable(
        z.strictObject({
          notAfter: z.optional(bool),
          notBefore: z.optional(bool),
          sans: z.optional(bool),
          serialNumber: z.optional(bool),
          subject: z.optional(emptyable(z.strictObject({ ...issuerFields, organizationalUnit: z.optional(bool) }))),
          issuer: z.optional(emptyable(z.strictObject(issuerFields))),
        }),
      ),
    ),
  }),
);

export const chainSchema = z.lazy(() => z.strictObject({ middlewares: listOf(nonEmpty) }));

/** Accepted so the error can name the plugin; validate rejects it (no plugins on Workers). */
export const pluginSchema = z.record(z.string(), z.unknown());
