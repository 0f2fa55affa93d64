// Responses and everything else: compress, contentType, errors, grpcWeb, encodedCharacters,
// passTLSClientCert, chain, plugin.
import * as z from "zod";
import { bool, emptyable, headerNames, httpStatus, intIn, listOf, nonEmpty, statusRange, str, stringList } from "../common.ts";

/** Traefik's gzip, br, zstd; plus deflate, which a Worker's CompressionStream offers (a Switchyard extension). */
const encoding = z.enum(["gzip", "deflate", "br", "zstd"]);

export const compressSchema = emptyable(
  z.strictObject({
    excludedContentTypes: stringList.optional(),
    includedContentTypes: stringList.optional(),
    minResponseBodyBytes: intIn(0).default(1024),
    encodings: listOf(encoding).optional(),
    defaultEncoding: encoding.optional(),
  }),
);

export const contentTypeSchema = emptyable(z.strictObject({ autoDetect: bool.optional() }));

export const errorsSchema = z.strictObject({
  status: listOf(statusRange),
  /** `"418": 404` or `"410-418": 404`. */
  statusRewrites: z.record(statusRange, httpStatus).optional(),
  service: nonEmpty,
  query: str.optional(),
  /** v3.7: request headers forwarded to the error service (absent: all). */
  errorRequestHeaders: headerNames.optional(),
});

export const grpcWebSchema = emptyable(z.strictObject({ allowOrigins: stringList.optional() }));

export const encodedCharactersSchema = emptyable(
  z.strictObject({
    allowEncodedSlash: bool.optional(),
    allowEncodedBackSlash: bool.optional(),
    allowEncodedNullCharacter: bool.optional(),
    allowEncodedSemicolon: bool.optional(),
    allowEncodedPercent: bool.optional(),
    allowEncodedQuestionMark: bool.optional(),
    allowEncodedHash: bool.optional(),
  }),
);

const issuerFields = {
  country: bool.optional(),
  province: bool.optional(),
  locality: bool.optional(),
  organization: bool.optional(),
  commonName: bool.optional(),
  serialNumber: bool.optional(),
  domainComponent: bool.optional(),
};

export const passTLSClientCertSchema = z.strictObject({
  pem: bool.optional(),
  info: emptyable(
    z.strictObject({
      notAfter: bool.optional(),
      notBefore: bool.optional(),
      sans: bool.optional(),
      serialNumber: bool.optional(),
      subject: emptyable(z.strictObject({ ...issuerFields, organizationalUnit: bool.optional() })).optional(),
      issuer: emptyable(z.strictObject(issuerFields)).optional(),
    }),
  ).optional(),
});

export const chainSchema = z.strictObject({ middlewares: listOf(nonEmpty) });

/** Accepted so the error can name the plugin; validate rejects it (no plugins on Workers). */
export const pluginSchema = z.record(z.string(), z.unknown());
