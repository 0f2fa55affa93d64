import { describe, expect, inject, it } from "vitest";
import { compileSnapshot } from "../../../worker/compile/snapshot.ts";
import { validateConfig } from "../../../worker/config/index.ts";
import { lb, send, snapshotOf, type Echo } from "../helpers/serve.ts";

const upstream = inject("whoamiUrl");

function withMiddlewares(router: string[], middlewares: Record<string, unknown>) {
  return {
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: router } },
      services: { s: lb(upstream) },
      middlewares,
    },
  };
}

async function echo(config: unknown, path: string): Promise<Echo> {
  return (await (await send(snapshotOf(config), `https://x.test${path}`)).json()) as Echo;
}

describe("middleware chains", () => {
  it("apply in the router's listed order: the first listed runs first", async () => {
    const mws = { strip: { stripPrefix: { prefixes: ["/api"] } }, add: { addPrefix: { prefix: "/v2" } } };
    expect((await echo(withMiddlewares(["strip", "add"], mws), "/api/users?x=1")).url).toBe("/v2/users?x=1");
    expect((await echo(withMiddlewares(["add", "strip"], mws), "/api/users")).url).toBe("/v2/api/users");
  });

  it("expand chain middlewares in place, nested, with @provider references", async () => {
    const mws = {
      strip: { stripPrefix: { prefixes: ["/api"] } },
      add: { addPrefix: { prefix: "/v2" } },
      inner: { chain: { middlewares: ["strip@file"] } },
      outer: { chain: { middlewares: ["inner", "add@kv"] } },
    };
    const e = await echo(withMiddlewares(["outer"], mws), "/api/x");
    expect(e.url).toBe("/v2/x");
    expect(e.headers["x-forwarded-prefix"]).toBe("/api");
  });

  it("stripPrefix as Traefik: literal prefix, leading slash kept, X-Forwarded-Prefix set, no match passes through", async () => {
    const mws = { strip: { stripPrefix: { prefixes: ["/foo", "/bar/"] } } };
    const cfg = withMiddlewares(["strip"], mws);
    expect((await echo(cfg, "/foobar")).url).toBe("/bar");
    expect((await echo(cfg, "/foo")).url).toBe("/");
    expect((await echo(cfg, "/bar/baz")).url).toBe("/baz");
    const none = await echo(cfg, "/other");
    expect(none.url).toBe("/other");
    expect(none.headers["x-forwarded-prefix"]).toBeUndefined();
  });

  it("a request body survives a path rewrite", async () => {
    const snap = snapshotOf(withMiddlewares(["add"], { add: { addPrefix: { prefix: "/p" } } }));
    const res = await send(snap, "https://x.test/upload", { method: "POST", body: "x".repeat(100_000) });
    expect(((await res.json()) as Echo).bodyBytes).toBe(100_000);
  });

  it("a middleware type this build lacks refuses the config, naming the middleware's path", () => {
    const valid = validateConfig(withMiddlewares(["g"], { g: { grpcWeb: { allowOrigins: ["*"] } } }));
    if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
    const compiled = compileSnapshot(valid.config, { version: 1, sha256: "", source: "t", provider: "file", warnings: [] }, null);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.errors[0]!.path).toBe("http.middlewares.g.grpcWeb");
  });
});
