// headers: custom request/response headers, CORS (preflights answered here), security headers,
// allowedHosts and the deprecated SSL options, as Traefik's headers middleware applies them.
import { describe, expect, inject, it } from "vitest";
import { lb, send, snapshotOf, type Echo } from "../../helpers/serve.ts";

const upstream = inject("whoamiUrl");
// Nothing listens on port 1: reaching this upstream answers 502, so a 200 proves it was not reached.
const NOWHERE = "http://127.0.0.1:1";

function snapshot(middlewares: Record<string, unknown>, server = upstream) {
  return snapshotOf({
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: Object.keys(middlewares) } },
      services: { s: lb(server) },
      middlewares,
    },
  });
}

const one = (headers: Record<string, unknown>) => snapshot({ h: { headers } });
const TRUSTED = { clientIP: "203.0.113.7", trusted: "203.0.113.0/24" };

describe("custom headers", () => {
  it("sets and removes request headers (an empty value removes)", async () => {
    const res = await send(one({ customRequestHeaders: { "X-Script-Name": "test", "X-Custom-Request-Header": "" } }), "https://x.test/", {
      headers: { "x-custom-request-header": "from-client", "x-script-name": "client" },
    });
    const e = (await res.json()) as Echo;
    expect(e.headers["x-script-name"]).toBe("test");
    expect(e.headers["x-custom-request-header"]).toBeUndefined();
  });

  it("sets and removes response headers, overriding the upstream's", async () => {
    const res = await send(one({ customResponseHeaders: { "X-Custom-Response-Header": "value", "X-Whoami": "", "Content-Type": "text/x-mine" } }), "https://x.test/");
    expect(res.headers.get("x-custom-response-header")).toBe("value");
    expect(res.headers.has("x-whoami")).toBe(false);
    expect(res.headers.get("content-type")).toBe("text/x-mine");
  });

  it("a Host request header changes the host later middlewares see", async () => {
    const mws = { host: { headers: { customRequestHeaders: { Host: "other.test" } } }, only: { headers: { allowedHosts: ["other.test"] } } };
    expect((await send(snapshot(mws), "https://x.test/")).status).toBe(200);
    expect((await send(snapshot({ only: mws.only }), "https://x.test/")).status).toBe(500);
  });

  it("keeps the request body", async () => {
    const res = await send(one({ customRequestHeaders: { "X-A": "1" } }), "https://x.test/", { method: "POST", body: "y".repeat(50_000) });
    expect(((await res.json()) as Echo).bodyBytes).toBe(50_000);
  });
});

describe("CORS", () => {
  const cors = {
    accessControlAllowMethods: ["GET", "OPTIONS", "PUT"],
    accessControlAllowHeaders: ["X-Custom", "Content-Type"],
    accessControlAllowOriginList: ["https://foo.bar.org", "https://example.org"],
    accessControlAllowOriginListRegex: [String.raw`^https://([a-z]+)\.regex\.test$`],
    accessControlExposeHeaders: ["X-Exposed"],
    accessControlMaxAge: 100,
    addVaryHeader: true,
  };
  const preflight = (origin: string, extra: Record<string, string> = {}) => ({
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "PUT", ...extra },
  });

  it("answers a preflight itself: 200, empty body, the Access-Control-* headers, the service never reached", async () => {
    const res = await send(snapshot({ h: { headers: { ...cors, customResponseHeaders: { "X-Not-On-Preflight": "1" }, frameDeny: true } } }, NOWHERE), "https://x.test/api", preflight("https://example.org"));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect(res.headers.get("access-control-allow-origin")).toBe("https://example.org");
    expect(res.headers.get("access-control-allow-methods")).toBe("GET,OPTIONS,PUT");
    expect(res.headers.get("access-control-allow-headers")).toBe("X-Custom,Content-Type");
    expect(res.headers.get("access-control-max-age")).toBe("100");
    expect(res.headers.get("access-control-expose-headers")).toBe("X-Exposed");
    expect(res.headers.get("content-length")).toBe("0");
    expect(res.headers.has("access-control-allow-credentials")).toBe(false);
    // Answered before the rest of the middleware: no custom response or security headers.
    expect(res.headers.has("x-not-on-preflight")).toBe(false);
    expect(res.headers.has("x-frame-options")).toBe(false);
  });

  it("a preflight from an origin not allowed gets no Access-Control-Allow-Origin, and no max-age unless set", async () => {
    const res = await send(snapshot({ h: { headers: { accessControlAllowOriginList: ["https://a.test"] } } }, NOWHERE), "https://x.test/", preflight("https://evil.test"));
    expect(res.status).toBe(200);
    expect(res.headers.has("access-control-allow-origin")).toBe(false);
    expect(res.headers.has("access-control-max-age")).toBe(false);
  });

  it("allows origins by regex, echoing the origin", async () => {
    const res = await send(snapshot({ h: { headers: cors } }, NOWHERE), "https://x.test/", preflight("https://sub.regex.test"));
    expect(res.headers.get("access-control-allow-origin")).toBe("https://sub.regex.test");
    const no = await send(snapshot({ h: { headers: cors } }, NOWHERE), "https://x.test/", preflight("https://sub.regex.test.evil"));
    expect(no.headers.has("access-control-allow-origin")).toBe(false);
  });

  it("with credentials, a wildcard becomes the request's own origin, headers and method", async () => {
    const headers = { accessControlAllowCredentials: true, accessControlAllowOriginList: ["*"], accessControlAllowHeaders: ["*"], accessControlAllowMethods: ["*"], accessControlExposeHeaders: ["*"] };
    const res = await send(snapshot({ h: { headers } }, NOWHERE), "https://x.test/", preflight("https://app.test", { "access-control-request-headers": "X-A, X-B" }));
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.test");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-allow-headers")).toBe("X-A, X-B");
    expect(res.headers.get("access-control-allow-methods")).toBe("PUT");
    expect(res.headers.has("access-control-expose-headers")).toBe(false);
  });

  it("without credentials a wildcard origin is sent as *", async () => {
    const res = await send(snapshot({ h: { headers: { accessControlAllowOriginList: ["*"] } } }, NOWHERE), "https://x.test/", preflight("https://app.test"));
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("an OPTIONS request that is not a preflight goes to the service", async () => {
    const res = await send(snapshot({ h: { headers: cors } }), "https://x.test/", { method: "OPTIONS", headers: { origin: "https://example.org" } });
    expect(((await res.json()) as Echo).method).toBe("OPTIONS");
  });

  it("adds the CORS headers to other responses, and Origin to Vary", async () => {
    const res = await send(snapshot({ h: { headers: { ...cors, accessControlAllowCredentials: true } } }), "https://x.test/", { headers: { origin: "https://foo.bar.org" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://foo.bar.org");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-expose-headers")).toBe("X-Exposed");
    expect(res.headers.get("vary")).toBe("Origin");
    const other = await send(snapshot({ h: { headers: cors } }), "https://x.test/", { headers: { origin: "https://evil.test" } });
    expect(other.headers.has("access-control-allow-origin")).toBe(false);
  });

  it("appends Origin to the upstream's Vary, once", async () => {
    const mws = {
      cors: { headers: { accessControlAllowOriginList: ["*"], addVaryHeader: true } },
      up: { headers: { customResponseHeaders: { Vary: "Accept-Encoding" } } },
    };
    expect((await send(snapshot(mws), "https://x.test/")).headers.get("vary")).toBe("Accept-Encoding,Origin");
    const already = { ...mws, up: { headers: { customResponseHeaders: { Vary: "Origin" } } } };
    expect((await send(snapshot(already), "https://x.test/")).headers.get("vary")).toBe("Origin");
  });
});

describe("security headers", () => {
  const security = {
    frameDeny: true,
    contentTypeNosniff: true,
    browserXssFilter: true,
    contentSecurityPolicy: "default-src 'self'",
    contentSecurityPolicyReportOnly: "default-src 'none'",
    referrerPolicy: "no-referrer",
    permissionsPolicy: "camera=()",
    featurePolicy: "vibrate 'none'",
    publicKey: 'pin-sha256="base64=="; max-age=10',
    stsSeconds: 315360000,
    stsIncludeSubdomains: true,
    stsPreload: true,
  };

  it("sets every configured header on an HTTPS response, overriding the upstream's", async () => {
    const mws = { sec: { headers: security }, up: { headers: { customResponseHeaders: { "X-Frame-Options": "ALLOWALL" } } } };
    const res = await send(snapshot(mws), "https://x.test/");
    expect(Object.fromEntries([...res.headers].filter(([k]) => k !== "date" && k !== "content-type" && k !== "x-whoami"))).toEqual({
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "x-xss-protection": "1; mode=block",
      "content-security-policy": "default-src 'self'",
      "content-security-policy-report-only": "default-src 'none'",
      "referrer-policy": "no-referrer",
      "permissions-policy": "camera=()",
      "feature-policy": "vibrate 'none'",
      "public-key-pins": 'pin-sha256="base64=="; max-age=10',
      "strict-transport-security": "max-age=315360000; includeSubDomains; preload",
    });
  });

  it("sends STS and HPKP only over HTTPS, unless forceSTSHeader; never with isDevelopment", async () => {
    const http = await send(one(security), "http://x.test/");
    expect(http.headers.has("strict-transport-security")).toBe(false);
    expect(http.headers.has("public-key-pins")).toBe(false);
    expect(http.headers.get("x-frame-options")).toBe("DENY");
    const forced = await send(one({ stsSeconds: 60, forceSTSHeader: true }), "http://x.test/");
    expect(forced.headers.get("strict-transport-security")).toBe("max-age=60");
    const dev = await send(one({ ...security, isDevelopment: true }), "https://x.test/");
    expect(dev.headers.has("strict-transport-security")).toBe(false);
    expect(dev.headers.has("public-key-pins")).toBe(false);
  });

  it("sslProxyHeaders mark a request forwarded over HTTPS", async () => {
    const headers = { stsSeconds: 60, sslProxyHeaders: { "X-Forwarded-Proto": "https" } };
    const res = await send(one(headers), "http://x.test/", { headers: { "x-forwarded-proto": "https" }, ...TRUSTED });
    expect(res.headers.get("strict-transport-security")).toBe("max-age=60");
  });

  it("custom values override frameDeny and browserXssFilter", async () => {
    const res = await send(one({ frameDeny: true, customFrameOptionsValue: "SAMEORIGIN", browserXssFilter: true, customBrowserXSSValue: "0" }), "https://x.test/");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("x-xss-protection")).toBe("0");
  });

  it("customResponseHeaders win over the security headers (an empty value removes one)", async () => {
    const res = await send(one({ frameDeny: true, customResponseHeaders: { "X-Frame-Options": "" } }), "https://x.test/");
    expect(res.headers.has("x-frame-options")).toBe(false);
  });

  it("replaces $NONCE in the CSP with a fresh nonce per request", async () => {
    const snap = one({ contentSecurityPolicy: "script-src $NONCE", contentSecurityPolicyReportOnly: "script-src $NONCE 'self'" });
    const a = await send(snap, "https://x.test/");
    const b = await send(snap, "https://x.test/");
    const nonce = /^script-src 'nonce-([A-Za-z0-9+/]{22}==)'$/.exec(a.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonce).toBeDefined();
    expect(a.headers.get("content-security-policy-report-only")).toBe(`script-src 'nonce-${nonce}' 'self'`);
    expect(b.headers.get("content-security-policy")).not.toBe(a.headers.get("content-security-policy"));
  });
});

describe("allowedHosts", () => {
  it("answers 500 Bad Host for another host, compares case-insensitively", async () => {
    const snap = one({ allowedHosts: ["Good.test"] });
    const bad = await send(snap, "https://evil.test/");
    expect(bad.status).toBe(500);
    expect(await bad.text()).toBe("Bad Host\n");
    expect(bad.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect((await send(snap, "https://good.TEST/")).status).toBe(200);
  });

  it("reads the host from hostsProxyHeaders when one is set", async () => {
    const snap = one({ allowedHosts: ["public.test"], hostsProxyHeaders: ["X-Forwarded-Host"] });
    expect((await send(snap, "https://internal.test/", { headers: { "x-forwarded-host": "public.test" }, ...TRUSTED })).status).toBe(200);
    expect((await send(snap, "https://internal.test/")).status).toBe(500);
  });

  it("is off with isDevelopment, and not applied to preflights", async () => {
    expect((await send(one({ allowedHosts: ["good.test"], isDevelopment: true }), "https://evil.test/")).status).toBe(200);
    const snap = one({ allowedHosts: ["good.test"], accessControlAllowOriginList: ["*"] });
    const res = await send(snap, "https://evil.test/", { method: "OPTIONS", headers: { origin: "https://a.test", "access-control-request-method": "GET" } });
    expect(res.status).toBe(200);
  });
});

describe("deprecated SSL options Traefik v3 still reads", () => {
  it("sslRedirect: 301 to https (307 with sslTemporaryRedirect), to sslHost when set", async () => {
    const res = await send(one({ sslRedirect: true }), "http://x.test/a?b=c");
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe("https://x.test/a?b=c");
    expect(await res.text()).toBe("");
    const temp = await send(one({ sslRedirect: true, sslTemporaryRedirect: true, sslHost: "secure.test" }), "http://x.test/a");
    expect(temp.status).toBe(307);
    expect(temp.headers.get("location")).toBe("https://secure.test/a");
    expect((await send(one({ sslRedirect: true }), "https://x.test/")).status).toBe(200);
    expect((await send(one({ sslRedirect: true, isDevelopment: true }), "http://x.test/")).status).toBe(200);
  });

  it("sslForceHost sends every request for another host to sslHost, even over HTTPS", async () => {
    const snap = one({ sslForceHost: true, sslHost: "secure.test" });
    const res = await send(snap, "https://x.test/p");
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe("https://secure.test/p");
    expect((await send(snap, "https://secure.test/p")).status).toBe(200);
  });

  it("turns an upstream's http://sslHost redirect into https when the client is on HTTPS", async () => {
    const mws = {
      sec: { headers: { sslHost: "secure.test" } },
      up: { headers: { customResponseHeaders: { Location: "http://secure.test/next" } } },
    };
    expect((await send(snapshot(mws), "https://x.test/")).headers.get("location")).toBe("https://secure.test/next");
    expect((await send(snapshot(mws), "http://x.test/")).headers.get("location")).toBe("http://secure.test/next");
  });
});

// The ported tables below compare the response's headers of these families, as Go's tests compare
// a handler's whole header map (the real upstream adds its own Date, Content-Type, …).
function picked(res: Response, names: readonly string[]): Record<string, string> {
  return Object.fromEntries([...res.headers].filter(([name]) => names.some((n) => name === n || name.startsWith(n))));
}

// traefik pkg/middlewares/headers/header_test.go TestNewHeader_customRequestHeader: the request
// carries Foo: bar; what the upstream receives.
describe("headers: traefik header_test.go TestNewHeader_customRequestHeader", () => {
  it.each([
    ["adds a header", { "X-Custom-Request-Header": "test_request" }, { foo: "bar", "x-custom-request-header": "test_request" }],
    ["delete a header", { "X-Forwarded-For": "", "X-Custom-Request-Header": "", Foo: "" }, { foo: undefined, "x-custom-request-header": undefined, "x-forwarded-for": undefined }],
    ["override a header", { Foo: "test" }, { foo: "test" }],
  ])("%s", async (_desc, customRequestHeaders, expected) => {
    const res = await send(one({ customRequestHeaders }), "https://x.test/foo", { headers: { foo: "bar" } });
    const seen = ((await res.json()) as Echo).headers;
    for (const [name, value] of Object.entries(expected)) expect(seen[name], name).toBe(value);
  });
});

// traefik header_test.go TestNewHeader_customRequestHeader_Host. Go reads req.Host and req.URL.Host;
// here the Host a later middleware sees (a redirectRegex echoing it) and the X-Forwarded-Host the
// upstream gets (the client's: fetch() cannot send another Host, docs/services.md).
describe("headers: traefik header_test.go TestNewHeader_customRequestHeader_Host", () => {
  const echoHost = { regex: "^http://([^/]*)/foo$", replacement: "http://seen.test/${1}" };
  it.each([
    ["standard Host header", { "X-Unrelated": "1" }, "example.org"],
    ["custom Host header", { Host: "example.com" }, "example.com"],
  ])("%s", async (_desc, customRequestHeaders, expectedHost) => {
    const snap = snapshot({ h: { headers: { customRequestHeaders } }, seen: { redirectRegex: echoHost } });
    const res = await send(snap, "http://example.org/foo", { headers: { host: "example.org" } });
    expect(res.headers.get("location")).toBe(`http://seen.test/${expectedHost}`);
    const upstreamSees = await send(one({ customRequestHeaders }), "http://example.org/foo", { headers: { host: "example.org" } });
    expect(((await upstreamSees.json()) as Echo).headers["x-forwarded-host"]).toBe("example.org");
  });
});

// traefik header_test.go TestNewHeader_CORSPreflights: the preflight is answered by the middleware,
// so its whole header set is compared. Go's two Access-Control-Request-Method values are sent joined.
describe("headers: traefik header_test.go TestNewHeader_CORSPreflights", () => {
  const methods = { accessControlAllowMethods: ["GET", "OPTIONS", "PUT"] };
  const request = { "access-control-request-headers": "origin", "access-control-request-method": "GET, OPTIONS", origin: "https://foo.bar.org" };
  const { "access-control-request-headers": _omit, ...withoutRequestHeaders } = request;
  const base = { "content-length": "0", "access-control-allow-methods": "GET,OPTIONS,PUT" };
  it.each([
    ["Test Simple Preflight", { ...methods, accessControlAllowOriginList: ["https://foo.bar.org"], accessControlMaxAge: 600 }, request, { ...base, "access-control-allow-origin": "https://foo.bar.org", "access-control-max-age": "600" }],
    ["Wildcard origin Preflight", { ...methods, accessControlAllowOriginList: ["*"], accessControlMaxAge: 600 }, request, { ...base, "access-control-allow-origin": "*", "access-control-max-age": "600" }],
    [
      "Allow Credentials Preflight",
      { ...methods, accessControlAllowOriginList: ["*"], accessControlAllowCredentials: true, accessControlMaxAge: 600 },
      request,
      { ...base, "access-control-allow-origin": "https://foo.bar.org", "access-control-max-age": "600", "access-control-allow-credentials": "true" },
    ],
    [
      "Allow Headers Preflight",
      { ...methods, accessControlAllowOriginList: ["*"], accessControlAllowHeaders: ["origin", "X-Forwarded-For"], accessControlMaxAge: 600 },
      request,
      { ...base, "access-control-allow-origin": "*", "access-control-max-age": "600", "access-control-allow-headers": "origin,X-Forwarded-For" },
    ],
    [
      "No Request Headers Preflight",
      { ...methods, accessControlAllowOriginList: ["*"], accessControlAllowHeaders: ["origin", "X-Forwarded-For"], accessControlMaxAge: 600 },
      withoutRequestHeaders,
      { ...base, "access-control-allow-origin": "*", "access-control-max-age": "600", "access-control-allow-headers": "origin,X-Forwarded-For" },
    ],
    ["Nil MaxAge Preflight", { ...methods, accessControlAllowOriginList: ["*"] }, withoutRequestHeaders, { ...base, "access-control-allow-origin": "*" }],
  ])("%s", async (_desc, headers, requestHeaders, expected) => {
    const res = await send(snapshot({ h: { headers } }, NOWHERE), "https://x.test/foo", { method: "OPTIONS", headers: requestHeaders });
    expect(Object.fromEntries(res.headers)).toEqual(expected);
  });
});

// traefik header_test.go TestNewHeader_CORSResponses ("Regexp Malformed Origin Request":
// mw-web-validation). What Go's test handlers set on the response, an inner headers middleware sets.
describe("headers: traefik header_test.go TestNewHeader_CORSResponses", () => {
  const origin = { origin: "https://foo.bar.org" };
  const upstreamSets = (customResponseHeaders: Record<string, string>) => ({ up: { headers: { customResponseHeaders } } });
  it.each([
    ["Test Simple Request", { accessControlAllowOriginList: ["https://foo.bar.org"] }, {}, origin, { "access-control-allow-origin": "https://foo.bar.org" }],
    ["Wildcard origin Request", { accessControlAllowOriginList: ["*"] }, {}, origin, { "access-control-allow-origin": "*" }],
    ["Regexp Origin Request", { accessControlAllowOriginListRegex: [String.raw`^https?://([a-z]+)\.bar\.org$`] }, {}, origin, { "access-control-allow-origin": "https://foo.bar.org" }],
    ["Partial Regexp Origin Request", { accessControlAllowOriginListRegex: [String.raw`([a-z]+)\.bar`] }, {}, origin, { "access-control-allow-origin": "https://foo.bar.org" }],
    ["Regexp Origin Request without matching", { accessControlAllowOriginListRegex: [String.raw`([a-z]+)\.bar\.org`] }, {}, { origin: "https://bar.org" }, {}],
    ["Empty origin Request", { accessControlAllowOriginList: ["https://foo.bar.org"] }, {}, {}, {}],
    // Go's case has no options at all, which the headers middleware refuses (TestNew_withoutOptions).
    ["Not Defined origin Request", { customRequestHeaders: { "X-Unrelated": "1" } }, {}, {}, {}],
    ["Allow Credentials Request", { accessControlAllowOriginList: ["*"], accessControlAllowCredentials: true }, {}, origin, { "access-control-allow-origin": "https://foo.bar.org", "access-control-allow-credentials": "true" }],
    [
      "Expose Headers Request",
      { accessControlAllowOriginList: ["*"], accessControlExposeHeaders: ["origin", "X-Forwarded-For"] },
      {},
      origin,
      { "access-control-allow-origin": "*", "access-control-expose-headers": "origin,X-Forwarded-For" },
    ],
    ["Test Simple Request with Vary Headers", { accessControlAllowOriginList: ["https://foo.bar.org"], addVaryHeader: true }, {}, origin, { "access-control-allow-origin": "https://foo.bar.org", vary: "Origin" }],
    [
      "Test Simple Request with Vary Headers and non-empty response",
      { accessControlAllowOriginList: ["https://foo.bar.org"], addVaryHeader: true },
      { Vary: "Testing" },
      origin,
      { "access-control-allow-origin": "https://foo.bar.org", vary: "Testing,Origin" },
    ],
    [
      "Test Simple Request with Vary Headers and existing vary:origin response",
      { accessControlAllowOriginList: ["https://foo.bar.org"], addVaryHeader: true },
      { Vary: "Origin" },
      origin,
      { "access-control-allow-origin": "https://foo.bar.org", vary: "Origin" },
    ],
    ["Test Simple Request with non-empty response: set ACAO", { accessControlAllowOriginList: ["*"] }, { "Access-Control-Allow-Origin": "http://foo.bar.org" }, origin, { "access-control-allow-origin": "*" }],
    ["Test Simple Request with non-empty response: add ACAO", { accessControlAllowOriginList: ["*"] }, { "Access-Control-Allow-Origin": "http://foo.bar.org" }, origin, { "access-control-allow-origin": "*" }],
    [
      "Test Simple CustomRequestHeaders Not Hijacked by CORS",
      { customRequestHeaders: { foo: "bar" } },
      {},
      { "access-control-request-headers": "origin", "access-control-request-method": "GET, OPTIONS", origin: "https://foo.bar.org" },
      {},
    ],
  ])("%s", async (_desc, headers, fromUpstream, requestHeaders, expected) => {
    const inner = Object.keys(fromUpstream).length > 0 ? upstreamSets(fromUpstream) : {};
    const res = await send(snapshot({ h: { headers }, ...inner }), "https://x.test/foo", { headers: requestHeaders });
    expect(res.status).toBe(200);
    expect(picked(res, ["access-control-", "vary"])).toEqual(expected);
  });
});

// traefik header_test.go TestNewHeader_customResponseHeaders: the upstream answers Foo: bar (set
// here by an inner headers middleware, as Go's test handler does).
describe("headers: traefik header_test.go TestNewHeader_customResponseHeaders", () => {
  it.each([
    ["Test Simple Response", { Testing: "foo", Testing2: "bar" }, { foo: "bar", testing: "foo", testing2: "bar" }],
    ["empty Custom Header", { Testing: "foo", Testing2: "" }, { foo: "bar", testing: "foo" }],
    ["Deleting Custom Header", { Testing: "foo", Foo: "" }, { testing: "foo" }],
  ])("%s", async (_desc, customResponseHeaders, expected) => {
    const res = await send(snapshot({ h: { headers: { customResponseHeaders } }, up: { headers: { customResponseHeaders: { Foo: "bar" } } } }), "https://x.test/foo");
    expect(picked(res, ["foo", "testing"])).toEqual(expected);
  });
});

// traefik pkg/middlewares/headers/headers_test.go (TestNew_withoutOptions: mw-web-validation;
// Test1xxResponses is not ported: fetch() never hands a Worker 1xx interim responses).
describe("headers: traefik headers_test.go", () => {
  it("TestNew_withSTSSecondsZero: a valid middleware that sends no Strict-Transport-Security", async () => {
    const res = await send(one({ stsSeconds: 0 }), "https://x.test/foo");
    expect(res.status).toBe(200);
    expect(res.headers.has("strict-transport-security")).toBe(false);
  });

  it.each([
    ["Should accept the request when given a host that is in the list", "foo.com", 200],
    ["Should refuse the request when no host is given", "", 500],
    ["Should refuse the request when no matching host is given", "boo.com", 500],
  ])("TestNew_allowedHosts %s", async (_desc, host, status) => {
    // The URL always has a host; Go's req.Host is the Host header, sent here as Go's test sets it.
    const res = await send(one({ allowedHosts: ["foo.com", "bar.com"] }), "http://foo.com/foo", { headers: { host } });
    expect(res.status).toBe(status);
  });

  it("TestNew_allowedHosts compares the Host as sent, port included (Go's req.Host)", async () => {
    const res = await send(one({ allowedHosts: ["foo.com"] }), "http://foo.com:8080/foo", { headers: { host: "foo.com:8080" } });
    expect(res.status).toBe(500);
  });

  it("TestNew_customHeaders", async () => {
    const res = await send(one({ customRequestHeaders: { "X-Custom-Request-Header": "test_request" }, customResponseHeaders: { "X-Custom-Response-Header": "test_response" } }), "https://x.test/foo");
    expect(res.status).toBe(200);
    expect(((await res.json()) as Echo).headers["x-custom-request-header"]).toBe("test_request");
    expect(res.headers.get("x-custom-response-header")).toBe("test_response");
  });
});

// traefik pkg/middlewares/headers/secure_test.go Test_newSecure_modifyResponse: over plain HTTP,
// as Go's test request; the security headers of the response compared as a set.
describe("headers: traefik secure_test.go Test_newSecure_modifyResponse", () => {
  const SECURITY = ["permissions-policy", "strict-transport-security", "x-frame-options", "x-content-type-options", "x-xss-protection", "referrer-policy", "content-security-policy", "public-key-pins", "feature-policy"];
  it.each([
    ["PermissionsPolicy", { permissionsPolicy: "microphone=()," }, { "permissions-policy": "microphone=()," }],
    ["STSSeconds", { stsSeconds: 1, forceSTSHeader: true }, { "strict-transport-security": "max-age=1" }],
    ["STSSeconds and STSPreload", { stsSeconds: 1, forceSTSHeader: true, stsPreload: true }, { "strict-transport-security": "max-age=1; preload" }],
    ["CustomFrameOptionsValue", { customFrameOptionsValue: "foo" }, { "x-frame-options": "foo" }],
    ["FrameDeny", { frameDeny: true }, { "x-frame-options": "DENY" }],
    ["ContentTypeNosniff", { contentTypeNosniff: true }, { "x-content-type-options": "nosniff" }],
  ])("%s", async (_desc, headers, expected) => {
    const res = await send(one(headers), "http://x.test/foo");
    expect(picked(res, SECURITY)).toEqual(expected);
  });
});

describe("headers: removing a forwarded header Traefik sets before the middlewares", () => {
  it("X-Forwarded-Proto: \"\" and friends stay removed; a lower-case x-forwarded-for: \"\" only drops earlier hops", async () => {
    const removed = { "X-Forwarded-Proto": "", "x-real-ip": "", "x-forwarded-for": "" };
    const res = await send(one({ customRequestHeaders: removed }), "https://x.test/", { headers: { "x-forwarded-for": "198.51.100.1" }, ...TRUSTED });
    const seen = ((await res.json()) as Echo).headers;
    expect(seen["x-forwarded-proto"]).toBeUndefined();
    expect(seen["x-real-ip"]).toBeUndefined();
    expect(seen["x-forwarded-host"]).toBe("x.test");
    // Go's Header.Del, then the proxy adds the client alone.
    expect(seen["x-forwarded-for"]).toBe("203.0.113.7");
  });

  it("a later headers middleware setting the header again brings it back", async () => {
    const mws = { a: { headers: { customRequestHeaders: { "X-Forwarded-For": "" } } }, b: { headers: { customRequestHeaders: { "X-Forwarded-For": "10.0.0.1" } } } };
    const seen = ((await (await send(snapshot(mws), "https://x.test/")).json()) as Echo).headers;
    expect(seen["x-forwarded-for"]).toBe("10.0.0.1, 203.0.113.7");
  });
});
