// VERSION_HEADER: every response but a 101 carries the version and router that served it, whether
// its headers can be edited in place (the proxy's copy of an upstream answer) or not (Response.redirect's).
import { env } from "cloudflare:test";
import { expect, inject, it } from "vitest";
import type { Snapshot } from "../../../worker/compile/snapshot.ts";
import type { Env } from "../../../worker/env.ts";
import { serve } from "../../../worker/serve.ts";
import type { RequestContext } from "../../../worker/services/types.ts";
import { snapshotOf } from "../helpers/serve.ts";

const upstream = inject("whoamiUrl");

function context(url: string): RequestContext {
  return { url: new URL(url), clientIP: "203.0.113.7", waitUntil: () => undefined, env: env as Env };
}

const snapshot = snapshotOf(
  {
    http: {
      routers: {
        proxied: { rule: "PathPrefix(`/p`)", service: "up" },
        moved: { rule: "PathPrefix(`/r`)", service: "up", middlewares: ["to-https"] },
      },
      services: { up: { loadBalancer: { servers: [{ url: upstream }] } } },
      middlewares: { "to-https": { redirectScheme: { scheme: "https", permanent: true } } },
    },
  },
  null,
  7,
);

it("tags a proxied response", async () => {
  const url = "http://v.test/p/x";
  const res = await serve(new Request(url), snapshot, context(url), { versionHeader: true });
  expect(res.status).toBe(200);
  expect(res.headers.get("x-switchyard-version")).toBe("7");
  expect(res.headers.get("x-switchyard-router")).toBe("proxied");
  await res.arrayBuffer();
});

it("tags a redirect the router made itself", async () => {
  const url = "http://v.test/r/x?q=1";
  const res = await serve(new Request(url), snapshot, context(url), { versionHeader: true });
  expect(res.status).toBe(301);
  expect(res.headers.get("location")).toBe("https://v.test/r/x?q=1");
  expect(res.headers.get("x-switchyard-version")).toBe("7");
  expect(res.headers.get("x-switchyard-router")).toBe("moved");
});

it("tags a response whose headers are immutable through a copy", async () => {
  const immutable = Response.redirect("https://elsewhere.test/", 302);
  expect(() => immutable.headers.set("x-probe", "1")).toThrow();
  // A snapshot reduced to what serve reads: one route whose handler answers that response.
  const fake = { meta: { version: 3 }, muxer: { match: () => ({ name: "fixed", handler: async () => immutable }) } } as unknown as Snapshot;
  const url = "http://v.test/";
  const res = await serve(new Request(url), fake, context(url), { versionHeader: true });
  expect(res.status).toBe(302);
  expect(res.headers.get("location")).toBe("https://elsewhere.test/");
  expect(res.headers.get("x-switchyard-version")).toBe("3");
  expect(res.headers.get("x-switchyard-router")).toBe("fixed");
});
