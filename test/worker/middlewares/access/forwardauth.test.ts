// forwardAuth against a second Worker (the ECHO service binding) and a recorded http auth server,
// with the real whoami upstream behind.
import { afterEach, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { validateConfig } from "../../../../worker/config/index.ts";
import { lb, send, snapshotOf, type Echo } from "../../helpers/serve.ts";

const upstream = inject("whoamiUrl");

function config(options: Record<string, unknown>) {
  return {
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["fa"] } },
      services: { s: lb(upstream) },
      middlewares: { fa: { forwardAuth: options } },
    },
  };
}

// An http auth server at auth.test: every request it gets is recorded, and `answer` plays it.
const realFetch = globalThis.fetch;
let seen: { request: Request; body: string }[] = [];
let answer: (request: Request) => Response = () => new Response("ok");

beforeEach(() => {
  seen = [];
  answer = () => new Response("ok");
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).host !== "auth.test") return realFetch(request);
    seen.push({ request, body: await request.text() });
    return answer(request);
  });
});
afterEach(() => vi.restoreAllMocks());

const AUTH = "http://auth.test/verify?app=1";

async function echoOf(res: Response): Promise<Echo> {
  expect(res.status).toBe(200);
  return (await res.json()) as Echo;
}

describe("forwardAuth through a second Worker (service binding)", () => {
  const viaBinding = { address: "binding://ECHO/auth", authResponseHeaders: ["X-Auth-User"], addAuthCookiesToResponse: ["auth"] };

  it("returns the auth server's refusal as is: status, headers, body; the upstream is not reached", async () => {
    const res = await send(snapshotOf(config(viaBinding)), "https://x.test/private");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="test"');
    expect(res.headers.getSetCookie()).toEqual(["tried=1; Path=/"]);
    expect(res.headers.get("x-whoami")).toBeNull();
    expect(await res.text()).toBe("denied");
  });

  it("lets a 2xx through with authResponseHeaders copied and the listed auth cookies added", async () => {
    const res = await send(snapshotOf(config(viaBinding)), "https://x.test/cookies", {
      headers: { authorization: "Bearer good", "x-auth-user": "mallory", "x-auth-role": "root" },
    });
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/", "auth=1; Path=/"]);
    const echo = await echoOf(res);
    expect(echo.headers["x-auth-user"]).toBe("alice");
    expect(echo.headers["x-auth-role"]).toBe("root"); // not listed: the client's value stays
    expect(echo.headers["authorization"]).toBe("Bearer good");
  });

  it("authResponseHeadersRegex drops every matching request header, then copies the matching auth headers", async () => {
    const snap = snapshotOf(config({ address: "binding://ECHO/auth", authResponseHeadersRegex: "^X-Auth-" }));
    const echo = await echoOf(await send(snap, "https://x.test/", { headers: { authorization: "Bearer good", "x-auth-spoof": "1", "x-auth-role": "root" } }));
    expect(echo.headers["x-auth-user"]).toBe("alice");
    expect(echo.headers["x-auth-role"]).toBe("admin");
    expect(echo.headers["x-auth-spoof"]).toBeUndefined();
  });

  it("a missing binding is a 500, as an unreachable auth server", async () => {
    const res = await send(snapshotOf(config({ address: "binding://NOPE/auth" })), "https://x.test/");
    expect(res.status).toBe(500);
  });
});

describe("forwardAuth: the auth request", () => {
  it("is a GET to the address with the request's headers and X-Forwarded-Method/Proto/Host/Uri/For", async () => {
    const snap = snapshotOf(config({ address: AUTH }));
    await echoOf(
      await send(snap, "https://x.test/some/path?q=1", {
        method: "POST",
        body: "payload",
        headers: { cookie: "session=abc", "proxy-authorization": "Basic eA==", connection: "x-hop", "x-hop": "1", "keep-alive": "5" },
      }),
    );
    const [{ request, body }] = seen as [(typeof seen)[0]];
    expect(request.method).toBe("GET");
    expect(request.url).toBe(AUTH);
    expect(body).toBe("");
    const h = request.headers;
    expect(h.get("cookie")).toBe("session=abc");
    expect(h.get("proxy-authorization")).toBe("Basic eA=="); // meant for the auth server (RFC 7235)
    expect([h.get("x-hop"), h.get("keep-alive"), h.get("connection")]).toEqual([null, null, null]);
    expect(h.get("x-forwarded-method")).toBe("POST");
    expect(h.get("x-forwarded-proto")).toBe("https");
    expect(h.get("x-forwarded-host")).toBe("x.test");
    expect(h.get("x-forwarded-uri")).toBe("/some/path?q=1");
    expect(h.get("x-forwarded-for")).toBe("203.0.113.7");
  });

  it("authRequestHeaders keeps only the listed headers (the X-Forwarded-* are always sent)", async () => {
    const snap = snapshotOf(config({ address: AUTH, authRequestHeaders: ["Cookie", "X-Keep"] }));
    await echoOf(await send(snap, "https://x.test/", { headers: { cookie: "c=1", "x-keep": "k", "x-drop": "d", authorization: "Bearer t" } }));
    const h = seen[0]!.request.headers;
    expect([h.get("cookie"), h.get("x-keep"), h.get("x-drop"), h.get("authorization")]).toEqual(["c=1", "k", null, null]);
    expect(h.get("x-forwarded-uri")).toBe("/");
  });

  it("trustForwardHeader keeps a trusted client's X-Forwarded-* (appending it to X-Forwarded-For); unset, Traefik's legacy five are replaced", async () => {
    const headers = { "x-forwarded-for": "198.51.100.1", "x-forwarded-host": "orig.test", "x-forwarded-uri": "/orig", "x-forwarded-proto": "http", "x-forwarded-method": "PUT", "x-forwarded-port": "8443" };
    const trusted = { headers, trusted: "203.0.113.0/24" };
    await echoOf(await send(snapshotOf(config({ address: AUTH, trustForwardHeader: true })), "https://x.test/now", trusted));
    await echoOf(await send(snapshotOf(config({ address: AUTH })), "https://x.test/now", trusted));
    const [kept, replaced] = seen.map((s) => s.request.headers) as [Headers, Headers];
    expect(kept.get("x-forwarded-for")).toBe("198.51.100.1, 203.0.113.7");
    expect([kept.get("x-forwarded-host"), kept.get("x-forwarded-uri"), kept.get("x-forwarded-proto"), kept.get("x-forwarded-method"), kept.get("x-forwarded-port")]).toEqual(["orig.test", "/orig", "http", "PUT", "8443"]);
    expect(replaced.get("x-forwarded-for")).toBe("203.0.113.7");
    // Unset is Traefik's legacy behaviour (oldWriteHeader): X-Forwarded-Port is not one it sets, so a
    // trusted client's passes as it came.
    expect([replaced.get("x-forwarded-host"), replaced.get("x-forwarded-uri"), replaced.get("x-forwarded-proto"), replaced.get("x-forwarded-method"), replaced.get("x-forwarded-port")]).toEqual(["x.test", "/now", "https", "GET", "8443"]);
  });

  it("an untrusted client's X-Forwarded-* never reach the auth server, even with trustForwardHeader", async () => {
    const headers = { "x-forwarded-for": "198.51.100.1", "x-forwarded-host": "evil.test" };
    await echoOf(await send(snapshotOf(config({ address: AUTH, trustForwardHeader: true })), "https://x.test/", { headers }));
    expect(seen[0]!.request.headers.get("x-forwarded-for")).toBe("203.0.113.7");
    expect(seen[0]!.request.headers.get("x-forwarded-host")).toBe("x.test");
  });

  it("preserveRequestMethod sends the request's method", async () => {
    await echoOf(await send(snapshotOf(config({ address: AUTH, preserveRequestMethod: true })), "https://x.test/", { method: "DELETE" }));
    expect(seen[0]!.request.method).toBe("DELETE");
  });

  it("an unreachable auth server is a 500", async () => {
    vi.restoreAllMocks();
    const res = await send(snapshotOf(config({ address: "http://127.0.0.1:9/auth" })), "https://x.test/");
    expect(res.status).toBe(500);
  });
});

describe("forwardAuth: forwardBody", () => {
  const withBody = { address: AUTH, forwardBody: true, preserveRequestMethod: true, maxBodySize: 10 };

  it("sends the body to the auth server and the same bytes upstream (read once, replayed)", async () => {
    const echo = await echoOf(await send(snapshotOf(config(withBody)), "https://x.test/", { method: "POST", body: "0123456789" }));
    expect(seen[0]!.body).toBe("0123456789");
    expect(echo.bodyBytes).toBe(10);
  });

  it("answers 401 (as Traefik) beyond maxBodySize, declared or streamed, without asking the auth server or the upstream", async () => {
    const snap = snapshotOf(config(withBody));
    const declared = await send(snap, "https://x.test/", { method: "POST", body: "01234567890" });
    expect(declared.status).toBe(401);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode("012345"));
        c.enqueue(new TextEncoder().encode("678901"));
        c.close();
      },
    });
    const streamed = await send(snap, "https://x.test/", { method: "POST", body: stream });
    expect(streamed.status).toBe(401);
    expect(streamed.headers.get("x-whoami")).toBeNull();
    expect(seen).toEqual([]);
  });

  it("without forwardBody the body is not read and streams upstream untouched", async () => {
    const echo = await echoOf(await send(snapshotOf(config({ address: AUTH, preserveRequestMethod: true })), "https://x.test/", { method: "PUT", body: "x".repeat(50_000) }));
    expect(seen[0]!.body).toBe("");
    expect(echo.bodyBytes).toBe(50_000);
  });
});

describe("forwardAuth: the auth answer", () => {
  it("makes a relative Location absolute against the address, unless preserveLocationHeader", async () => {
    answer = () => new Response(null, { status: 302, headers: { location: "/login?rd=x", connection: "close" } });
    const res = await send(snapshotOf(config({ address: AUTH })), "https://x.test/");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("http://auth.test/login?rd=x");
    const kept = await send(snapshotOf(config({ address: AUTH, preserveLocationHeader: true })), "https://x.test/");
    expect(kept.headers.get("location")).toBe("/login?rd=x");
  });

  it("copies any non-2xx answer (here 403 with a body) and never reaches the upstream", async () => {
    answer = () => new Response("go away", { status: 403, headers: { "x-reason": "banned" } });
    const res = await send(snapshotOf(config({ address: AUTH })), "https://x.test/");
    expect([res.status, res.headers.get("x-reason"), await res.text()]).toEqual([403, "banned", "go away"]);
  });

  it("addAuthCookiesToResponse replaces the upstream's same-named cookies with the auth server's", async () => {
    answer = () => new Response("ok", { headers: [["set-cookie", "a=from-auth; Path=/"], ["set-cookie", "z=ignored"]] });
    const res = await send(snapshotOf(config({ address: AUTH, addAuthCookiesToResponse: ["a"] })), "https://x.test/cookies");
    expect(res.headers.getSetCookie()).toEqual(["b=2; Path=/", "a=from-auth; Path=/"]);
  });

  it("leaves the upstream's cookies alone when the auth server sets none", async () => {
    const res = await send(snapshotOf(config({ address: AUTH, addAuthCookiesToResponse: ["a"] })), "https://x.test/cookies");
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
  });

  it("a header listed in authResponseHeaders but absent from the answer is removed from the request", async () => {
    const echo = await echoOf(await send(snapshotOf(config({ address: AUTH, authResponseHeaders: ["X-User"] })), "https://x.test/", { headers: { "x-user": "forged" } }));
    expect(echo.headers["x-user"]).toBeUndefined();
  });

  it("maxResponseBodySize bounds the auth answer read: beyond it, 401 (as Traefik)", async () => {
    answer = () => new Response("x".repeat(100));
    expect((await send(snapshotOf(config({ address: AUTH, maxResponseBodySize: 99 })), "https://x.test/")).status).toBe(401);
    expect((await send(snapshotOf(config({ address: AUTH, maxResponseBodySize: 100 })), "https://x.test/")).status).toBe(200);
  });
});

describe("forwardAuth: authSigninURL", () => {
  it("turns the auth server's 401 into Go's http.Redirect 302: a relative URL resolved against the request path, a GET gets the HTML body", async () => {
    answer = () => new Response("no", { status: 401 });
    const abs = await send(snapshotOf(config({ address: AUTH, authSigninURL: "https://login.test/?a=<b>" })), "https://x.test/app/page");
    expect([abs.status, abs.headers.get("location"), abs.headers.get("content-type")]).toEqual([302, "https://login.test/?a=<b>", "text/html; charset=utf-8"]);
    expect(await abs.text()).toBe('<a href="https://login.test/?a=&lt;b&gt;">Found</a>.\n\n');
    const rel = await send(snapshotOf(config({ address: AUTH, authSigninURL: "login" })), "https://x.test/app/page", { method: "POST", body: "x" });
    expect([rel.status, rel.headers.get("location"), rel.headers.get("content-type"), await rel.text()]).toEqual([302, "/app/login", null, ""]);
  });
});

describe("forwardAuth validation", () => {
  function issues(options: Record<string, unknown>) {
    const valid = validateConfig(config(options));
    return { errors: valid.ok ? [] : valid.errors, warnings: valid.warnings };
  }

  it("refuses forwardBody without preserveRequestMethod: fetch() cannot send a GET with a body", () => {
    const { errors } = issues({ address: AUTH, forwardBody: true });
    expect(errors.map((e) => e.path)).toEqual(["http.middlewares.fa.forwardAuth.forwardBody"]);
  });

  it("warns that an unlimited maxBodySize is capped", () => {
    const { warnings } = issues({ address: AUTH, forwardBody: true, preserveRequestMethod: true });
    expect(warnings.map((w) => w.path)).toEqual(["http.middlewares.fa.forwardAuth.maxBodySize"]);
  });

  it("accepts authSigninURL; refuses an empty one, a bad regex, a bad address and unknown fields", () => {
    expect(issues({ address: AUTH, authSigninURL: "https://login.test" }).errors).toEqual([]);
    expect(issues({ address: AUTH, authSigninURL: "" }).errors[0]?.path).toBe("http.middlewares.fa.forwardAuth.authSigninURL");
    expect(issues({ address: AUTH, authResponseHeadersRegex: "(" }).errors[0]?.path).toBe("http.middlewares.fa.forwardAuth.authResponseHeadersRegex");
    expect(issues({ address: "ftp://auth.test" }).errors[0]?.path).toBe("http.middlewares.fa.forwardAuth.address");
    expect(issues({ address: AUTH, adress: "x" }).errors[0]?.path).toMatch(/^http\.middlewares\.fa\.forwardAuth/);
  });
});
