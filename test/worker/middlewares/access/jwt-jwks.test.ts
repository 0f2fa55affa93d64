// jwt with jwksUrl, in workerd against the loopback JWKS server (jwks-server.ts): fetches counted by
// the server under 1,000 requests, a key added by the issuer, a server that is down, and a JWK set
// served by a Worker behind a service binding (binding://).
import { describe, expect, inject, it } from "vitest";
import { jwt } from "../../../../worker/middlewares/jwt/index.ts";
import type { MiddlewareOptions } from "../../../../worker/schema/middlewares.ts";
import type { RequestContext } from "../../../../worker/services/types.ts";
import { behind, send } from "../../helpers/serve.ts";
import { pair, token } from "./jwt-tokens.ts";

const upstream = inject("whoamiUrl");
const jwksServer = inject("jwksUrl");
let seq = 0;

async function published(keys: unknown[], o: { maxAge?: number; status?: number } = {}, id = `w-${Date.now()}-${++seq}`) {
  const q = new URLSearchParams({ ...(o.maxAge === undefined ? {} : { maxAge: String(o.maxAge) }), status: String(o.status ?? 200) });
  const res = await fetch(`${jwksServer}/jwks/${id}?${q}`, { method: "PUT", body: JSON.stringify({ keys }) });
  expect(res.status).toBe(204);
  return {
    url: `${jwksServer}/jwks/${id}`,
    republish: (next: unknown[], p: { maxAge?: number; status?: number } = o) => published(next, p, id),
    fetches: async () => ((await (await fetch(`${jwksServer}/count/${id}`)).json()) as { fetches: number }).fetches,
  };
}

function get(snap: ReturnType<typeof behind>, jwt: string): Promise<Response> {
  return send(snap, "https://x.test/api", { headers: { authorization: `Bearer ${jwt}` } });
}

async function statuses(snap: ReturnType<typeof behind>, tokens: readonly string[], batch = 50): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < tokens.length; i += batch) {
    const answers = await Promise.all(tokens.slice(i, i + batch).map((t) => get(snap, t)));
    for (const res of answers) {
      out.push(res.status);
      await res.body?.cancel();
    }
  }
  return out;
}

describe("jwt: jwksUrl", () => {
  it("1,000 requests, half with a kid the set does not have: 2 fetches (the first, one unknown-kid refresh)", async () => {
    const key = await pair("ES256");
    const jwks = await published([{ ...key.jwk, kid: "k1" }], { maxAge: 300 });
    const snap = behind(upstream, { auth: { jwt: { jwksUrl: jwks.url } } });
    const good = await token("ES256", key.pkcs8, { kid: "k1" });
    const unknown = await token("ES256", key.pkcs8, { kid: "k-unknown" });
    const tokens = Array.from({ length: 1000 }, (_, i) => (i % 2 ? unknown : good));
    const seen = await statuses(snap, tokens);
    expect(seen.filter((s) => s === 200).length).toBe(500);
    expect(seen.filter((s) => s === 401).length).toBe(500);
    expect(await jwks.fetches()).toBe(2);
  });

  it("a key the issuer adds is picked up by the first token that names it", async () => {
    const old = await pair("ES256");
    const added = await pair("RS256");
    const jwks = await published([{ ...old.jwk, kid: "old" }], { maxAge: 300 });
    const snap = behind(upstream, { auth: { jwt: { jwksUrl: jwks.url } } });
    expect((await get(snap, await token("ES256", old.pkcs8, { kid: "old" }))).status).toBe(200);
    await jwks.republish([{ ...old.jwk, kid: "old" }, { ...added.jwk, kid: "new" }]);
    const fresh = await token("RS256", added.pkcs8, { kid: "new" });
    expect((await statuses(snap, Array(100).fill(fresh))).every((s) => s === 200)).toBe(true);
    expect((await get(snap, await token("ES256", old.pkcs8, { kid: "old" }))).status).toBe(200);
    expect(await jwks.fetches()).toBe(2);
  });

  it("a JWKS server that is down: 401, and one fetch for 200 requests (no fetch per request)", async () => {
    const key = await pair("ES256");
    const jwks = await published([], { status: 503 });
    const snap = behind(upstream, { auth: { jwt: { jwksUrl: jwks.url, clientConfig: { maxRetries: 0 } } } });
    const t = await token("ES256", key.pkcs8, { kid: "k1" });
    const seen = await statuses(snap, Array(200).fill(t));
    expect(seen.every((s) => s === 401)).toBe(true);
    expect(await jwks.fetches()).toBe(1);
  });

  it("retries a 5xx up to clientConfig.maxRetries times", async () => {
    const jwks = await published([], { status: 502 });
    const snap = behind(upstream, { auth: { jwt: { jwksUrl: jwks.url, clientConfig: { maxRetries: 2 } } } });
    const key = await pair("ES256");
    expect((await get(snap, await token("ES256", key.pkcs8))).status).toBe(401);
    expect(await jwks.fetches()).toBe(3);
  });

  it("fetches the set from a service binding (binding://NAME/path), through rc.env", async () => {
    const key = await pair("EdDSA");
    const asked: string[] = [];
    const KEYS = {
      fetch: async (input: RequestInfo | URL) => {
        asked.push(String(input instanceof Request ? input.url : input));
        return Response.json({ keys: [{ ...key.jwk, kid: "b1" }] }, { headers: { "cache-control": "max-age=600" } });
      },
    };
    const options = { jwksUrl: `binding://KEYS/.well-known/jwks-${++seq}.json`, clockSkew: "0s", clientConfig: { timeoutSeconds: 5, maxRetries: 0 } } as MiddlewareOptions<"jwt">;
    const middleware = jwt(options, { name: "auth", router: "r", service: () => null });
    if (typeof middleware === "string") throw new Error(middleware);
    const handler = middleware(async (request) => new Response(request.headers.has("authorization") ? "kept" : "stripped"));
    const rc = { url: new URL("https://x.test/"), clientIP: null, waitUntil: () => {}, env: { KEYS } } as unknown as RequestContext;
    const t = await token("EdDSA", key.pkcs8, { kid: "b1" });
    for (let i = 0; i < 10; i++) {
      const res = await handler(new Request("https://x.test/", { headers: { authorization: `Bearer ${t}` } }), rc);
      expect(await res.text()).toBe("stripped");
    }
    expect(asked).toEqual([`https://KEYS/.well-known/jwks-${seq}.json`]);
    const missing = { ...rc, env: {} } as RequestContext;
    const other = jwt({ ...options, jwksUrl: "binding://NOPE/jwks" }, { name: "auth", router: "r", service: () => null });
    if (typeof other === "string") throw new Error(other);
    expect((await other(async () => new Response("x"))(new Request("https://x.test/", { headers: { authorization: `Bearer ${t}` } }), missing)).status).toBe(401);
  });
});
