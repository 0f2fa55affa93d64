// The HTTP content-codings a Worker can produce: workerd's CompressionStream offers "gzip" and
// "deflate" (and "deflate-raw", which no content-coding names); no Brotli, no Zstandard. A fixed
// table, not a probe of the runtime at hand: the CLI (Node, which has Brotli) and the Worker must
// give the same answer for the same config. test/worker/middlewares/web/compress-table.test.ts
// checks the table against workerd itself, so it cannot drift.
import type { Encoding } from "./accept.ts";

/** A CompressionStream format name. */
export type Format = ConstructorParameters<typeof CompressionStream>[0];

/** Each content-coding a Worker can produce and its CompressionStream format. HTTP's "deflate" is the zlib format, CompressionStream's "deflate". */
export const WORKERD_COMPRESSION: ReadonlyMap<Encoding, Format> = new Map<Encoding, Format>([
  ["gzip", "gzip"],
  ["deflate", "deflate"],
]);

/** What a config is told when it names a coding outside the table. */
export const WORKERD_COMPRESSION_NOTE = `a Worker's CompressionStream offers ${[...WORKERD_COMPRESSION.keys()].join(" and ")} only`;

/** The refusal of a compress none of whose encodings a Worker can produce: the config check and the factory say the same. */
export function noEncoding(configured: readonly string[]): string {
  return `none of the encodings ${configured.join(", ")} is available on Workers: ${WORKERD_COMPRESSION_NOTE}`;
}
