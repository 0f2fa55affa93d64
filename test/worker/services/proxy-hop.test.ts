// Hop-by-hop removal cannot strip what the router adds: the headers a client's Connection names go
// once, at the entry, before any middleware runs; Connection can never name the forwarded headers the
// router manages; and an upstream's Connection only strips the upstream's own response headers.
// Traefik's fix for CVE-2024-45410 (pkg/middlewares/forwardedheaders/forwarded_header.go) is the reference.
import { SELF } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { inbound } from "../../../worker/inbound.ts";
import { removeConnectionNamed } from "../../../worker/services/hop.ts";
import { putConfig, untilServing } from "../helpers/admin.ts";
import { behind, send, type Echo } from "../helpers/serve.ts";

const whoami = inject("whoamiUrl");
const upstreams = inject("upstreams");

function headersOf(request: Request): Record<string, string> {
  return Object.fromEntries(request.headers);
}

describe("at the entry (inbound)", () => {
  const at = (headers: Record<string, string>, trusted = false) => headersOf(inbound(new Request("http://localhost/", { headers }), trusted));

  // traefik pkg/middlewares/forwardedheaders/forwarded_header_test.go TestConnection
  it.each([
    ["simple remove", { Foo: "bar", Connection: "foo" }, {}],
    ["remove and upgrade", { Upgrade: "test", Foo: "bar", Connection: "upgrade,foo" }, { upgrade: "test", connection: "Upgrade" }],
    ["no remove", { Foo: "bar", Connection: "fii" }, { foo: "bar" }],
  ])("TestConnection %s", (_desc, headers, expected) => {
    expect(at(headers, true)).toEqual(expected);
  });

  const managed = ["X-Forwarded-Proto", "X-Forwarded-For", "X-Forwarded-Uri", "X-Forwarded-Method", "X-Forwarded-Host", "X-Forwarded-Port", "X-Forwarded-Tls-Client-Cert", "X-Forwarded-Tls-Client-Cert-Info", "X-Forwarded-Prefix", "X-Real-Ip"];
  const spoofed = Object.fromEntries(managed.map((name) => [name, "foo"]));

  // traefik pkg/middlewares/forwardedheaders/forwarded_header_test.go TestServeHTTP
  // "Untrusted: Connection header has no effect on X- forwarded headers"
  it("untrusted: Connection naming the forwarded headers has no effect; they are dropped as untrusted", () => {
    const h = at({ ...spoofed, X_forwarded_proto: "spoofed", Connection: [...managed, "X_forwarded_proto"].join(",") });
    expect(h).toEqual({});
  });

  // traefik ... TestServeHTTP "Trusted (insecure): Connection header has no effect on X- forwarded headers"
  it("trusted: Connection naming the forwarded headers has no effect; they are kept", () => {
    const h = at({ ...spoofed, Connection: managed.join(",") }, true);
    expect(h).toEqual(Object.fromEntries(managed.map((name) => [name.toLowerCase(), "foo"])));
  });

  // traefik ... TestServeHTTP "Trusted (insecure) and Connection: Testing case sensitivity on X- forwarded headers"
  it("trusted: Connection naming them in lower case has no effect either", () => {
    const h = at({ ...spoofed, Connection: managed.map((n) => n.toLowerCase()).join(",") }, true);
    expect(Object.keys(h).sort()).toEqual(managed.map((n) => n.toLowerCase()).sort());
  });

  // traefik ... TestServeHTTP "insecure false preserves non-matching underscore headers"
  it("untrusted: an underscore spelling of a forwarded header is dropped, other underscore headers kept", () => {
    expect(at({ X_custom_header: "value", X_forwarded_proto: "spoofed" })).toEqual({ x_custom_header: "value" });
  });

  // traefik pkg/middlewares/forwardedheaders/forwarded_header.go XHeadersSet (X-Forwarded-Scheme, X-Scheme are managed too)
  it("untrusted: X-Forwarded-Scheme and X-Scheme are dropped like the other managed headers", () => {
    expect(at({ "X-Forwarded-Scheme": "https", "X-Scheme": "https", "X-Other": "1" })).toEqual({ "x-other": "1" });
  });

  it("drops X-Switchyard-Preview for every client, trusted or not (the router's, never an upstream's)", () => {
    expect(at({ "X-Switchyard-Preview": "42.1.abc", "X-Other": "1" })).toEqual({ "x-other": "1" });
    expect(at({ "X-Switchyard-Preview": "42.1.abc" }, true)).toEqual({});
  });

  it("the request is the same object when there is nothing to change", () => {
    const request = new Request("http://localhost/", { headers: { "X-Kept": "1" } });
    expect(inbound(request, false)).toBe(request);
  });
});

// traefik pkg/middlewares/auth/connectionheader_test.go TestRemover (forwardAuth's RemoveConnectionHeaders)
describe("removeConnectionNamed", () => {
  it.each([
    ["simple remove", { Foo: "bar", Connection: "foo" }, {}],
    ["remove and Upgrade", { Upgrade: "test", Foo: "bar", Connection: "Upgrade,foo" }, { upgrade: "test", connection: "Upgrade" }],
    ["no remove", { Foo: "bar", Connection: "fii" }, { foo: "bar" }],
  ])("TestRemover %s", (_desc, init, expected) => {
    const headers = new Headers(init);
    removeConnectionNamed(headers);
    expect(Object.fromEntries(headers)).toEqual(expected);
  });
});

describe("through the router to the loopback whoami", () => {
  it("a client's Connection cannot strip X-Forwarded-Prefix, X-Replaced-Path, a custom request header or X-Forwarded-For", async () => {
    const snap = behind(whoami, {
      strip: { stripPrefix: { prefixes: ["/api"] } },
      replace: { replacePath: { path: "/replaced" } },
      custom: { headers: { customRequestHeaders: { "X-Custom": "from-mw" } } },
    });
    const res = await send(snap, "https://app.test/api/orig", {
      clientIP: "203.0.113.7",
      headers: { Connection: "X-Forwarded-Prefix, X-Replaced-Path, X-Custom, X-Forwarded-For, X-Client-Hop", "X-Client-Hop": "1" },
    });
    const echo = (await res.json()) as Echo;
    expect(echo.path).toBe("/replaced");
    expect(echo.headers["x-forwarded-prefix"]).toBe("/api");
    expect(echo.headers["x-replaced-path"]).toBe("/orig");
    expect(echo.headers["x-custom"]).toBe("from-mw");
    expect(echo.headers["x-forwarded-for"]).toBe("203.0.113.7");
    // What the client's Connection named of its own still goes, and Connection itself.
    expect(echo.headers["x-client-hop"]).toBeUndefined();
    expect(echo.headers["connection"] ?? "").not.toMatch(/x-/i);
  });

  it("a trusted client's X-Forwarded-For survives its own Connection naming it, and gets the client appended", async () => {
    const snap = behind(whoami, { custom: { headers: { customRequestHeaders: { "X-Custom": "from-mw" } } } });
    const res = await send(snap, "https://app.test/x", {
      clientIP: "10.1.2.3",
      trusted: "10.0.0.0/8",
      headers: { Connection: "X-Forwarded-For, X-Forwarded-Host", "X-Forwarded-For": "198.51.100.1", "X-Forwarded-Host": "orig.test" },
    });
    const h = ((await res.json()) as Echo).headers;
    expect(h["x-forwarded-for"]).toBe("198.51.100.1, 10.1.2.3");
    expect(h["x-forwarded-host"]).toBe("orig.test");
  });

  it("the proxy step removes no header by Connection: a Connection a middleware sets goes, what it names stays", async () => {
    const snap = behind(whoami, { custom: { headers: { customRequestHeaders: { Connection: "X-Custom", "X-Custom": "from-mw" } } } });
    const h = ((await (await send(snap, "https://app.test/x")).json()) as Echo).headers;
    expect(h["x-custom"]).toBe("from-mw");
    expect(h["connection"] ?? "").not.toMatch(/x-custom/i);
  });

  it("an upstream's Connection strips its own response headers, not those a middleware adds on the way back", async () => {
    // The fixture's /hop answers `Connection: X-Hop-Resp` with `X-Hop-Resp: 1` and `Keep-Alive`.
    const snap = behind(upstreams.s1, { custom: { headers: { customResponseHeaders: { "X-Hop-Resp": "from-mw", "X-Other": "kept" } } } });
    const res = await send(snap, "https://app.test/hop");
    await res.arrayBuffer();
    expect(res.headers.get("x-hop-resp")).toBe("from-mw");
    expect(res.headers.get("x-other")).toBe("kept");
    expect(res.headers.get("keep-alive")).toBeNull();
    expect(res.headers.get("connection")).toBeNull();
  });
});

describe("through the Worker's entry (worker/index.ts)", () => {
  it("removes what the client's Connection names before the middlewares, not what they add", async () => {
    const put = await putConfig({
      http: {
        routers: { hop: { rule: "PathPrefix(`/__probe`) || PathPrefix(`/api`)", service: "app", middlewares: ["strip", "custom"] } },
        services: { app: { loadBalancer: { servers: [{ url: whoami }] } } },
        middlewares: { strip: { stripPrefix: { prefixes: ["/api"] } }, custom: { headers: { customRequestHeaders: { "X-Custom": "from-mw" } } } },
      },
    });
    expect(put.status).toBe(200);
    await (await untilServing(((await put.json()) as { version: number }).version)).arrayBuffer();
    const res = await SELF.fetch("http://router.test/api/x", {
      headers: { Connection: "X-Forwarded-Prefix, X-Custom, X-Client-Hop", "X-Client-Hop": "1", "CF-Connecting-IP": "203.0.113.9" },
    });
    const h = ((await res.json()) as Echo).headers;
    expect(h["x-forwarded-prefix"]).toBe("/api");
    expect(h["x-custom"]).toBe("from-mw");
    expect(h["x-forwarded-for"]).toBe("203.0.113.9");
    expect(h["x-client-hop"]).toBeUndefined();
  });
});
