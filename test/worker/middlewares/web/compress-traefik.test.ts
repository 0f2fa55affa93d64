// Traefik's pkg/middlewares/compress/acceptencoding_test.go and compress_test.go, case by case.
// Traefik's `next` handler is a recorded fetch to backend.test answering what each case writes.
// generateBytes(n) is Traefik's test body: bytes 0x61+i, wrapping at 256.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { validateConfig } from "../../../../worker/config/index.ts";
import { chooseEncoding, parseAcceptEncoding, type Encoding } from "../../../../worker/middlewares/compress/accept.ts";
import { WORKERD_COMPRESSION } from "../../../../worker/middlewares/compress/formats.ts";
import { lb, send, snapshotOf } from "../../helpers/serve.ts";

const realFetch = globalThis.fetch;
let backend: (request: Request) => Response = () => new Response(null);
let backendSeen: Request[] = [];

beforeEach(() => {
  backendSeen = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).host !== "backend.test") return realFetch(request);
    backendSeen.push(request);
    return backend(request);
  });
});
afterEach(() => vi.restoreAllMocks());

function generateBytes(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (0x61 + i) & 0xff);
}

const DEFAULT: Encoding[] = ["gzip", "br", "zstd"]; // Traefik's defaultSupportedEncodings

function snapshot(options: Record<string, unknown>) {
  return snapshotOf({
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["c"] } },
      services: { s: lb("http://backend.test") },
      middlewares: { c: { compress: options } },
    },
  });
}

async function get(options: Record<string, unknown>, headers: Record<string, string> = {}, method = "GET"): Promise<Response> {
  return send(snapshot(options), "http://localhost/", { method, headers });
}

const bytesOf = async (res: Response) => new Uint8Array(await res.arrayBuffer());
const firstVary = (res: Response) => res.headers.get("vary")?.split(",")[0]?.trim() ?? null;

describe("traefik pkg/middlewares/compress/acceptencoding_test.go Test_getCompressionEncoding", () => {
  const cases: [string, string, Encoding | null, Encoding[]?, Encoding?][] = [
    ["Empty Accept-Encoding", "", null],
    ["gzip > br (no weight)", "gzip, br", "gzip"],
    ["gzip > br > zstd (no weight)", "gzip, br, zstd", "gzip"],
    ["known compression encoding (no weight)", "compress, gzip", "gzip"],
    ["unknown compression encoding (no weight), no encoding", "compress, rar", null],
    ["wildcard returns the default compression encoding", "*", "gzip"],
    ["wildcard returns the custom default compression encoding", "*", "br", undefined, "br"],
    ["follows weight", "br;q=0.8, gzip;q=1.0, *;q=0.1", "gzip"],
    ["identity with higher weight is preferred", "br;q=0.8, identity;q=1.0", null],
    ["identity with equal weight is not preferred", "br;q=0.8, identity;q=0.8", "br"],
    ["ignore unknown compression encoding", "compress;q=1.0, gzip;q=0.5", "gzip"],
    ["fallback on non-zero compression encoding", "compress;q=1.0, gzip, identity;q=0", "gzip"],
    ["not acceptable (identity)", "compress;q=1.0, identity;q=0", null],
    ["not acceptable (wildcard)", "compress;q=1.0, *;q=0", null],
    ["non-zero is higher than 0", "gzip, *;q=0", "gzip"],
    ["zstd forbidden, brotli first", "zstd, gzip, br", "br", ["br", "gzip"]],
    ["follows weight, ignores forbidden encoding", "br;q=0.8, gzip;q=1.0, *;q=0.1", "br", ["zstd", "br"]],
    ["mixed weight", "gzip, br;q=0.9", "gzip", ["gzip", "br"]],
    ["Zero weights, no compression", "br;q=0, gzip;q=0, zstd;q=0", null],
    ["Zero weights, default encoding, no compression", "br;q=0, gzip;q=0, zstd;q=0", null, undefined, "br"],
    ["Same weight, first supported encoding", "br;q=1.0, gzip;q=1.0, zstd;q=1.0", "gzip"],
    ["Same weight, first supported encoding, order has no effect", "br;q=1.0, zstd;q=1.0, gzip;q=1.0", "gzip"],
    ["Same weight, first supported encoding, defaultEncoding has no effect", "br;q=1.0, zstd;q=1.0, gzip;q=1.0", "gzip", undefined, "br"],
  ];
  for (const [desc, accept, expected, encodings, defaultEncoding] of cases) {
    it(`"${desc}"`, () => {
      expect(chooseEncoding(accept, encodings ?? DEFAULT, defaultEncoding ?? null)).toBe(expected);
    });
  }
});

describe("traefik pkg/middlewares/compress/acceptencoding_test.go Test_parseAcceptEncoding", () => {
  const cases: [string, string, { type: string; weight: number }[], Encoding[]?][] = [
    ["weight", "br;q=1.0, zstd;q=0.9, gzip;q=0.8, *;q=0.1", [{ type: "br", weight: 1 }, { type: "zstd", weight: 0.9 }, { type: "gzip", weight: 0.8 }, { type: "*", weight: 0.1 }]],
    ["weight with supported encodings", "br;q=1.0, zstd;q=0.9, gzip;q=0.8, *;q=0.1", [{ type: "br", weight: 1 }, { type: "gzip", weight: 0.8 }, { type: "*", weight: 0.1 }], ["br", "gzip"]],
    ["mixed", "zstd,gzip, br;q=1.0, *;q=0", [{ type: "zstd", weight: 1 }, { type: "gzip", weight: 1 }, { type: "br", weight: 1 }]],
    ["mixed with supported encodings", "zstd,gzip, br;q=1.0, *;q=0", [{ type: "zstd", weight: 1 }], ["zstd"]],
    ["no weight", "zstd, gzip, br, *", [{ type: "zstd", weight: 1 }, { type: "gzip", weight: 1 }, { type: "br", weight: 1 }, { type: "*", weight: 1 }]],
    ["no weight with supported encodings", "zstd, gzip, br, *", [{ type: "gzip", weight: 1 }, { type: "*", weight: 1 }], ["gzip"]],
    ["weight and identity", "gzip;q=1.0, identity; q=0.5, *;q=0", [{ type: "gzip", weight: 1 }, { type: "identity", weight: 0.5 }]],
    ["weight and identity (br only)", "gzip;q=1.0, identity; q=0.5, *;q=0", [{ type: "identity", weight: 0.5 }], ["br"]],
  ];
  for (const [desc, value, expected, encodings] of cases) {
    it(`"${desc}"`, () => {
      expect(parseAcceptEncoding(value, encodings ?? DEFAULT)).toEqual(expected);
    });
  }
});

describe("traefik pkg/middlewares/compress/compress_test.go", () => {
  // traefik pkg/middlewares/compress/compress_test.go TestNegotiation. Workers compress with what
  // the runtime's CompressionStream offers (workerd: gzip, deflate): a case whose Traefik answer is
  // br or zstd is checked against the choice among the runtime's encodings (docs/middlewares-web.md).
  const negotiation: [string, string | null, string | null][] = [
    ["no accept header", null, null],
    ["unsupported accept header", "notreal", null],
    ["accept any header", "*", null], // gzip chosen, and gzhttp does not compress for "*"
    ["gzip accept header", "gzip", "gzip"],
    ["br accept header", "br", "br"],
    ["multi accept header, prefer br", "br;q=0.8, gzip;q=0.6", "br"],
    ["multi accept header, prefer gzip", "gzip;q=1.0, br;q=0.8", "gzip"],
    ["multi accept header list, prefer br", "gzip, br", "gzip"],
    ["zstd accept header", "zstd", "zstd"],
    ["multi accept header, prefer zstd", "zstd;q=0.9, br;q=0.8, gzip;q=0.6", "zstd"],
    ["multi accept header, prefer brotli", "gzip;q=0.8, br;q=1.0, zstd;q=0.7", "br"],
    ["multi accept header, prefer gzip (weights)", "gzip;q=1.0, br;q=0.8, zstd;q=0.7", "gzip"],
    ["multi accept header list, prefer best", "gzip, br, zstd", "gzip"],
  ];
  for (const [desc, accept, expected] of negotiation) {
    it(`TestNegotiation "${desc}"`, async () => {
      backend = () => new Response(generateBytes(10));
      const res = await get({ minResponseBodyBytes: 1, encodings: DEFAULT }, accept === null ? {} : { "accept-encoding": accept });
      const available = DEFAULT.filter((e) => WORKERD_COMPRESSION.has(e));
      const onWorkers = expected === null || WORKERD_COMPRESSION.has(expected as Encoding) ? expected : chooseEncoding(accept ?? "", available, null);
      expect(res.headers.get("content-encoding")).toBe(onWorkers === "gzip" && accept === "*" ? null : onWorkers);
      await res.arrayBuffer();
    });
  }

  // traefik pkg/middlewares/compress/compress_test.go TestShouldCompressWhenNoContentEncodingHeader
  it("TestShouldCompressWhenNoContentEncodingHeader", async () => {
    const body = generateBytes(1024);
    backend = () => new Response(body);
    const res = await get({ encodings: DEFAULT }, { "accept-encoding": "gzip" });
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("vary")).toBe("Accept-Encoding");
    const plain = new Uint8Array(await new Response(res.body!.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
    expect(plain).toEqual(body);
  });

  // traefik pkg/middlewares/compress/compress_test.go TestShouldNotCompressWhenContentEncodingHeader
  it("TestShouldNotCompressWhenContentEncodingHeader", async () => {
    const body = generateBytes(1024);
    backend = () => new Response(body, { headers: { "content-encoding": "gzip", vary: "Accept-Encoding" } });
    const res = await get({ encodings: DEFAULT }, { "accept-encoding": "gzip" });
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(firstVary(res)).toBe("Accept-Encoding");
    expect(await bytesOf(res)).toEqual(body);
  });

  // traefik pkg/middlewares/compress/compress_test.go TestShouldNotCompressWhenNoAcceptEncodingHeader,
  // TestEmptyAcceptEncoding, TestShouldNotCompressWhenIdentityAcceptEncodingHeader,
  // TestShouldNotCompressWhenEmptyAcceptEncodingHeader, TestShouldNotCompressHeadRequest
  const untouched: [string, Record<string, string>, string?][] = [
    ["TestShouldNotCompressWhenNoAcceptEncodingHeader", {}],
    ["TestEmptyAcceptEncoding", { "accept-encoding": "" }],
    ["TestShouldNotCompressWhenIdentityAcceptEncodingHeader", { "accept-encoding": "identity" }],
    ["TestShouldNotCompressWhenEmptyAcceptEncodingHeader", { "accept-encoding": "" }],
    ["TestShouldNotCompressHeadRequest", { "accept-encoding": "gzip" }, "HEAD"],
  ];
  for (const [name, headers, method] of untouched) {
    it(`${name}: no Content-Encoding, no Vary, the body as it is, the request's Accept-Encoding kept`, async () => {
      const body = generateBytes(1024);
      backend = () => new Response(method === "HEAD" ? null : body);
      const res = await get({ encodings: DEFAULT }, headers, method);
      expect(res.headers.get("content-encoding")).toBeNull();
      expect(res.headers.get("vary")).toBeNull();
      if (method !== "HEAD") expect(await bytesOf(res)).toEqual(body);
      expect(backendSeen[0]!.headers.get("accept-encoding")).toBe(headers["accept-encoding"] ?? null);
    });
  }

  // traefik pkg/middlewares/compress/compress_test.go TestShouldNotCompressWhenSpecificContentType
  const notByType: [string, Record<string, unknown>, string | null, string | null][] = [
    ["Exclude Request Content-Type", { excludedContentTypes: ["text/event-stream"] }, "text/event-stream", null],
    ["Exclude Response Content-Type", { excludedContentTypes: ["text/event-stream"] }, null, "text/event-stream"],
    ["Include Response Content-Type", { includedContentTypes: ["text/plain"] }, null, "text/html"],
    ["Ignoring application/grpc with exclude option", { excludedContentTypes: ["application/json"] }, "application/grpc", null],
    ["Ignoring application/grpc with include option", { includedContentTypes: ["application/json"] }, "application/grpc", null],
    ["Ignoring application/grpc with no option", {}, "application/grpc", null],
  ];
  for (const [desc, options, requestType, responseType] of notByType) {
    it(`TestShouldNotCompressWhenSpecificContentType "${desc}"`, async () => {
      const body = generateBytes(1024);
      backend = () => new Response(body, { headers: responseType ? { "content-type": responseType } : {} });
      const res = await get({ encodings: DEFAULT, ...options }, { "accept-encoding": "gzip", ...(requestType ? { "content-type": requestType } : {}) });
      expect(res.headers.get("accept-encoding")).toBeNull();
      expect(res.headers.get("content-encoding")).toBeNull();
      expect(await bytesOf(res)).toEqual(body);
    });
  }

  // traefik pkg/middlewares/compress/compress_test.go TestShouldCompressWhenSpecificContentType
  it('TestShouldCompressWhenSpecificContentType "Include Response Content-Type"', async () => {
    const body = generateBytes(1024);
    backend = () => new Response(body, { headers: { "content-type": "text/html" } });
    const res = await get({ encodings: DEFAULT, includedContentTypes: ["text/html"] }, { "accept-encoding": "gzip" });
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("vary")).toBe("Accept-Encoding");
    expect(await bytesOf(res)).not.toEqual(body);
  });

  // traefik pkg/middlewares/compress/compress_test.go TestIntegrationShouldNotCompress
  for (const [name, status] of [["when content already compressed", 200], ["when content already compressed and status code Created", 201]] as const) {
    it(`TestIntegrationShouldNotCompress "${name}"`, async () => {
      const body = generateBytes(100000);
      backend = () => new Response(body, { status, headers: { "content-encoding": "gzip", vary: "Accept-Encoding" } });
      const res = await get({ encodings: DEFAULT }, { "accept-encoding": "gzip" });
      expect(res.status).toBe(status);
      expect(res.headers.get("content-encoding")).toBe("gzip");
      expect(firstVary(res)).toBe("Accept-Encoding");
      expect(await bytesOf(res)).toEqual(body);
    });
  }

  // traefik pkg/middlewares/compress/compress_test.go TestShouldWriteHeaderWhenFlush
  it("TestShouldWriteHeaderWhenFlush", async () => {
    backend = () => new Response("short", { status: 401, headers: { "content-encoding": "gzip", vary: "Accept-Encoding" } });
    const res = await get({ encodings: DEFAULT }, { "accept-encoding": "gzip" });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(firstVary(res)).toBe("Accept-Encoding");
    await res.arrayBuffer();
  });

  // traefik pkg/middlewares/compress/compress_test.go TestIntegrationShouldCompress
  for (const [name, status] of [["when AcceptEncoding header is present", 200], ["when AcceptEncoding header is present and status code Created", 201]] as const) {
    it(`TestIntegrationShouldCompress "${name}"`, async () => {
      const body = generateBytes(100000);
      backend = () => new Response(body, { status });
      const res = await get({ encodings: DEFAULT }, { "accept-encoding": "gzip" });
      expect(res.status).toBe(status);
      expect(res.headers.get("content-encoding")).toBe("gzip");
      expect(res.headers.get("vary")).toBe("Accept-Encoding");
      expect(await bytesOf(res)).not.toEqual(body);
    });
  }

  // traefik pkg/middlewares/compress/compress_test.go TestMinResponseBodyBytes
  for (const [name, min, compressed] of [["should compress", 0, true], ["should not compress", 100001, false]] as const) {
    it(`TestMinResponseBodyBytes "${name}"`, async () => {
      const body = generateBytes(100000);
      backend = () => new Response(body);
      const res = await get({ encodings: DEFAULT, minResponseBodyBytes: min }, { "accept-encoding": "gzip" });
      expect(res.headers.get("content-encoding")).toBe(compressed ? "gzip" : null);
      if (compressed) expect(await bytesOf(res)).not.toEqual(body);
      else expect(await bytesOf(res)).toEqual(body);
    });
  }

  // traefik pkg/middlewares/compress/compress_test.go Test1xxResponses: a Worker's fetch() never
  // shows 1xx responses (103 Early Hints is Cloudflare's to send), so only the final response of
  // the gzip case is observable: its Link headers pass and it is compressed.
  it('Test1xxResponses "gzip" (final response only)', async () => {
    const body = generateBytes(100000);
    const links = ["</style.css>; rel=preload; as=style", "</script.js>; rel=preload; as=script", "</foo.js>; rel=preload; as=script"];
    backend = () => new Response(body, { headers: links.map((l) => ["link", l] as [string, string]) });
    const res = await get({ minResponseBodyBytes: 1024, encodings: DEFAULT }, { "accept-encoding": "gzip" });
    expect(res.headers.get("link")).toBe(links.join(", "));
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(await bytesOf(res)).not.toEqual(body);
  });
});

// Traefik's New() refusals (compress.go), as validation errors with their JSON path.
describe("traefik pkg/middlewares/compress/compress.go New: option validation", () => {
  function paths(options: Record<string, unknown>): string[] {
    const valid = validateConfig({
      http: { routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["c"] } }, services: { s: lb("http://backend.test") }, middlewares: { c: { compress: options } } },
    });
    return valid.ok ? [] : valid.errors.map((e) => e.path);
  }

  it("refuses excluded and included content types together, an unknown encoding, a default not among encodings, no encodings", () => {
    expect(paths({ excludedContentTypes: ["text/plain"], includedContentTypes: ["text/html"] })[0]).toMatch(/^http\.middlewares\.c\.compress/);
    expect(paths({ encodings: ["lzma"] })[0]).toMatch(/^http\.middlewares\.c\.compress\.encodings/);
    expect(paths({ encodings: ["gzip"], defaultEncoding: "br" })[0]).toMatch(/^http\.middlewares\.c\.compress/);
    expect(paths({ encodings: [] })[0]).toMatch(/^http\.middlewares\.c\.compress/);
    expect(paths({ excludedContentTypes: ["not a/type"] })[0]).toMatch(/^http\.middlewares\.c\.compress\.excludedContentTypes/);
  });
});
