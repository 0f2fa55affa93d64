// errors: error pages from a service (whoami, or a second Worker through a service binding).
import { describe, expect, inject, it } from "vitest";
import { lb, send, snapshotOf, type Echo } from "../../helpers/serve.ts";

const upstream = inject("whoamiUrl");

function snapshot(errors: Record<string, unknown>, options: { server?: string; pages?: string; before?: Record<string, unknown> } = {}) {
  const middlewares = { ...options.before, e: { errors: { service: "pages", ...errors } } };
  return snapshotOf({
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: Object.keys(middlewares) } },
      services: { s: lb(options.server ?? upstream), pages: lb(options.pages ?? upstream) },
      middlewares,
    },
  });
}

describe("errors", () => {
  it("serves the page for a caught status, with that status", async () => {
    const res = await send(snapshot({ status: ["500-599"], query: "/{status}.html" }), "https://x.test/status/503");
    expect(res.status).toBe(503);
    const page = (await res.json()) as Echo;
    expect(page.url).toBe("/503.html");
    expect(page.method).toBe("GET");
    expect(res.headers.get("content-type")).toBe("application/json"); // the page's own headers
  });

  it.each([
    [["500"], 500, true],
    [["500"], 501, false],
    [["404,418", "500-599"], 418, true],
    [["404,418", "500-599"], 404, true],
    [["404,418", "500-599"], 403, false],
    [["400-499"], 200, false],
  ])("status %j catches %i: %s", async (status, code, caught) => {
    const res = await send(snapshot({ status, query: "/page" }), `https://x.test/status/${code}`);
    expect(res.status).toBe(code);
    if (caught) expect(((await res.json()) as Echo).url).toBe("/page");
    else expect(await res.text()).toBe(code === 200 ? "status 200\n" : `status ${code}\n`);
  });

  it("rewrites statuses with statusRewrites; {originalStatus} is the upstream's", async () => {
    const snap = snapshot({ status: ["400-599"], statusRewrites: { "418": 404, "502-504": 500 }, query: "/{status}/{originalStatus}" });
    const teapot = await send(snap, "https://x.test/status/418");
    expect(teapot.status).toBe(404);
    expect(((await teapot.json()) as Echo).url).toBe("/404/418");
    const gateway = await send(snap, "https://x.test/status/503");
    expect(gateway.status).toBe(500);
    expect(((await gateway.json()) as Echo).url).toBe("/500/503");
    const other = await send(snap, "https://x.test/status/410");
    expect(other.status).toBe(410);
    expect(((await other.json()) as Echo).url).toBe("/410/410");
  });

  it("fills {url} with the query-escaped full URL (Traefik v3.5.2+), its path as the middleware saw it", async () => {
    const snap = snapshot({ status: ["500"], query: "err?u={url}" }, { before: { strip: { stripPrefix: { prefixes: ["/api"] } } } });
    const res = await send(snap, "https://x.test/api/status/500?a=b c");
    expect(((await res.json()) as Echo).url).toBe("/err?u=https%3A%2F%2Fx.test%2Fstatus%2F500%3Fa%3Db%2520c");
  });

  it("{url} keeps the port of the Host header, and a Host set by customRequestHeaders", async () => {
    const res = await send(snapshot({ status: ["500"], query: "/?u={url}" }), "http://x.test:80/status/500", { headers: { host: "x.test:80" } });
    expect(((await res.json()) as Echo).url).toBe("/?u=http%3A%2F%2Fx.test%3A80%2Fstatus%2F500");
    const host = { h: { headers: { customRequestHeaders: { Host: "other.test:8080" } } } };
    const moved = await send(snapshot({ status: ["500"], query: "/?u={url}" }, { before: host }), "http://x.test/status/500", { headers: { host: "x.test" } });
    expect(((await moved.json()) as Echo).url).toBe("/?u=http%3A%2F%2Fother.test%3A8080%2Fstatus%2F500");
  });

  it("{url} of a path a rewrite left empty has no slash, as Go's URL.String()", async () => {
    // stripPrefix /status/500 of /status/500 leaves Path "" (sent upstream as "/").
    const mws = { strip: { stripPrefix: { prefixes: ["/status/500"] } }, back: { addPrefix: { prefix: "/status/500" } } };
    const snap = snapshotOf({
      http: {
        routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["strip", "e", "back"] } },
        services: { s: lb(upstream), pages: lb(upstream) },
        middlewares: { ...mws, e: { errors: { service: "pages", status: ["500"], query: "/?u={url}" } } },
      },
    });
    const res = await send(snap, "https://x.test/status/500?q=1");
    expect(((await res.json()) as Echo).url).toBe("/?u=https%3A%2F%2Fx.test%3Fq%3D1");
  });

  it("asks for / when there is no query", async () => {
    const res = await send(snapshot({ status: ["500"] }), "https://x.test/status/500");
    expect(((await res.json()) as Echo).url).toBe("/");
  });

  it("passes the request's headers to the page, or only errorRequestHeaders; never the body", async () => {
    const init = { method: "POST", body: "payload", headers: { "x-keep": "1", "x-drop": "2" } };
    const all = (await (await send(snapshot({ status: ["500"] }), "https://x.test/status/500", init)).json()) as Echo;
    expect(all.headers["x-keep"]).toBe("1");
    expect(all.headers["x-drop"]).toBe("2");
    expect(all.method).toBe("GET");
    expect(all.bodyBytes).toBe(0);
    const some = (await (await send(snapshot({ status: ["500"], errorRequestHeaders: ["X-Keep"] }), "https://x.test/status/500", init)).json()) as Echo;
    expect(some.headers["x-keep"]).toBe("1");
    expect(some.headers["x-drop"]).toBeUndefined();
  });

  it("catches the transport's own 502 for an unreachable server", async () => {
    const res = await send(snapshot({ status: ["502"], query: "/down" }, { server: "http://127.0.0.1:1" }), "https://x.test/");
    expect(res.status).toBe(502);
    expect(((await res.json()) as Echo).url).toBe("/down");
  });

  it("gets pages from a second Worker through a service binding", async () => {
    const res = await send(snapshot({ status: ["500"], query: "/oops/{status}" }, { pages: "binding://ECHO" }), "https://x.test/status/500");
    expect(res.status).toBe(500);
    const page = (await res.json()) as { name: string; url: string };
    expect(page).toMatchObject({ name: "echo-worker", url: "/oops/500" });
  });

  it("sends no body for a status that cannot have one", async () => {
    const res = await send(snapshot({ status: ["500"], statusRewrites: { "500": 204 } }), "https://x.test/status/500");
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
  });

  it("answers the status text when the page URL is not valid", async () => {
    const res = await send(snapshot({ status: ["500"], query: "/%zz" }), "https://x.test/status/500");
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("Internal Server Error\n");
  });
});

// traefik pkg/middlewares/customerrors/custom_errors_test.go TestHandler, through the router: the
// failing service is the whoami upstream's /status/{code} (Go's test uses a handler on /test).
describe("errors: traefik custom_errors_test.go TestHandler", () => {
  const ranges = ["500-501", "503-599"];
  it.each([
    ["no error", 200, 200, false],
    ["no error, but not a 200", 206, 206, false],
    ["in the range", 500, 500, true],
    ["not in the range", 502, 502, false],
  ])("%s", async (_desc, code, status, caught) => {
    const res = await send(snapshot({ status: ranges, query: "/test" }), `https://x.test/status/${code}`);
    expect(res.status).toBe(status);
    if (caught) expect(((await res.json()) as Echo).url).toBe("/test");
    else expect(await res.text()).toBe(`status ${code}\n`);
  });

  it("a 304, so no Write called", async () => {
    const res = await send(snapshot({ status: ranges, query: "/test" }), "https://x.test/status/304");
    expect(res.status).toBe(304);
    expect(await res.text()).toBe("");
  });

  it.each([
    ["query replacement", ["503-503"]],
    ["single code and query replacement", ["503"]],
  ])("%s", async (_desc, status) => {
    const res = await send(snapshot({ status, query: "/{status}" }), "https://x.test/status/503");
    expect(res.status).toBe(503);
    expect(((await res.json()) as Echo).url).toBe("/503");
  });

  it("forward request host header", async () => {
    // Workers difference: fetch() sends the page service's own Host; the request's host travels
    // as X-Forwarded-Host (docs/services.md), where Traefik's page request carries Host itself.
    const res = await send(snapshot({ status: ["503"], query: "/test" }), "http://localhost/status/503");
    expect(res.status).toBe(503);
    expect(((await res.json()) as Echo).headers["x-forwarded-host"]).toBe("localhost");
  });

  it("full query replacement", async () => {
    const res = await send(snapshot({ status: ["503"], query: "/?status={status}&url={url}" }), "http://localhost/status/503?foo=bar&baz=buz");
    expect(res.status).toBe(503);
    expect(((await res.json()) as Echo).url).toBe("/?status=503&url=http%3A%2F%2Flocalhost%2Fstatus%2F503%3Ffoo%3Dbar%26baz%3Dbuz");
  });

  const secrets = { "X-Request-Id": "trace-abc", Authorization: "Bearer secret" };
  it.each([
    ["forward all headers by default", undefined, "trace-abc", "Bearer secret"],
    ["forward only allowlisted headers", ["X-Request-Id"], "trace-abc", undefined],
    ["forward no headers", [], undefined, undefined],
  ])("%s", async (_desc, errorRequestHeaders, requestId, authorization) => {
    const res = await send(snapshot({ status: ["503"], query: "/test", errorRequestHeaders }), "https://x.test/status/503", { headers: secrets });
    const page = (await res.json()) as Echo;
    expect(page.headers["x-request-id"]).toBe(requestId);
    expect(page.headers.authorization).toBe(authorization);
  });

  it("non-nginx: code modifier enforces original error code", async () => {
    const res = await send(snapshot({ status: ["500-599"], query: "/test" }), "https://x.test/status/500");
    expect(res.status).toBe(500); // the page service answered 200
    expect(((await res.json()) as Echo).url).toBe("/test");
  });

  // "nginx headers: backend status code preserved" and "nginx headers: X-Code and nginx headers
  // forwarded" use NginxHeaders, which only Traefik's IngressNGINX provider sets (file:"-"): it is
  // not a dynamic-configuration field, so Switchyard refuses it as an unknown option.
  it("nginx headers: not a dynamic-configuration option", () => {
    expect(() => snapshot({ status: ["500-599"], nginxHeaders: { "X-Namespaces": ["default"] } })).toThrow(/nginxHeaders/);
  });
  // Test1xxResponses is not ported: fetch() never hands a Worker the 1xx interim responses.
});
