// Every option that becomes a header name or value is checked as one when the config is read, and
// refused at its JSON path: before, `customRequestHeaders: {"X-A": "v\r\nX-Injected: 1"}` went live
// and every request on the router answered 500 (the Headers API throws).
import { SELF } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { validateConfig } from "../../../worker/config/index.ts";
import { headerNameProblem, headerValueProblem } from "../../../worker/http/header-syntax.ts";
import { putConfig, untilServing } from "../helpers/admin.ts";
import { behind, send, type Echo } from "../helpers/serve.ts";

const upstream = inject("whoamiUrl");

function withMiddleware(middleware: Record<string, unknown>) {
  return {
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["m"] } },
      services: { s: { loadBalancer: { servers: [{ url: "http://127.0.0.1:9" }] } } },
      middlewares: { m: middleware },
    },
  };
}

function withService(service: Record<string, unknown>) {
  return { http: { routers: { r: { rule: "PathPrefix(`/`)", service: "s" } }, services: { s: service, t: { loadBalancer: { servers: [{ url: "http://127.0.0.1:9" }] } } } } };
}

const lb = (extra: Record<string, unknown>) => ({ loadBalancer: { servers: [{ url: "http://127.0.0.1:9" }], ...extra } });

function errorsOf(config: unknown): { path: string; message: string }[] {
  const valid = validateConfig(config);
  return valid.ok ? [] : valid.errors;
}

const M = "http.middlewares.m";
const CRLF = "v\r\nX-Injected: 1";

describe("header names and values are checked at config time, each at its path", () => {
  it.each([
    ["headers.customRequestHeaders value", { headers: { customRequestHeaders: { "X-A": CRLF } } }, `${M}.headers.customRequestHeaders.X-A`, "a carriage return"],
    ["headers.customRequestHeaders name", { headers: { customRequestHeaders: { "X A": "v" } } }, `${M}.headers.customRequestHeaders["X A"]`, "is not a header name"],
    ["headers.customResponseHeaders value", { headers: { customResponseHeaders: { "X-B": "a\nb" } } }, `${M}.headers.customResponseHeaders.X-B`, "a line feed"],
    ["headers.customResponseHeaders name", { headers: { customResponseHeaders: { "X:B": "v" } } }, `${M}.headers.customResponseHeaders["X:B"]`, '":" is not allowed'],
    ["headers.contentSecurityPolicy", { headers: { contentSecurityPolicy: "default-src 'self'\r\nX: 1" } }, `${M}.headers.contentSecurityPolicy`, "cannot be sent in a header"],
    ["headers.contentSecurityPolicyReportOnly", { headers: { contentSecurityPolicyReportOnly: "a\u0000b" } }, `${M}.headers.contentSecurityPolicyReportOnly`, "a NUL"],
    ["headers.accessControlAllowHeaders", { headers: { accessControlAllowHeaders: ["X-Ok", "X Bad"] } }, `${M}.headers.accessControlAllowHeaders[1]`, "is not a header name"],
    ["headers.accessControlAllowMethods", { headers: { accessControlAllowMethods: ["GET", "PO ST"] } }, `${M}.headers.accessControlAllowMethods[1]`, "is not an HTTP method"],
    // List items are trimmed as Traefik trims them (paerser), so the line feed is inside the value.
    ["headers.accessControlAllowOriginList", { headers: { accessControlAllowOriginList: ["https://a.test\nX-Injected: 1"] } }, `${M}.headers.accessControlAllowOriginList[0]`, "a line feed"],
    ["headers.accessControlExposeHeaders", { headers: { accessControlExposeHeaders: ["X(Bad)"] } }, `${M}.headers.accessControlExposeHeaders[0]`, "is not a header name"],
    ["headers.sslProxyHeaders value", { headers: { sslProxyHeaders: { "X-Forwarded-Proto": "https\r" } } }, `${M}.headers.sslProxyHeaders.X-Forwarded-Proto`, "a carriage return"],
    ["headers.sslProxyHeaders name", { headers: { sslProxyHeaders: { "X Proto": "https" } } }, `${M}.headers.sslProxyHeaders["X Proto"]`, "is not a header name"],
    ["headers.hostsProxyHeaders", { headers: { hostsProxyHeaders: ["X Host"] } }, `${M}.headers.hostsProxyHeaders[0]`, "is not a header name"],
    ["headers.customFrameOptionsValue", { headers: { customFrameOptionsValue: "SAMEORIGIN\n" } }, `${M}.headers.customFrameOptionsValue`, "a line feed"],
    ["headers.referrerPolicy", { headers: { referrerPolicy: "no-referrer\r\n" } }, `${M}.headers.referrerPolicy`, "a carriage return"],
    ["headers.permissionsPolicy", { headers: { permissionsPolicy: "camera=()\u0007" } }, `${M}.headers.permissionsPolicy`, "U+0007"],
    ["headers.publicKey", { headers: { publicKey: "pin-sha256=\"x\"\n" } }, `${M}.headers.publicKey`, "a line feed"],
    ["headers.customBrowserXSSValue", { headers: { customBrowserXSSValue: "1; mode=block\u007f" } }, `${M}.headers.customBrowserXSSValue`, "U+007F"],
    ["headers.featurePolicy (deprecated)", { headers: { featurePolicy: "a\nb" } }, `${M}.headers.featurePolicy`, "a line feed"],
    ["headers.sslHost (Location)", { headers: { sslForceHost: true, sslHost: "a.test\r\nX: 1" } }, `${M}.headers.sslHost`, "a carriage return"],
    ["basicAuth.headerField", { basicAuth: { users: ["u:{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M="], headerField: "X User" } }, `${M}.basicAuth.headerField`, "is not a header name"],
    ["basicAuth.realm (WWW-Authenticate)", { basicAuth: { users: ["u:{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M="], realm: "a\r\nb" } }, `${M}.basicAuth.realm`, "a carriage return"],
    ["basicAuth.realm with a quote", { basicAuth: { users: ["u:{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M="], realm: 'my "realm"' } }, `${M}.basicAuth.realm`, 'realm="..."'],
    ["digestAuth.headerField", { digestAuth: { users: ["u:traefik:0123456789abcdef0123456789abcdef"], headerField: "" } }, `${M}.digestAuth.headerField`, "cannot be empty"],
    ["digestAuth.realm", { digestAuth: { users: ["u:traefik:0123456789abcdef0123456789abcdef"], realm: "a\nb" } }, `${M}.digestAuth.realm`, "a line feed"],
    ["forwardAuth.authResponseHeaders", { forwardAuth: { address: "http://auth.test", authResponseHeaders: ["X-User", "X User"] } }, `${M}.forwardAuth.authResponseHeaders[1]`, "is not a header name"],
    ["forwardAuth.authRequestHeaders", { forwardAuth: { address: "http://auth.test", authRequestHeaders: ["Cookie;"] } }, `${M}.forwardAuth.authRequestHeaders[0]`, '";" is not allowed'],
    ["forwardAuth.headerField", { forwardAuth: { address: "http://auth.test", headerField: "X\nUser" } }, `${M}.forwardAuth.headerField`, "a line feed"],
    ["errors.errorRequestHeaders", { errors: { status: ["500"], service: "s", errorRequestHeaders: ["Bad Name"] } }, `${M}.errors.errorRequestHeaders[0]`, "is not a header name"],
    ["rateLimit.sourceCriterion.requestHeaderName", { rateLimit: { average: 1, sourceCriterion: { requestHeaderName: "X Client" } } }, `${M}.rateLimit.sourceCriterion.requestHeaderName`, "is not a header name"],
    ["inFlightReq.sourceCriterion.requestHeaderName", { inFlightReq: { amount: 1, sourceCriterion: { requestHeaderName: "X@Client" } } }, `${M}.inFlightReq.sourceCriterion.requestHeaderName`, '"@" is not allowed'],
    ["redirectRegex.replacement (Location)", { redirectRegex: { regex: "^http://(.*)", replacement: "https://${1}\r\nX: 1" } }, `${M}.redirectRegex.replacement`, "control character"],
  ])("%s", (_field, middleware, path, message) => {
    const errors = errorsOf(withMiddleware(middleware));
    const found = errors.find((e) => e.path === path);
    expect(found, JSON.stringify(errors)).toBeDefined();
    expect(found!.message).toContain(message);
  });

  it.each([
    ["loadBalancer.sticky.cookie.path (Set-Cookie)", lb({ sticky: { cookie: { path: "/;Secure" } } }), "http.services.s.loadBalancer.sticky.cookie.path", '";" is not allowed'],
    ["loadBalancer.sticky.cookie.path control", lb({ sticky: { cookie: { path: "/a\r\nb" } } }), "http.services.s.loadBalancer.sticky.cookie.path", "a carriage return"],
    ["loadBalancer.sticky.cookie.domain (Set-Cookie)", lb({ sticky: { cookie: { domain: "a b.test" } } }), "http.services.s.loadBalancer.sticky.cookie.domain", "a space"],
    ["weighted.sticky.cookie.domain", { weighted: { services: [{ name: "t" }], sticky: { cookie: { domain: "x.test;Secure" } } } }, "http.services.s.weighted.sticky.cookie.domain", '";" is not allowed'],
    ["loadBalancer.healthCheck.headers value", lb({ healthCheck: { path: "/h", headers: { "X-H": "a\r\nb" } } }), "http.services.s.loadBalancer.healthCheck.headers.X-H", "a carriage return"],
    ["loadBalancer.healthCheck.headers name", lb({ healthCheck: { path: "/h", headers: { "X H": "v" } } }), 'http.services.s.loadBalancer.healthCheck.headers["X H"]', "is not a header name"],
    ["loadBalancer.healthCheck.method", lb({ healthCheck: { path: "/h", method: "GE T" } }), "http.services.s.loadBalancer.healthCheck.method", "is not an HTTP method"],
  ])("%s", (_field, service, path, message) => {
    const errors = errorsOf(withService(service));
    const found = errors.find((e) => e.path === path);
    expect(found, JSON.stringify(errors)).toBeDefined();
    expect(found!.message).toContain(message);
  });

  it("a router's name (sent in X-Switchyard-Router) has no control character", () => {
    const errors = errorsOf({ http: { routers: { "r\n1": { rule: "PathPrefix(`/`)", service: "s" } }, services: { s: lb({}) } } });
    expect(errors).toEqual([expect.objectContaining({ path: 'http.routers["r\\n1"]', message: expect.stringContaining("a line feed") })]);
  });

  it("warns that a sticky cookie name outside token characters is sent sanitized, as Traefik does", () => {
    const valid = validateConfig(withService(lb({ sticky: { cookie: { name: "my cookie" } } })));
    expect(valid.ok).toBe(true);
    expect(valid.warnings).toContainEqual(expect.objectContaining({ path: "http.services.s.loadBalancer.sticky.cookie.name", message: expect.stringContaining('"my_cookie"') }));
  });

  it.each([
    { headers: { customRequestHeaders: { "X-A": "  spaced\tvalue  ", "X-Gone": "", "X-Utf8": "café" } } },
    { headers: { accessControlAllowHeaders: ["*"], accessControlAllowMethods: ["*"], accessControlExposeHeaders: ["X-A"], accessControlAllowOriginList: ["*"] } },
    { headers: { customResponseHeaders: { "X!#$%&'*+-.^_`|~": "ok" }, contentSecurityPolicy: "script-src $NONCE" } },
    { basicAuth: { users: ["u:{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M="], realm: "my realm" } },
    { redirectRegex: { regex: "^http://(.*)", replacement: "https://${1}" } },
  ])("accepts %j", (middleware) => {
    expect(errorsOf(withMiddleware(middleware))).toEqual([]);
  });

  it("the predicates: RFC 9110 tokens for names; no control character but tab in values", () => {
    expect(headerNameProblem("X-Forwarded-For")).toBeNull();
    expect(headerNameProblem("é")).toContain("U+00E9");
    expect(headerValueProblem("a\tb é")).toBeNull();
    for (const c of ["\u0000", "\n", "\r", "\u0001", "\u001f", "\u007f"]) expect(headerValueProblem(`a${c}b`)).not.toBeNull();
  });
});

describe("what workerd does with surrounding whitespace (documented, not refused)", () => {
  it("a value's leading and trailing spaces are dropped on the wire, as Go drops them", async () => {
    const snap = behind(upstream, { m: { headers: { customRequestHeaders: { "X-Spaced": "  v  w \t" } } } });
    const echo = (await (await send(snap, "https://x.test/")).json()) as Echo;
    expect(echo.headers["x-spaced"]).toBe("v  w");
  });
});

describe("the admin API refuses a config with a bad header", () => {
  function config(value: string) {
    return {
      http: {
        routers: { hdr: { rule: "PathPrefix(`/__probe`) || PathPrefix(`/hdr`)", service: "app", middlewares: ["m"] } },
        services: { app: { loadBalancer: { servers: [{ url: upstream }] } } },
        middlewares: { m: { headers: { customRequestHeaders: { "X-A": value } } } },
      },
    };
  }

  it("answers 400 naming the path, and the previous config keeps serving", async () => {
    const good = await putConfig(config("good"));
    expect(good.status).toBe(200);
    const { version } = (await good.json()) as { version: number };
    await (await untilServing(version)).arrayBuffer();

    const bad = await putConfig(config(CRLF));
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { errors: { path: string; message: string }[] };
    expect(body.errors.map((e) => e.path)).toContain("http.middlewares.m.headers.customRequestHeaders.X-A");

    const res = await SELF.fetch("http://router.test/hdr/x");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-switchyard-version")).toBe(String(version));
    expect(((await res.json()) as Echo).headers["x-a"]).toBe("good");
  });
});
