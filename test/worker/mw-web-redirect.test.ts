// redirectScheme and redirectRegex: Traefik's redirect tables, through the router.
import { describe, expect, inject, it } from "vitest";
import { behind, type Echo, send } from "./helpers/serve.ts";

const upstream = inject("whoamiUrl");

const snapshot = (middlewares: Record<string, unknown>) => behind(upstream, middlewares);

// X-Forwarded-Proto only counts from a trusted client, as at Traefik's entry point.
const TRUSTED = { clientIP: "203.0.113.7", trusted: "203.0.113.0/24" };

describe("redirectScheme (Traefik's redirect_scheme_test table)", () => {
  it.each([
    [{ scheme: "https" }, "http://foo/", {}, 302, "https://foo/"],
    [{ scheme: "https" }, "http://foo/", { "x-forwarded-proto": "http" }, 302, "https://foo/"],
    [{ scheme: "https" }, "http://foo/", { "x-forwarded-proto": "https" }, 200, null],
    [{ scheme: "https" }, "http://foo/", { "x-forwarded-proto": "bar" }, 302, "https://foo/"],
    [{ scheme: "https" }, "http://foo/", { "x-forwarded-proto": "ws" }, 302, "https://foo/"],
    [{ scheme: "https" }, "http://foo/", { "x-forwarded-proto": "wss" }, 200, null],
    [{ scheme: "https" }, "http://foo:8080/", {}, 302, "https://foo/"],
    [{ scheme: "https", port: "8443" }, "http://foo/", {}, 302, "https://foo:8443/"],
    [{ scheme: "https", port: "8443" }, "http://foo:8000/", {}, 302, "https://foo:8443/"],
    [{ scheme: "https", port: "8443" }, "https://foo:8000/", {}, 302, "https://foo:8443/"],
    [{ scheme: "https" }, "https://foo:8000/", {}, 302, "https://foo/"],
    [{ scheme: "https" }, "https://foo:8000/theother", {}, 302, "https://foo/theother"],
    [{ scheme: "https", port: "8443", permanent: true }, "http://foo/", {}, 301, "https://foo:8443/"],
    [{ scheme: "http", port: "80" }, "http://foo:80/", {}, 200, null],
    [{ scheme: "https", port: 443 }, "https://foo:443/", {}, 200, null],
    [{ scheme: "https" }, "http://foo:443/", {}, 302, "https://foo/"],
    [{ scheme: "http", port: "8181" }, "http://foo:8080/", {}, 302, "http://foo:8181/"],
    [{ scheme: "https" }, "https://foo:80/", {}, 302, "https://foo/"],
    [{ scheme: "https" }, "http://[::1]/", {}, 302, "https://[::1]/"],
    [{ scheme: "https", port: "8443" }, "http://[::1]/", {}, 302, "https://[::1]:8443/"],
    [{ scheme: "https" }, "http://[::1]:80/", {}, 302, "https://[::1]/"],
    [{ scheme: "https", port: "8443" }, "http://[::1]:80/", {}, 302, "https://[::1]:8443/"],
    [{ scheme: "https" }, "http://foo/a/b?c=d&e=%20", {}, 302, "https://foo/a/b?c=d&e=%20"],
  ])("%j: %s %j → %i %s", async (options, url, headers, status, location) => {
    const res = await send(snapshot({ rs: { redirectScheme: options } }), url, { headers, ...TRUSTED });
    expect(res.status).toBe(status);
    expect(res.headers.get("location")).toBe(location);
    if (status === 200) expect(((await res.json()) as Echo).name).toBe("test-whoami");
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

describe("redirectRegex (Traefik's redirect_regex_test table)", () => {
  it.each([
    // Traefik's case writes http://foo.com:80; a URL parser drops a default port, so 8080 here.
    [String.raw`^(?:http?:\/\/)(foo)(\.com)(:\d+)(.*)$`, "https://${1}bar$2:443$4", false, "GET", "http://foo.com:8080/", 302, "https://foobar.com:443/"],
    [String.raw`^(?:http?:\/\/)(foo)(\.com)(:\d+)(.*)$`, "https://${1}bar$2:443$4", false, "GET", "http://bar.com:8080/", 200, null],
    ["^http://", "https://$1", true, "GET", "http://foo/", 301, "https://foo/"],
    ["https://foo", "http://foo", true, "GET", "https://foo/", 301, "http://foo/"],
    ["http://foo:8080", "https://foo:443", false, "GET", "http://foo:8080/", 302, "https://foo:443/"],
    ["https://foo:8443", "http://foo:80", false, "GET", "https://foo:8443/", 302, "http://foo:80/"],
    ["http://foo:8080", "http://foo:88", false, "GET", "http://foo:8080/", 302, "http://foo:88/"],
    ["^http://", "https://$1", false, "POST", "http://foo/", 307, "https://foo/"],
    ["^http://", "https://$1", true, "POST", "http://foo/", 308, "https://foo/"],
  ])("%s → %s (permanent %s) %s %s → %i %s", async (regex, replacement, permanent, method, url, status, location) => {
    const body = method === "POST" ? "x" : undefined;
    const res = await send(snapshot({ rr: { redirectRegex: { regex, replacement, permanent } } }), url, { method, body });
    expect(res.status).toBe(status);
    expect(res.headers.get("location")).toBe(location);
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
