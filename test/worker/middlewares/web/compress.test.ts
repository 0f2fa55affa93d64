// compress through the router against real upstreams. Calls through send() return the Worker's
// Response itself, so a compressed body is read here exactly as the middleware produced it (the
// runtime's own Content-Encoding handling, which a deployed Worker adds, is not in the way).
import { describe, expect, inject, it } from "vitest";
import { WORKERD_COMPRESSION } from "../../../../worker/middlewares/compress/formats.ts";
import { behind, type Echo, send } from "../../helpers/serve.ts";

const upstream = inject("whoamiUrl");
const PAD = { "x-pad": "a".repeat(3000) }; // makes whoami's echo several kilobytes

const snapshot = (middlewares: Record<string, unknown>) => behind(upstream, middlewares);

const compress = (options: Record<string, unknown> = {}) => snapshot({ c: { compress: options } });

async function decoded(res: Response, format: "gzip" | "deflate"): Promise<string> {
  return new Response(res.body!.pipeThrough(new DecompressionStream(format))).text();
}

async function firstBytes(res: Response): Promise<number[]> {
  const reader = res.body!.getReader();
  const { value } = await reader.read();
  await reader.cancel();
  return [...(value ?? new Uint8Array()).subarray(0, 2)];
}

describe("compress: choosing an encoding", () => {
  it("gzips a large response for Accept-Encoding: gzip, streaming, without Content-Length", async () => {
    const res = await send(compress(), "https://x.test/big", { headers: { "accept-encoding": "gzip", ...PAD } });
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("vary")).toBe("Accept-Encoding");
    expect(res.headers.has("content-length")).toBe(false);
    expect(res.headers.get("content-type")).toBe("application/json");
    const echo = JSON.parse(await decoded(res, "gzip")) as Echo;
    expect(echo.url).toBe("/big");
  });

  it("picks the first of encodings (zstd, br, gzip by default) that both the client and the runtime have", async () => {
    const expected = (["zstd", "br", "gzip"] as const).find((e) => WORKERD_COMPRESSION.has(e));
    const res = await send(compress(), "https://x.test/", { headers: { "accept-encoding": "gzip, br, zstd", ...PAD } });
    expect(res.headers.get("content-encoding")).toBe(expected);
    expect(WORKERD_COMPRESSION.has("gzip") && WORKERD_COMPRESSION.has("deflate")).toBe(true);
  });

  it("offers deflate (zlib) when listed, in the listed priority", async () => {
    const res = await send(compress({ encodings: ["deflate", "gzip"] }), "https://x.test/", { headers: { "accept-encoding": "gzip, deflate", ...PAD } });
    expect(res.headers.get("content-encoding")).toBe("deflate");
    expect((JSON.parse(await decoded(res, "deflate")) as Echo).name).toBe("test-whoami");
  });

  it.each([
    ["gzip;q=0.5, deflate;q=1.0", "deflate"],
    ["br;q=1.0, gzip;q=0.8, *;q=0.1", "gzip"], // br not offered here: the next weight wins
    ["*", null], // gzip, the first encoding, whose handler (gzhttp) compresses only when the header names gzip
    ["compress, gzip", "gzip"], // unknown codings ignored
    ["", null], // empty: compression off
    ["identity", null],
    ["compress;q=1.0, identity;q=0", null], // not acceptable: sent as it is, never a 406
    ["*;q=0", null],
    ["compress, rar", null],
  ])("Accept-Encoding %j → %s", async (accept, expected) => {
    const snap = compress({ encodings: ["gzip", "deflate"] });
    const res = await send(snap, "https://x.test/", { headers: { "accept-encoding": accept, ...PAD } });
    expect(res.headers.get("content-encoding")).toBe(expected);
    expect(res.status).toBe(200);
  });

  it("leaves a request without Accept-Encoding alone, unless defaultEncoding is set", async () => {
    const plain = await send(compress(), "https://x.test/", { headers: PAD });
    expect(plain.headers.has("content-encoding")).toBe(false);
    expect(plain.headers.has("vary")).toBe(false);
    const dflt = await send(compress({ encodings: ["gzip", "deflate"], defaultEncoding: "deflate" }), "https://x.test/", { headers: PAD });
    expect(dflt.headers.get("content-encoding")).toBe("deflate");
  });

  it("gzip only when the header names it (Traefik's gzhttp): * or defaultEncoding gzip leave the body alone, with Vary", async () => {
    const star = await send(compress({ encodings: ["deflate", "gzip"] }), "https://x.test/", { headers: { "accept-encoding": "*", ...PAD } });
    expect(star.headers.get("content-encoding")).toBe("deflate"); // not gzip: compressed as chosen
    const dflt = await send(compress({ encodings: ["gzip", "deflate"], defaultEncoding: "gzip" }), "https://x.test/", { headers: PAD });
    expect([dflt.headers.get("content-encoding"), dflt.headers.get("vary")]).toEqual([null, "Accept-Encoding"]);
    const zero = await send(compress({ encodings: ["gzip"] }), "https://x.test/", { headers: { "accept-encoding": "gzip;q=0.5;q=0, *", ...PAD } });
    expect(zero.headers.get("content-encoding")).toBeNull();
    await Promise.all([star, dflt, zero].map((r) => r.arrayBuffer()));
  });

  it("reads the client's own Accept-Encoding from request.cf where Cloudflare rewrote the header", async () => {
    const headers = { "accept-encoding": "br, gzip", ...PAD };
    const identity = await send(compress(), "https://x.test/", { headers, cf: { clientAcceptEncoding: "identity" } });
    expect(identity.headers.has("content-encoding")).toBe(false);
    const deflate = await send(compress({ encodings: ["gzip", "deflate"] }), "https://x.test/", { headers, cf: { clientAcceptEncoding: "deflate" } });
    expect(deflate.headers.get("content-encoding")).toBe("deflate");
  });

  it("leaves HEAD requests and gRPC requests alone", async () => {
    const head = await send(compress(), "https://x.test/", { method: "HEAD", headers: { "accept-encoding": "gzip", ...PAD } });
    expect(head.headers.has("content-encoding")).toBe(false);
    const grpc = await send(compress(), "https://x.test/", {
      method: "POST",
      body: "x",
      headers: { "accept-encoding": "gzip", "content-type": "application/grpc", ...PAD },
    });
    expect(grpc.headers.has("content-encoding")).toBe(false);
  });
});

describe("compress: which responses", () => {
  it("leaves a body below minResponseBodyBytes (default 1024) uncompressed, with Vary", async () => {
    const res = await send(compress(), "https://x.test/status/404", { headers: { "accept-encoding": "gzip" } });
    expect(res.status).toBe(404);
    expect(res.headers.has("content-encoding")).toBe(false);
    expect(res.headers.get("vary")).toBe("Accept-Encoding");
    expect(await res.text()).toBe("status 404\n");
  });

  it("honours a smaller minResponseBodyBytes; 0 means Traefik's default 1024", async () => {
    const small = await send(compress({ minResponseBodyBytes: 10 }), "https://x.test/status/404", { headers: { "accept-encoding": "gzip" } });
    expect(small.headers.get("content-encoding")).toBe("gzip");
    expect(await decoded(small, "gzip")).toBe("status 404\n");
    const zero = await send(compress({ minResponseBodyBytes: 0 }), "https://x.test/status/404", { headers: { "accept-encoding": "gzip" } });
    expect(zero.headers.has("content-encoding")).toBe(false);
  });

  it("decides from Content-Length when the response has one", async () => {
    // The header says 5000 bytes: compressed without reading ahead (and the length dropped).
    const mws = { c: { compress: {} }, len: { headers: { customResponseHeaders: { "Content-Length": "5000" } } } };
    const res = await send(snapshot(mws), "https://x.test/status/404", { headers: { "accept-encoding": "gzip" } });
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.has("content-length")).toBe(false);
    expect(await decoded(res, "gzip")).toBe("status 404\n");
    const short = { c: { compress: {} }, len: { headers: { customResponseHeaders: { "Content-Length": "100" } } } };
    const big = await send(snapshot(short), "https://x.test/", { headers: { "accept-encoding": "gzip", ...PAD } });
    expect(big.headers.has("content-encoding")).toBe(false);
    await big.body?.cancel();
  });

  it.each([
    [{ excludedContentTypes: ["application/json"] }, "/", false],
    [{ excludedContentTypes: ["Application/JSON "] }, "/", false], // case and spaces ignored
    [{ excludedContentTypes: ["application/json; charset=utf-8"] }, "/", true], // parameters must match
    [{ includedContentTypes: ["text/plain"] }, "/", false],
    [{ includedContentTypes: ["text/plain"], minResponseBodyBytes: 5 }, "/status/404", true],
  ])("content types %j on %s → compressed %s", async (options, path, compressed) => {
    const res = await send(compress(options), `https://x.test${path}`, { headers: { "accept-encoding": "gzip", ...PAD } });
    expect(res.headers.get("content-encoding")).toBe(compressed ? "gzip" : null);
  });

  it.each<[Record<string, string>, string]>([
    [{ "Content-Encoding": "identity" }, "already encoded"],
    [{ "Content-Range": "bytes 0-10/5000" }, "a range"],
    [{ "Content-Type": "not a/type" }, "an unparsable Content-Type"],
  ])("does not compress a response with %j (%s)", async (responseHeaders, _why) => {
    const mws = { c: { compress: {} }, up: { headers: { customResponseHeaders: responseHeaders } } };
    const res = await send(snapshot(mws), "https://x.test/", { headers: { "accept-encoding": "gzip", ...PAD } });
    expect(res.headers.get("content-encoding") ?? "").not.toBe("gzip");
    expect((JSON.parse(await res.text()) as Echo).name).toBe("test-whoami");
  });

  it("drops Accept-Ranges and sniffs a missing Content-Type when it compresses", async () => {
    const mws = { c: { compress: {} }, up: { headers: { customResponseHeaders: { "Accept-Ranges": "bytes", "Content-Type": "" } } } };
    const res = await send(snapshot(mws), "https://x.test/", { headers: { "accept-encoding": "gzip", ...PAD } });
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.has("accept-ranges")).toBe(false);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await firstBytes(res)).toEqual([0x1f, 0x8b]);
  });

  it("keeps the compressed body when a middleware outside it edits the headers", async () => {
    const mws = { outer: { headers: { customResponseHeaders: { "X-Outer": "1" } } }, c: { compress: {} } };
    const res = await send(snapshot(mws), "https://x.test/", { headers: { "accept-encoding": "gzip", ...PAD } });
    expect(res.headers.get("x-outer")).toBe("1");
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect((JSON.parse(await decoded(res, "gzip")) as Echo).name).toBe("test-whoami");
  });
});

describe("compress: streams are never held back", () => {
  async function firstChunkBeforeEnd(res: Response): Promise<{ firstAt: number; endAt: number; text: string }> {
    const start = Date.now();
    const reader = res.body!.getReader();
    let text = "";
    let firstAt = -1;
    for (let i = 0; i < 50; i++) {
      const { done, value } = await reader.read();
      if (done) break;
      if (firstAt < 0) firstAt = Date.now() - start;
      text += new TextDecoder().decode(value);
    }
    return { firstAt, endAt: Date.now() - start, text };
  }

  it("sends server-sent events uncompressed, each as it comes (CompressionStream cannot flush)", async () => {
    const res = await send(compress(), "https://x.test/stream?n=3&ms=300", { headers: { "accept-encoding": "gzip" } });
    expect(res.headers.has("content-encoding")).toBe(false);
    const { firstAt, endAt, text } = await firstChunkBeforeEnd(res);
    expect(text.match(/^data: /gm)).toHaveLength(3);
    expect(endAt - firstAt).toBeGreaterThan(400);
  });

  it("sends a body without Content-Length that pauses before minResponseBodyBytes as it comes", async () => {
    const mws = { c: { compress: {} }, up: { headers: { customResponseHeaders: { "Content-Type": "text/plain" } } } };
    const res = await send(snapshot(mws), "https://x.test/stream?n=3&ms=300", { headers: { "accept-encoding": "gzip" } });
    expect(res.headers.has("content-encoding")).toBe(false);
    const { firstAt, endAt, text } = await firstChunkBeforeEnd(res);
    expect(text.match(/^data: /gm)).toHaveLength(3);
    expect(endAt - firstAt).toBeGreaterThan(400);
  });
});
