// headers: custom request/response headers, CORS (preflights answered here), security headers,
// allowedHosts and the deprecated SSL options, as Traefik's headers middleware applies them.
import { describe, expect, inject, it } from "vitest";
import { lb, send, snapshotOf, type Echo } from "./helpers/serve.ts";

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
