// Traefik's pkg/middlewares/auth/forward_test.go (and connectionheader_test.go), case by case.
// The auth server is a recorded fetch to auth.test; Traefik's `next` handler is a recorded fetch to
// backend.test (it answers "traefik\n" unless a case says otherwise).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { validateConfig } from "../../../../worker/config/index.ts";
import { lb, send, snapshotOf, type SendOptions } from "../../helpers/serve.ts";

const realFetch = globalThis.fetch;
const AUTH = "http://auth.test/";
let authSeen: { request: Request; body: string }[] = [];
let nextSeen: { request: Request; body: string }[] = [];
let authAnswer: (request: Request) => Response = () => new Response(null);
let nextAnswer: (request: Request) => Response = () => new Response("traefik\n");

beforeEach(() => {
  authSeen = [];
  nextSeen = [];
  authAnswer = () => new Response(null);
  nextAnswer = () => new Response("traefik\n");
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const host = new URL(request.url).host;
    if (host === "auth.test") {
      authSeen.push({ request, body: await request.text() });
      return authAnswer(request);
    }
    if (host === "backend.test") {
      nextSeen.push({ request, body: await request.text() });
      return nextAnswer(request);
    }
    return realFetch(request);
  });
});
afterEach(() => vi.restoreAllMocks());

function config(options: Record<string, unknown>) {
  return {
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["fa"] } },
      services: { s: lb("http://backend.test") },
      middlewares: { fa: { forwardAuth: { address: AUTH, ...options } } },
    },
  };
}

const through = (options: Record<string, unknown>, url = "http://x.test/", init: SendOptions = {}) => send(snapshotOf(config(options)), url, init);

/** Go's http.Error: the message and a newline, text/plain, nosniff. */
function goError(message: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff", ...headers } });
}

describe("traefik pkg/middlewares/auth/forward_test.go", () => {
  // traefik pkg/middlewares/auth/forward_test.go TestForwardAuthFail
  it("TestForwardAuthFail: the auth server's 403, its Proxy-Authenticate and body reach the client", async () => {
    authAnswer = () => goError("Forbidden", 403, { "proxy-authenticate": "test" });
    const res = await through({});
    expect(res.status).toBe(403);
    expect(res.headers.get("proxy-authenticate")).toBe("test");
    expect(await res.text()).toBe("Forbidden\n");
    expect(nextSeen).toEqual([]);
  });

  // traefik pkg/middlewares/auth/forward_test.go TestForwardAuthSuccess
  it("TestForwardAuthSuccess: listed and regex-matched auth headers go upstream, the listed auth cookie replaces the backend's", async () => {
    authAnswer = () =>
      new Response("Success\n", {
        headers: [
          ["X-Auth-User", "user@example.com"],
          ["X-Auth-Secret", "secret"],
          ["X-Auth-Group", "group1"],
          ["X-Auth-Group", "group2"],
          ["Foo-Bar", "auth-value"],
          ["Set-Cookie", "authCookie=Auth"],
          ["Set-Cookie", "authCookieNotAdded=Auth"],
        ],
      });
    nextAnswer = () => new Response("traefik\n", { headers: [["Set-Cookie", "authCookie=Backend"], ["Set-Cookie", "backendCookie=Backend"], ["Other-Header", "BackendHeaderValue"]] });
    const res = await through(
      { authResponseHeaders: ["X-Auth-User", "X-Auth-Group"], authResponseHeadersRegex: "^Foo-", addAuthCookiesToResponse: ["authCookie"] },
      "http://x.test/",
      { headers: { "X-Auth-Group": "admin_group", "Foo-Bar": "client-value", "Foo-Baz": "client-value" } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual(["backendCookie=Backend", "authCookie=Auth"]);
    expect(res.headers.get("other-header")).toBe("BackendHeaderValue");
    expect(await res.text()).toBe("traefik\n");
    const h = nextSeen[0]!.request.headers;
    expect(h.get("x-auth-user")).toBe("user@example.com");
    expect(h.get("x-auth-secret")).toBeNull();
    // Go sends two X-Auth-Group lines; fetch joins a header's values into one, the same list (RFC 9110 §5.3).
    expect(h.get("x-auth-group")).toBe("group1, group2");
    expect(h.get("foo-bar")).toBe("auth-value");
    expect(h.get("foo-baz")).toBeNull();
  });

  // traefik pkg/middlewares/auth/forward_test.go TestForwardAuthForwardBody: Traefik sends the body
  // with its GET auth request; fetch() cannot, so forwardBody needs preserveRequestMethod (docs) and
  // a Worker never receives a GET with a body. The same exchange with POST:
  it("TestForwardAuthForwardBody: the body reaches the auth server, then next (with preserveRequestMethod)", async () => {
    const data = "forwardBodyTest";
    const res = await through({ forwardBody: true, preserveRequestMethod: true, maxBodySize: data.length }, "http://x.test/", { method: "POST", body: data });
    expect(res.status).toBe(200);
    expect(authSeen.map((s) => s.body)).toEqual([data]);
    expect(nextSeen.map((s) => s.body)).toEqual([data]);
  });

  it("TestForwardAuthForwardBody: forwardBody without preserveRequestMethod is refused at validation (Workers)", () => {
    const valid = validateConfig(config({ forwardBody: true, maxBodySize: 15 }));
    expect(valid.ok ? [] : valid.errors.map((e) => e.path)).toEqual(["http.middlewares.fa.forwardAuth.forwardBody"]);
  });

  // traefik pkg/middlewares/auth/forward_test.go TestForwardAuthDoesNotForwardCONNECTBody: a Worker
  // never receives CONNECT (the runtime refuses the method), so the case cannot arise.
  it("TestForwardAuthDoesNotForwardCONNECTBody: CONNECT cannot reach a Worker's middlewares", () => {
    expect(() => new Request("http://x.test/", { method: "CONNECT" })).toThrow();
  });

  // traefik pkg/middlewares/auth/forward_test.go TestForwardAuthForwardBodyEmptyBody
  it("TestForwardAuthForwardBodyEmptyBody: no body, the auth server and next are each called once", async () => {
    const res = await through({ forwardBody: true, preserveRequestMethod: true });
    expect(res.status).toBe(200);
    expect(authSeen.map((s) => s.body)).toEqual([""]);
    expect(nextSeen.length).toBe(1);
  });

  // traefik pkg/middlewares/auth/forward_test.go TestForwardAuthForwardBodySizeLimit
  it("TestForwardAuthForwardBodySizeLimit: a body over maxBodySize gets 401, neither the auth server nor next is called", async () => {
    const data = "forwardBodyTest";
    const res = await through({ forwardBody: true, preserveRequestMethod: true, maxBodySize: data.length - 1 }, "http://x.test/", { method: "POST", body: data });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe("");
    expect(authSeen).toEqual([]);
    expect(nextSeen).toEqual([]);
  });

  // traefik pkg/middlewares/auth/forward_test.go TestForwardAuthNotForwardBody (POST: a GET carries no body on Workers)
  it("TestForwardAuthNotForwardBody: without forwardBody the auth server gets no body, next gets it", async () => {
    const res = await through({}, "http://x.test/", { method: "POST", body: "forwardBodyTest" });
    expect(res.status).toBe(200);
    expect(authSeen.map((s) => s.body)).toEqual([""]);
    expect(nextSeen.map((s) => s.body)).toEqual(["forwardBodyTest"]);
  });

  const goRedirect = () =>
    new Response('<a href="http://example.com/redirect-test">Found</a>.\n\n', { status: 302, headers: { location: "http://example.com/redirect-test", "content-type": "text/html; charset=utf-8" } });

  // traefik pkg/middlewares/auth/forward_test.go TestForwardAuthRedirect
  it("TestForwardAuthRedirect: the auth server's 302 and absolute Location reach the client, with its body", async () => {
    authAnswer = goRedirect;
    const res = await through({});
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("http://example.com/redirect-test");
    expect(await res.text()).not.toBe("");
  });

  // traefik pkg/middlewares/auth/forward_test.go TestForwardAuthRemoveHopByHopHeaders
  it("TestForwardAuthRemoveHopByHopHeaders: hop-by-hop headers of the auth answer never reach the client", async () => {
    const hop = ["Connection", "Keep-Alive", "Te", "Trailer", "Transfer-Encoding", "Upgrade"];
    authAnswer = () => {
      const res = goRedirect();
      const headers = new Headers(res.headers);
      for (const name of hop) headers.set(name, name === "Transfer-Encoding" ? "chunked" : "test");
      return new Response(res.body, { status: res.status, headers });
    };
    const res = await through({});
    expect(res.status).toBe(302);
    for (const name of hop) expect(res.headers.get(name), name).toBeNull();
    expect(res.headers.get("location")).toBe("http://example.com/redirect-test");
    expect(await res.text()).not.toBe("");
  });

  // traefik pkg/middlewares/auth/forward_test.go TestForwardAuthFailResponseHeaders
  it("TestForwardAuthFailResponseHeaders: a refusal's headers are copied as they are", async () => {
    authAnswer = () => goError("Forbidden", 403, { "set-cookie": "example=testing; Path=/", "x-foo": "bar", "content-length": "10" });
    const res = await through({});
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual(["example=testing; Path=/"]);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(res.headers.get("x-foo")).toBe("bar");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).toBe("Forbidden\n");
  });

  // traefik pkg/middlewares/auth/forward_test.go TestForwardAuthClientClosedRequest: Traefik answers
  // 499 to a client that went away during the auth call; on Workers that client receives nothing
  // at all, so there is no status to observe (docs/middlewares-access.md).

  // traefik pkg/middlewares/auth/forward_test.go TestForwardAuthForwardError
  it("TestForwardAuthForwardError: an auth server that cannot be reached gives 500, next is not called", async () => {
    vi.restoreAllMocks();
    const res = await send(snapshotOf({ ...config({}), http: { ...config({}).http, middlewares: { fa: { forwardAuth: { address: "http://127.0.0.1:9/" } } } } }), "http://x.test/");
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("");
  });

  // traefik pkg/middlewares/auth/forward_test.go TestForwardAuthPreserveLocationHeader
  it("TestForwardAuthPreserveLocationHeader: a relative Location stays relative", async () => {
    authAnswer = () => goError("Unauthorized", 401, { location: "/index.html" });
    const res = await through({ preserveLocationHeader: true });
    expect(res.status).toBe(401);
    expect(res.headers.get("location")).toBe("/index.html");
  });

  // traefik pkg/middlewares/auth/forward_test.go TestForwardAuthPreserveRequestMethod
  for (const [name, preserveRequestMethod, expected] of [
    ["preserve request method", true, "POST"],
    ["do not preserve request method", false, "GET"],
  ] as const) {
    it(`TestForwardAuthPreserveRequestMethod "${name}"`, async () => {
      const res = await through({ preserveRequestMethod }, "http://x.test/", { method: "POST" });
      expect(res.status).toBe(200);
      expect(authSeen.map((s) => s.request.method)).toEqual([expected]);
      expect(nextSeen.map((s) => s.request.method)).toEqual(["POST"]);
    });
  }

  // traefik pkg/middlewares/auth/forward_test.go TestForwardAuthMaxResponseBodySize
  const maxResponse: { desc: string; max: number; status: number; body: string; expectedStatus: number; expectedBody: string }[] = [
    { desc: "auth failure, unlimited response body", max: -1, status: 403, body: "Forbidden", expectedStatus: 403, expectedBody: "Forbidden" },
    { desc: "auth failure, response body exceeds the limit", max: 1, status: 403, body: "Forbidden", expectedStatus: 401, expectedBody: "" },
    { desc: "auth success within limit", max: 100, status: 200, body: "ok", expectedStatus: 200, expectedBody: "traefik\n" },
    { desc: "auth success body exceeds limit", max: 1, status: 200, body: "large auth response", expectedStatus: 401, expectedBody: "" },
  ];
  for (const c of maxResponse) {
    it(`TestForwardAuthMaxResponseBodySize "${c.desc}"`, async () => {
      authAnswer = () => new Response(c.body, { status: c.status });
      const res = await through({ maxResponseBodySize: c.max });
      expect(res.status).toBe(c.expectedStatus);
      expect(await res.text()).toBe(c.expectedBody);
    });
  }

  // traefik pkg/middlewares/auth/forward_test.go TestForwardAuthAuthSigninURL
  const signin: { desc: string; authSigninURL?: string; authStatus: number; expectedStatus: number; expectedLocation?: string; next: boolean }[] = [
    { desc: "redirects to signin URL on 401", authSigninURL: "https://auth.example.com/login", authStatus: 401, expectedStatus: 302, expectedLocation: "https://auth.example.com/login", next: false },
    { desc: "no redirect on 401 without signin URL", authStatus: 401, expectedStatus: 401, next: false },
    { desc: "no redirect on other error statuses with signin URL", authSigninURL: "https://auth.example.com/login", authStatus: 403, expectedStatus: 403, next: false },
    { desc: "no redirect on OK status with signin URL", authSigninURL: "https://auth.example.com/login", authStatus: 200, expectedStatus: 200, next: true },
  ];
  for (const c of signin) {
    it(`TestForwardAuthAuthSigninURL "${c.desc}"`, async () => {
      authAnswer = () => goError(c.authStatus === 200 ? "OK" : c.authStatus === 401 ? "Unauthorized" : "Forbidden", c.authStatus);
      const res = await through(c.authSigninURL ? { authSigninURL: c.authSigninURL } : {});
      expect(res.status).toBe(c.expectedStatus);
      expect(nextSeen.length > 0).toBe(c.next);
      expect(res.headers.get("location")).toBe(c.expectedLocation ?? null);
    });
  }

  // traefik pkg/middlewares/auth/forward_test.go TestForwardAuthTracing: Switchyard does not trace
  // the auth request (no spans, no traceparent), see docs/middlewares-access.md.
});

// traefik pkg/middlewares/auth/forward_test.go TestForwardAuth_writeHeader (trustForwardHeader set)
// and TestForwardAuth_oldWriteHeader (trustForwardHeader unset). Traefik calls writeHeader directly;
// here the request goes through the entry from a trusted client (so its X-Forwarded-* survive, as in
// those tests) and the auth server records what it got. Two things differ by nature: the Worker
// always knows the client (X-Forwarded-For is 203.0.113.7; Go's test request has no RemoteAddr),
// and a Host cannot be empty (the "empty Host" cases are not ported). An expected "" User-Agent
// means none on the wire: Go's client sends no User-Agent when it is set empty.
interface HeaderCase {
  desc: string;
  headers: Record<string, string>;
  authRequestHeaders?: string[];
  trustForwardHeader?: boolean;
  expected: Record<string, string>;
  exact?: boolean;
}

const XF = { "X-Forwarded-Proto": "http", "X-Forwarded-Host": "foo.bar", "X-Forwarded-Uri": "/path?q=1", "X-Forwarded-Method": "GET" };
const HOP_SENT = {
  Connection: "Connection",
  "Keep-Alive": "KeepAlive",
  "Proxy-Authenticate": "ProxyAuthenticate",
  "Proxy-Authorization": "ProxyAuthorization",
  Te: "Te",
  Trailer: "Trailers",
  "Transfer-Encoding": "TransferEncoding",
  Upgrade: "Upgrade",
  "X-CustomHeader": "CustomHeader",
};
const CUSTOM_AND_TYPE = { "X-CustomHeader": "CustomHeader", "Content-Type": "multipart/form-data; boundary=---123456" };

const writeHeaderCases: HeaderCase[] = [
  { desc: "trust forward header", headers: { Accept: "application/json", "X-Forwarded-Host": "fii.bir" }, trustForwardHeader: true, expected: { Accept: "application/json", "X-Forwarded-Host": "fii.bir" } },
  { desc: "not trust forward header", headers: { Accept: "application/json", "X-Forwarded-Host": "fii.bir" }, trustForwardHeader: false, expected: { Accept: "application/json", "X-Forwarded-Host": "foo.bar" } },
  {
    desc: "trust forward header with forwarded URI",
    headers: { Accept: "application/json", "X-Forwarded-Host": "fii.bir", "X-Forwarded-Uri": "/forward?q=1" },
    trustForwardHeader: true,
    expected: { Accept: "application/json", "X-Forwarded-Host": "fii.bir", "X-Forwarded-Uri": "/forward?q=1" },
  },
  {
    desc: "not trust forward header with forward requested URI",
    headers: { Accept: "application/json", "X-Forwarded-Host": "fii.bir", "X-Forwarded-Uri": "/forward?q=1" },
    trustForwardHeader: false,
    expected: { Accept: "application/json", "X-Forwarded-Host": "foo.bar", "X-Forwarded-Uri": "/path?q=1" },
  },
  { desc: "trust forward header with forwarded request Method", headers: { "X-Forwarded-Method": "OPTIONS" }, trustForwardHeader: true, expected: { "X-Forwarded-Method": "OPTIONS" } },
  { desc: "not trust forward header with forward request Method", headers: { "X-Forwarded-Method": "OPTIONS" }, trustForwardHeader: false, expected: { "X-Forwarded-Method": "GET" } },
  {
    desc: "remove hop-by-hop headers",
    headers: HOP_SENT,
    trustForwardHeader: false,
    expected: { "X-CustomHeader": "CustomHeader", ...XF, "X-Forwarded-Port": "80", "Proxy-Authenticate": "ProxyAuthenticate", "Proxy-Authorization": "ProxyAuthorization", "User-Agent": "" },
    exact: true,
  },
  { desc: "filter forward request headers", headers: CUSTOM_AND_TYPE, authRequestHeaders: ["X-CustomHeader"], trustForwardHeader: false, expected: { "x-customHeader": "CustomHeader", ...XF, "X-Forwarded-Port": "80" }, exact: true },
  {
    desc: "filter forward request headers doesn't add new headers",
    headers: CUSTOM_AND_TYPE,
    authRequestHeaders: ["X-CustomHeader", "X-Non-Exists-Header"],
    trustForwardHeader: false,
    expected: { "X-CustomHeader": "CustomHeader", ...XF, "X-Forwarded-Port": "80" },
    exact: true,
  },
  {
    desc: "set empty User-Agent header if header is allowed but missing",
    headers: { "X-CustomHeader": "CustomHeader", Accept: "application/json" },
    authRequestHeaders: ["X-CustomHeader", "Accept", "User-Agent"],
    expected: { "X-CustomHeader": "CustomHeader", Accept: "application/json", ...XF, "X-Forwarded-Port": "80", "User-Agent": "" },
    trustForwardHeader: false,
    exact: true,
  },
  {
    desc: "ignore User-Agent header if header is not allowed and missing",
    headers: { "X-CustomHeader": "CustomHeader", Accept: "application/json" },
    authRequestHeaders: ["X-CustomHeader", "Accept"],
    expected: { "X-CustomHeader": "CustomHeader", Accept: "application/json", ...XF, "X-Forwarded-Port": "80" },
    trustForwardHeader: false,
    exact: true,
  },
  {
    desc: "set empty User-Agent header if header is missing",
    headers: { "X-CustomHeader": "CustomHeader", Accept: "application/json" },
    expected: { "X-CustomHeader": "CustomHeader", Accept: "application/json", ...XF, "X-Forwarded-Port": "80", "User-Agent": "" },
    trustForwardHeader: false,
    exact: true,
  },
  {
    desc: "authRequestHeaders and XForwarded are kept if trusted",
    headers: { "X-CustomHeader": "CustomHeader", "X-Forwarded-Uri": "/path?q=2" },
    authRequestHeaders: ["X-CustomHeader"],
    trustForwardHeader: true,
    expected: { "X-CustomHeader": "CustomHeader", ...XF, "X-Forwarded-Uri": "/path?q=2", "X-Forwarded-Port": "80" },
    exact: true,
  },
  {
    desc: "X-Forwarded and X_forwarded headers are removed when not trusted",
    headers: { "X-CustomHeader": "CustomHeader", X_forwarded_for: "127.0.0.1", "X-Forwarded-Proto": "xxx" },
    trustForwardHeader: false,
    expected: { "X-CustomHeader": "CustomHeader", ...XF, "X-Forwarded-Port": "80", X_forwarded_for: "" },
  },
  {
    desc: "X-Forwarded-Proto is not used to calculate X-Forwarded-Port if trustForwardHeader=false",
    headers: { "X-CustomHeader": "CustomHeader", "X-Forwarded-Proto": "https" },
    trustForwardHeader: false,
    expected: { ...XF, "X-Forwarded-Port": "80" },
  },
];

const oldWriteHeaderCases: HeaderCase[] = [
  { desc: "not trust forward header", headers: { Accept: "application/json", "X-Forwarded-Host": "fii.bir" }, expected: { Accept: "application/json", "X-Forwarded-Host": "foo.bar" } },
  {
    desc: "not trust forward header with forward requested URI",
    headers: { Accept: "application/json", "X-Forwarded-Host": "fii.bir", "X-Forwarded-Uri": "/forward?q=1" },
    expected: { Accept: "application/json", "X-Forwarded-Host": "foo.bar", "X-Forwarded-Uri": "/path?q=1" },
  },
  { desc: "not trust forward header with forward request Method", headers: { "X-Forwarded-Method": "OPTIONS" }, expected: { "X-Forwarded-Method": "GET" } },
  { desc: "remove hop-by-hop headers", headers: HOP_SENT, expected: { "X-CustomHeader": "CustomHeader", ...XF, "Proxy-Authenticate": "ProxyAuthenticate", "Proxy-Authorization": "ProxyAuthorization" }, exact: true },
  { desc: "filter forward request headers", headers: CUSTOM_AND_TYPE, authRequestHeaders: ["X-CustomHeader"], expected: { "x-customHeader": "CustomHeader", ...XF }, exact: true },
  { desc: "filter forward request headers doesn't add new headers", headers: CUSTOM_AND_TYPE, authRequestHeaders: ["X-CustomHeader", "X-Non-Exists-Header"], expected: { "X-CustomHeader": "CustomHeader", ...XF }, exact: true },
  {
    desc: "X-Forwarded-Prefix is kept for non-breaking behavior",
    headers: { "X-CustomHeader": "CustomHeader", "X-Forwarded-Prefix": "foo.bar" },
    expected: { "X-CustomHeader": "CustomHeader", ...XF, "X-Forwarded-Prefix": "foo.bar" },
    exact: true,
  },
];

async function authHeadersFor(c: HeaderCase): Promise<Headers> {
  const options: Record<string, unknown> = {};
  if (c.trustForwardHeader !== undefined) options["trustForwardHeader"] = c.trustForwardHeader;
  if (c.authRequestHeaders) options["authRequestHeaders"] = c.authRequestHeaders;
  const res = await through(options, "http://foo.bar/path?q=1", { headers: c.headers, trusted: "203.0.113.0/24" });
  expect(res.status).toBe(200);
  expect(authSeen.length).toBe(1);
  return authSeen[0]!.request.headers;
}

function checkHeaders(got: Headers, c: HeaderCase): void {
  for (const [name, value] of Object.entries(c.expected)) {
    expect(got.get(name), name).toBe(value === "" ? null : value);
  }
  if (!c.exact) return;
  const expected = new Set(Object.keys(c.expected).map((n) => n.toLowerCase()));
  const unexpected = [...got.keys()].filter((n) => !expected.has(n) && n !== "x-forwarded-for");
  expect(unexpected).toEqual([]);
  expect(got.get("x-forwarded-for")).toBe("203.0.113.7");
}

describe("traefik pkg/middlewares/auth/forward_test.go TestForwardAuth_writeHeader", () => {
  for (const c of writeHeaderCases) {
    it(`"${c.desc}"`, async () => checkHeaders(await authHeadersFor(c), c));
  }
});

describe("traefik pkg/middlewares/auth/forward_test.go TestForwardAuth_oldWriteHeader", () => {
  for (const c of oldWriteHeaderCases) {
    it(`"${c.desc}"`, async () => checkHeaders(await authHeadersFor(c), c));
  }
});

// traefik pkg/middlewares/auth/connectionheader_test.go TestRemover: Traefik's RemoveConnectionHeaders
// on the auth request. Seen by the auth server: the named headers are gone, and so are Connection and
// Upgrade themselves (forwardAuth's hop-by-hop list removes them right after).
describe("traefik pkg/middlewares/auth/connectionheader_test.go TestRemover", () => {
  const cases: { desc: string; headers: Record<string, string>; expected: Record<string, string | null> }[] = [
    { desc: "simple remove", headers: { Foo: "bar", Connection: "foo" }, expected: { foo: null, connection: null } },
    { desc: "remove and Upgrade", headers: { Upgrade: "test", Foo: "bar", Connection: "Upgrade,foo" }, expected: { foo: null, connection: null, upgrade: null } },
    { desc: "no remove", headers: { Foo: "bar", Connection: "fii" }, expected: { foo: "bar", connection: null } },
  ];
  for (const c of cases) {
    it(`"${c.desc}"`, async () => {
      expect((await through({}, "https://localhost/", { headers: c.headers })).status).toBe(200);
      const h = authSeen[0]!.request.headers;
      for (const [name, value] of Object.entries(c.expected)) expect(h.get(name), name).toBe(value);
    });
  }
});
