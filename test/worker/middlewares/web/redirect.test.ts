// redirectScheme and redirectRegex: Traefik's redirect tables, through the router.
import { describe, expect, inject, it } from "vitest";
import { behind, type Echo, send } from "../../helpers/serve.ts";

const upstream = inject("whoamiUrl");

const snapshot = (middlewares: Record<string, unknown>) => behind(upstream, middlewares);

// X-Forwarded-Proto only counts from a trusted client, as at Traefik's entry point.
const TRUSTED = { clientIP: "203.0.113.7", trusted: "203.0.113.0/24" };

// A ported redirect case: Traefik's case name, options, the URL the Go test requests, what it
// expects. Go's test requests an absolute target without a path ("http://foo"); a client always
// sends one ("/"), so every expected Location here ends in the "/" Traefik then writes too. The
// Host header carries the URL's port as written: Go's req.Host keeps it ("foo:80").
interface RedirectCase {
  desc: string;
  options: Record<string, unknown>;
  url: string;
  method?: string;
  headers?: Record<string, string>;
  status: number;
  location?: string;
}

async function expectRedirect(type: string, c: RedirectCase): Promise<void> {
  const url = new URL(c.url);
  const hostPort = /^[a-z]+:\/\/([^/]+)/.exec(c.url)![1]!;
  const body = c.method && c.method !== "GET" ? "x" : undefined;
  const res = await send(snapshot({ m: { [type]: c.options } }), `${url.protocol}//${hostPort}${url.pathname}${url.search}`, {
    method: c.method ?? "GET",
    body,
    headers: { host: hostPort, ...c.headers },
    ...TRUSTED,
  });
  expect(res.status).toBe(c.status);
  expect(res.headers.get("location")).toBe(c.location ?? null);
  if (c.status === 200) expect(((await res.json()) as Echo).name).toBe("test-whoami");
}

// traefik pkg/middlewares/redirect/redirect_scheme_test.go TestRedirectSchemeHandler ("Without
// scheme": mw-web-validation). Not ported: "HTTP to HTTPS with explicit 308 status code" and "… for
// GET request" set ForcePermanentRedirect, which only Traefik's IngressNGINX provider sets (json:"-").
describe("redirectScheme: traefik redirect_scheme_test.go TestRedirectSchemeHandler", () => {
  const https = { scheme: "https" };
  const cases: RedirectCase[] = [
    { desc: "HTTP to HTTPS", options: https, url: "http://foo", status: 302, location: "https://foo/" },
    { desc: "HTTP to HTTPS, with X-Forwarded-Proto", options: https, url: "http://foo", headers: { "x-forwarded-proto": "http" }, status: 302, location: "https://foo/" },
    { desc: "HTTP to HTTPS, with X-Forwarded-Proto to HTTPS", options: https, url: "http://foo", headers: { "x-forwarded-proto": "https" }, status: 200 },
    { desc: "HTTP to HTTPS, with X-Forwarded-Proto to unknown value", options: https, url: "http://foo", headers: { "x-forwarded-proto": "bar" }, status: 302, location: "https://foo/" },
    { desc: "HTTP to HTTPS, with X-Forwarded-Proto to ws", options: https, url: "http://foo", headers: { "x-forwarded-proto": "ws" }, status: 302, location: "https://foo/" },
    { desc: "HTTP to HTTPS, with X-Forwarded-Proto to wss", options: https, url: "http://foo", headers: { "x-forwarded-proto": "wss" }, status: 200 },
    { desc: "HTTP with port to HTTPS without port", options: https, url: "http://foo:8080", status: 302, location: "https://foo/" },
    { desc: "HTTP without port to HTTPS with port", options: { scheme: "https", port: "8443" }, url: "http://foo", status: 302, location: "https://foo:8443/" },
    { desc: "HTTP with port to HTTPS with port", options: { scheme: "https", port: "8443" }, url: "http://foo:8000", status: 302, location: "https://foo:8443/" },
    { desc: "HTTPS with port to HTTPS with port", options: { scheme: "https", port: "8443" }, url: "https://foo:8000", status: 302, location: "https://foo:8443/" },
    { desc: "HTTPS with port to HTTPS without port", options: https, url: "https://foo:8000", status: 302, location: "https://foo/" },
    { desc: "redirection to HTTPS without port from an URL already in https", options: https, url: "https://foo:8000/theother", status: 302, location: "https://foo/theother" },
    { desc: "HTTP to HTTPS permanent", options: { scheme: "https", port: "8443", permanent: true }, url: "http://foo", status: 301, location: "https://foo:8443/" },
    { desc: "to HTTP 80", options: { scheme: "http", port: "80" }, url: "http://foo:80", status: 200 },
    { desc: "to HTTPS 443", options: { scheme: "https", port: "443" }, url: "https://foo:443", status: 200 },
    { desc: "HTTP to wss", options: { scheme: "wss", port: "9443" }, url: "http://foo", status: 302, location: "wss://foo:9443/" },
    { desc: "HTTP to wss without port", options: { scheme: "wss" }, url: "http://foo", status: 302, location: "wss://foo/" },
    { desc: "HTTP with port to wss without port", options: { scheme: "wss" }, url: "http://foo:5678", status: 302, location: "wss://foo/" },
    { desc: "HTTP to HTTPS without port", options: https, url: "http://foo:443", status: 302, location: "https://foo/" },
    { desc: "HTTP port redirection", options: { scheme: "http", port: "8181" }, url: "http://foo:8080", status: 302, location: "http://foo:8181/" },
    { desc: "HTTPS with port 80 to HTTPS without port", options: https, url: "https://foo:80", status: 302, location: "https://foo/" },
    { desc: "IPV6 HTTP to HTTPS redirection without port", options: https, url: "http://[::1]", status: 302, location: "https://[::1]/" },
    { desc: "IPV6 HTTP to HTTPS redirection with port", options: { scheme: "https", port: "8443" }, url: "http://[::1]", status: 302, location: "https://[::1]:8443/" },
    { desc: "IPV6 HTTP with port 80 to HTTPS redirection without port", options: https, url: "http://[::1]:80", status: 302, location: "https://[::1]/" },
    { desc: "IPV6 HTTP with port 80 to HTTPS redirection with port", options: { scheme: "https", port: "8443" }, url: "http://[::1]:80", status: 302, location: "https://[::1]:8443/" },
  ];
  it.each(cases)("$desc", (c) => expectRedirect("redirectScheme", c));

  it("keeps the query as the client sent it", async () => {
    const res = await send(snapshot({ rs: { redirectScheme: { scheme: "https" } } }), "http://foo/a/b?c=d&e=%20");
    expect(res.headers.get("location")).toBe("https://foo/a/b?c=d&e=%20");
  });

  it("a port given as a number is read as Traefik reads its string form", async () => {
    expect((await send(snapshot({ rs: { redirectScheme: { scheme: "https", port: 443 } } }), "https://foo:443/")).status).toBe(200);
  });

  it("keeps the method: 307 for POST, 308 when permanent; the body is the status text without a Content-Type", async () => {
    const post = await send(snapshot({ rs: { redirectScheme: { scheme: "https" } } }), "http://foo/x", { method: "POST", body: "a" });
    expect(post.status).toBe(307);
    expect(await post.text()).toBe("Temporary Redirect");
    expect(post.headers.get("content-type")).toBeNull();
    const permanent = await send(snapshot({ rs: { redirectScheme: { scheme: "https", permanent: true } } }), "http://foo/x", { method: "PUT", body: "a" });
    expect(permanent.status).toBe(308);
    const get = await send(snapshot({ rs: { redirectScheme: { scheme: "https" } } }), "http://foo/x");
    expect(await get.text()).toBe("Found");
  });

  it("ignores X-Forwarded-Proto from an untrusted client (dropped at the entry)", async () => {
    const res = await send(snapshot({ rs: { redirectScheme: { scheme: "https" } } }), "http://foo/", { headers: { "x-forwarded-proto": "https" } });
    expect(res.status).toBe(302);
  });

  it("redirects to the path as earlier middlewares rewrote it", async () => {
    const res = await send(snapshot({ strip: { stripPrefix: { prefixes: ["/api"] } }, rs: { redirectScheme: { scheme: "https" } } }), "http://foo/api/x?q=1");
    expect(res.headers.get("location")).toBe("https://foo/x?q=1");
  });
});

// traefik pkg/middlewares/redirect/redirect_regex_test.go TestRedirectRegexHandler ("invalid regex":
// mw-web-validation).
describe("redirectRegex: traefik redirect_regex_test.go TestRedirectRegexHandler", () => {
  const foo = { regex: String.raw`^(?:http?:\/\/)(foo)(\.com)(:\d+)(.*)$`, replacement: "https://${1}bar$2:443$4" };
  const www = { regex: String.raw`(https?)://[^/:]+(:[0-9]+)?/(.*)`, replacement: "$1://example.com$2/$3", permanent: true };
  const cases: RedirectCase[] = [
    { desc: "simple redirection", options: foo, url: "http://foo.com:80", status: 302, location: "https://foobar.com:443/" },
    { desc: "URL doesn't match regex", options: foo, url: "http://bar.com:80", status: 200 },
    { desc: "invalid rewritten URL", options: { regex: "^(.*)$", replacement: "http://192.168.0.%31/" }, url: "http://foo.com:80", status: 502 },
    { desc: "HTTP to HTTPS permanent", options: { regex: "^http://", replacement: "https://$1", permanent: true }, url: "http://foo", status: 301, location: "https://foo/" },
    { desc: "HTTPS to HTTP permanent", options: { regex: "https://foo", replacement: "http://foo", permanent: true }, url: "https://foo", status: 301, location: "http://foo/" },
    { desc: "HTTP to HTTPS", options: { regex: "http://foo:80", replacement: "https://foo:443" }, url: "http://foo:80", status: 302, location: "https://foo:443/" },
    {
      desc: "HTTP to HTTPS, with X-Forwarded-Proto",
      options: { regex: "http://foo:80", replacement: "https://foo:443" },
      url: "http://foo:80",
      headers: { "x-forwarded-proto": "https" },
      status: 302,
      location: "https://foo:443/",
    },
    { desc: "HTTPS to HTTP", options: { regex: "https://foo:443", replacement: "http://foo:80" }, url: "https://foo:443", status: 302, location: "http://foo:80/" },
    { desc: "HTTP to HTTP", options: { regex: "http://foo:80", replacement: "http://foo:88" }, url: "http://foo:80", status: 302, location: "http://foo:88/" },
    { desc: "HTTP to HTTP POST", options: { regex: "^http://", replacement: "https://$1" }, url: "http://foo", method: "POST", status: 307, location: "https://foo/" },
    { desc: "www-redirect without port", options: www, url: "http://www.example.com/path", status: 301, location: "http://example.com/path" },
    { desc: "www-redirect with port", options: www, url: "http://www.example.com:8080/path", status: 301, location: "http://example.com:8080/path" },
    { desc: "www-redirect without port, root path", options: www, url: "http://www.example.com/", status: 301, location: "http://example.com/" },
    { desc: "www-redirect HTTPS without port", options: www, url: "https://www.example.com/path", status: 301, location: "https://example.com/path" },
    { desc: "HTTP to HTTP POST permanent", options: { regex: "^http://", replacement: "https://$1", permanent: true }, url: "http://foo", method: "POST", status: 308, location: "https://foo/" },
  ];
  it.each(cases)("$desc", (c) => expectRedirect("redirectRegex", c));

  it("without a Host header (the URL's host), a default port is not in the URL matched", async () => {
    // A Request made in the Worker (no Host header) has only its URL, which drops ":80".
    const res = await send(snapshot({ rr: { redirectRegex: { regex: "http://foo:80", replacement: "https://foo:443" } } }), "http://foo:80/");
    expect(res.status).toBe(200);
  });

  it("answers 502 for a rewritten URL Go cannot parse", async () => {
    const res = await send(snapshot({ rr: { redirectRegex: { regex: "^(.*)$", replacement: "http://192.168.0.%31/" } } }), "http://foo.com/");
    expect(res.status).toBe(502);
    expect(await res.text()).toBe("Bad Gateway");
  });

  it("passes the request on when the replacement gives the same URL", async () => {
    const res = await send(snapshot({ rr: { redirectRegex: { regex: "^(.*)$", replacement: "$1" } } }), "http://foo/x?y=1");
    expect(res.status).toBe(200);
    expect(((await res.json()) as Echo).url).toBe("/x?y=1");
  });

  it("does not read X-Forwarded-Proto: the scheme is the one the client used", async () => {
    const res = await send(snapshot({ rr: { redirectRegex: { regex: "^http://foo", replacement: "https://foo" } } }), "http://foo/", {
      headers: { "x-forwarded-proto": "https" },
      ...TRUSTED,
    });
    expect(res.status).toBe(302);
  });

  it("expands as Go: $1x is group \"1x\" (empty), ${1}x is group 1 then x", async () => {
    const snap = (replacement: string) => snapshot({ rr: { redirectRegex: { regex: String.raw`^https://x\.test/(\w+)$`, replacement } } });
    expect((await send(snap("https://y.test/$1x"), "https://x.test/abc")).headers.get("location")).toBe("https://y.test/");
    expect((await send(snap("https://y.test/${1}x"), "https://x.test/abc")).headers.get("location")).toBe("https://y.test/abcx");
    expect((await send(snap("https://y.test/${name}"), "https://x.test/abc")).headers.get("location")).toBe("https://y.test/");
  });

  it("writes the Location as Go's URL.String(): the path re-encoded, the query as it is", async () => {
    const res = await send(snapshot({ rr: { redirectRegex: { regex: "^https://x.test/.*", replacement: "https://y.test/a b?q=c d" } } }), "https://x.test/z");
    expect(res.headers.get("location")).toBe("https://y.test/a%20b?q=c d");
  });

  it("accepts a relative replacement", async () => {
    const res = await send(snapshot({ rr: { redirectRegex: { regex: "^https://x.test/old/(.*)", replacement: "/new/${1}" } } }), "https://x.test/old/page");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/new/page");
  });
});
