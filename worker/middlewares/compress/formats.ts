// Which HTTP content-codings this runtime's CompressionStream can produce, detected once per
// isolate by trying each format name (workerd offers gzip and deflate; Brotli and Zstandard are
// used only where a runtime accepts them).
import type { Encoding } from "./accept.ts";

/** A CompressionStream format name (the declared union lists workerd's; others are probed). */
export type Format = ConstructorParameters<typeof CompressionStream>[0];

const CANDIDATES: Readonly<Record<Encoding, readonly string[]>> = {
  gzip: ["gzip"],
  // HTTP's "deflate" is the zlib format, which is CompressionStream's "deflate".
  deflate: ["deflate"],
  br: ["br", "brotli"],
  zstd: ["zstd"],
};

function detect(encoding: Encoding): Format | null {
  for (const format of CANDIDATES[encoding]) {
    try {
      new CompressionStream(format as Format);
      return format as Format;
    } catch {
      // not offered by this runtime
    }
  }
  return null;
}

let formats: Map<Encoding, Format> | null = null;

/** The CompressionStream format for each encoding this runtime offers. */
export function runtimeFormats(): ReadonlyMap<Encoding, Format> {
  if (!formats) {
    formats = new Map();
    for (const encoding of Object.keys(CANDIDATES) as Encoding[]) {
      const format = detect(encoding);
      if (format) formats.set(encoding, format);
    }
  }
  return formats;
}
