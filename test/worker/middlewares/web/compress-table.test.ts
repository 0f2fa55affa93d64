// The fixed table of what a Worker's CompressionStream offers (worker/middlewares/compress/formats.ts)
// is checked against workerd itself here, so it cannot drift; and the config check built on it
// answers in workerd what the CLI answers in Node (test/node/runtime-parity.test.ts).
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../../../worker/config/index.ts";
import { WORKERD_COMPRESSION, type Format } from "../../../../worker/middlewares/compress/formats.ts";

function offered(format: string): boolean {
  try {
    new CompressionStream(format as Format);
    return true;
  } catch {
    return false;
  }
}

function compressConfig(compress: Record<string, unknown>) {
  return {
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["c"] } },
      services: { s: { loadBalancer: { servers: [{ url: "http://backend.test" }] } } },
      middlewares: { c: { compress } },
    },
  };
}

describe("WORKERD_COMPRESSION matches workerd's CompressionStream", () => {
  it("every format in the table is offered", () => {
    for (const format of WORKERD_COMPRESSION.values()) expect(offered(format), format).toBe(true);
  });

  it("no format for a coding outside the table is offered (Brotli under either name, Zstandard)", () => {
    const outside = { br: ["br", "brotli"], zstd: ["zstd"] } as const;
    for (const [encoding, names] of Object.entries(outside)) {
      expect(WORKERD_COMPRESSION.has(encoding as "br" | "zstd")).toBe(false);
      for (const name of names) expect(offered(name), name).toBe(false);
    }
  });
});

describe("compress encodings a Worker cannot produce", () => {
  it("[zstd, br] is refused at encodings, with the table's message", () => {
    const valid = validateConfig(compressConfig({ encodings: ["zstd", "br"] }));
    expect(valid.ok).toBe(false);
    if (!valid.ok) {
      expect(valid.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
        "http.middlewares.c.compress.encodings: none of the encodings zstd, br is available on Workers: a Worker's CompressionStream offers gzip and deflate only",
      ]);
    }
  });

  it("[br, gzip] validates with a warning naming br's path; Traefik's default list warns nothing", () => {
    const listed = validateConfig(compressConfig({ encodings: ["br", "gzip"] }));
    expect(listed.ok && listed.warnings.map((w) => w.path)).toEqual(["http.middlewares.c.compress.encodings[0]"]);
    const defaults = validateConfig(compressConfig({}));
    expect(defaults.ok && defaults.warnings).toEqual([]);
  });

  it("a defaultEncoding a Worker cannot produce warns at its path", () => {
    const valid = validateConfig(compressConfig({ encodings: ["gzip", "zstd"], defaultEncoding: "zstd" }));
    expect(valid.ok && valid.warnings.map((w) => w.path)).toEqual(["http.middlewares.c.compress.encodings[1]", "http.middlewares.c.compress.defaultEncoding"]);
  });
});
