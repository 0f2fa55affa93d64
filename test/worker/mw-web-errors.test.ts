// errors: error pages from a service (whoami, or a second Worker through a service binding).
import { describe, expect, inject, it } from "vitest";
import { lb, send, snapshotOf, type Echo } from "./helpers/serve.ts";

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

  it("fills {url} with the query-escaped request target, as the middleware saw it", async () => {
    const snap = snapshot({ status: ["500"], query: "err?u={url}" }, { before: { strip: { stripPrefix: { prefixes: ["/api"] } } } });
    const res = await send(snap, "https://x.test/api/status/500?a=b c");
    expect(((await res.json()) as Echo).url).toBe("/err?u=%2Fstatus%2F500%3Fa%3Db%2520c");
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
