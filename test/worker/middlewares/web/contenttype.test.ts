// contentType: a response without Content-Type gets the sniffed one (Go's DetectContentType);
// without the middleware it keeps none, as Traefik v3 disables Go's detection by default.
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { behind, lb, send, snapshotOf } from "../../helpers/serve.ts";

const upstream = inject("whoamiUrl");
const NO_TYPE = { headers: { customResponseHeaders: { "Content-Type": "" } } };

const snapshot = (middlewares: Record<string, unknown>) => behind(upstream, middlewares);

describe("contentType", () => {
  it("detects the type of a response that has none", async () => {
    const res = await send(snapshot({ ct: { contentType: {} }, strip: NO_TYPE }), "https://x.test/");
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(JSON.parse(await res.text())).toMatchObject({ name: "test-whoami" });
  });

  it("does nothing without the middleware, with autoDetect: false, or when there is a type", async () => {
    expect((await send(snapshot({ strip: NO_TYPE }), "https://x.test/")).headers.has("content-type")).toBe(false);
    expect((await send(snapshot({ ct: { contentType: { autoDetect: false } }, strip: NO_TYPE }), "https://x.test/")).headers.has("content-type")).toBe(false);
    expect((await send(snapshot({ ct: { contentType: null } }), "https://x.test/")).headers.get("content-type")).toBe("application/json");
  });

  it("types Traefik's own bare responses: a redirect's status text", async () => {
    const mws = { ct: { contentType: {} }, rr: { redirectRegex: { regex: "^https://x.test/old", replacement: "https://x.test/new" } } };
    const res = await send(snapshot(mws), "https://x.test/old");
    expect(res.status).toBe(302);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await res.text()).toBe("Found");
  });

  it("leaves an empty body untyped", async () => {
    const res = await send(snapshot({ ct: { contentType: {} }, ec: { encodedCharacters: {} } }), "https://x.test/a%2Fb");
    expect(res.status).toBe(400);
    expect(res.headers.has("content-type")).toBe(false);
  });

  it("sniffs the first chunk only, so a stream is not held back", async () => {
    const res = await send(snapshot({ ct: { contentType: {} }, strip: NO_TYPE }), "https://x.test/stream?n=3&ms=300");
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const start = Date.now();
    const reader = res.body!.getReader();
    await reader.read();
    const first = Date.now() - start;
    while (!(await reader.read()).done);
    expect(Date.now() - start - first).toBeGreaterThan(400);
  });
});

// traefik pkg/middlewares/contenttype/content_type_test.go TestAutoDetection: Traefik's `next` writes
// "Test" with or without a Content-Type; here that is a recorded fetch to backend.test.
describe("traefik pkg/middlewares/contenttype/content_type_test.go TestAutoDetection", () => {
  afterEach(() => vi.restoreAllMocks());
  const cases: [string, boolean, string, string | null][] = [
    ["Keep the Content-Type returned by the server", false, "application/json", "application/json"],
    ["Don't auto-detect Content-Type header by default when not set by the server", false, "", null],
    ["Keep the Content-Type returned by the server with auto-detection middleware", true, "application/json", "application/json"],
    ["Auto-detect when Content-Type header is not already set by the server with auto-detection middleware", true, "", "text/plain; charset=utf-8"],
  ];
  for (const [desc, autoDetect, contentType, expected] of cases) {
    it(`"${desc}"`, async () => {
      const realFetch = globalThis.fetch;
      vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
        const request = new Request(input, init);
        if (new URL(request.url).host !== "backend.test") return realFetch(request);
        // A Response given a string body types itself: build the bytes to have no Content-Type.
        return new Response(new TextEncoder().encode("Test"), { headers: contentType ? { "content-type": contentType } : {} });
      });
      const snap = snapshotOf({
        http: {
          routers: { r: { rule: "PathPrefix(`/`)", service: "s", ...(autoDetect ? { middlewares: ["ct"] } : {}) } },
          services: { s: lb("http://backend.test") },
          ...(autoDetect ? { middlewares: { ct: { contentType: {} } } } : {}),
        },
      });
      const res = await send(snap, "http://localhost/");
      expect(res.headers.get("content-type")).toBe(expected);
      expect(await res.text()).toBe("Test");
    });
  }
});
