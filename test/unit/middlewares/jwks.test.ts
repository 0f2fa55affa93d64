// The JWKS cache (worker/middlewares/auth/jwks.ts) against a real JWKS server on loopback, with a
// clock the test moves: Cache-Control bounds, single flight, the unknown-kid cooldown, stale keys
// while the server fails, and a rotation (a key added, a key removed) seen by jose's verification.
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientGet } from "../../../worker/middlewares/auth/client.ts";
import { JWKS_COOLDOWN_MS, JWKS_TTL_DEFAULT_MS, JWKS_TTL_MAX_MS, JWKS_TTL_MIN_MS, jwksTtlMs, RemoteJwks } from "../../../worker/middlewares/auth/jwks.ts";
import type { RequestContext } from "../../../worker/services/types.ts";
import { startJwksServer, type JwksServer } from "../../worker/middlewares/access/jwks-server.ts";

let server: JwksServer;
beforeAll(async () => {
  server = await startJwksServer();
});
afterAll(() => server.close());

const rc = { env: {} } as unknown as RequestContext;
let seq = 0;

async function keyPair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid } as JWK };
}

/** A fresh key set on the server, a cache of it with a clock the test moves, and its fetch count. */
async function setup(keys: JWK[], maxAge: number | null = 120) {
  const id = `unit-${process.pid}-${++seq}`;
  const put = async (set: JWK[], o: { maxAge?: number | null; status?: number } = {}) => {
    const age = o.maxAge === undefined ? maxAge : o.maxAge;
    const q = new URLSearchParams({ ...(age === null ? {} : { maxAge: String(age) }), status: String(o.status ?? 200) });
    const res = await fetch(`${server.url}/jwks/${id}?${q}`, { method: "PUT", body: JSON.stringify({ keys: set }) });
    expect(res.status).toBe(204);
  };
  await put(keys);
  const clock = { t: 1_000_000 };
  const jwks = new RemoteJwks(id, () => clock.t);
  const get = clientGet(`${server.url}/jwks/${id}`, { timeoutSeconds: 2, maxRetries: 0 });
  const fetcher = () => get(rc);
  const served = async () => ((await (await fetch(`${server.url}/count/${id}`)).json()) as { fetches: number }).fetches;
  return { jwks, fetcher, clock, put, served };
}

async function sign(key: Awaited<ReturnType<typeof keyPair>>): Promise<string> {
  return new SignJWT({ sub: "a" }).setProtectedHeader({ alg: "ES256", kid: key.kid }).setExpirationTime("5m").sign(key.privateKey);
}

describe("JWKS lifetime from Cache-Control", () => {
  it("max-age (or s-maxage) within [1 min, 24 h]; none: 10 min; no-store/no-cache: the minimum", () => {
    expect(jwksTtlMs("public, max-age=120")).toBe(120_000);
    expect(jwksTtlMs("s-maxage=300")).toBe(300_000);
    expect(jwksTtlMs("max-age=5")).toBe(JWKS_TTL_MIN_MS);
    expect(jwksTtlMs("max-age=999999999")).toBe(JWKS_TTL_MAX_MS);
    expect(jwksTtlMs(null)).toBe(JWKS_TTL_DEFAULT_MS);
    expect(jwksTtlMs("no-store")).toBe(JWKS_TTL_MIN_MS);
    expect(jwksTtlMs("private, no-cache")).toBe(JWKS_TTL_MIN_MS);
  });

  it("keeps the set for max-age, then fetches again", async () => {
    const k = await keyPair("k1");
    const s = await setup([k.jwk], 120);
    const first = await s.jwks.keys(s.fetcher);
    s.clock.t += 119_000;
    expect(await s.jwks.keys(s.fetcher)).toBe(first);
    expect(await s.served()).toBe(1);
    s.clock.t += 2_000;
    expect(await s.jwks.keys(s.fetcher)).not.toBe(first);
    expect(await s.served()).toBe(2);
  });
});

describe("JWKS fetches", () => {
  it("concurrent requests on a cold cache share one fetch", async () => {
    const s = await setup([(await keyPair("k1")).jwk]);
    const sets = await Promise.all(Array.from({ length: 50 }, () => s.jwks.keys(s.fetcher)));
    expect(new Set(sets).size).toBe(1);
    expect(await s.served()).toBe(1);
  });

  it("an unknown kid refreshes at most once per cooldown, however many requests ask", async () => {
    const s = await setup([(await keyPair("k1")).jwk]);
    const set = await s.jwks.keys(s.fetcher);
    const asks = await Promise.all(Array.from({ length: 1000 }, () => s.jwks.refreshForUnknownKid(s.fetcher, set)));
    expect(await s.served()).toBe(2);
    const newer = asks[0];
    expect(newer).not.toBeNull();
    expect(asks.every((a) => a === newer)).toBe(true);
    // Within the cooldown: nothing newer, no fetch.
    s.clock.t += JWKS_COOLDOWN_MS - 1;
    expect(await s.jwks.refreshForUnknownKid(s.fetcher, newer!)).toBeNull();
    expect(await s.served()).toBe(2);
    s.clock.t += 1;
    expect(await s.jwks.refreshForUnknownKid(s.fetcher, newer!)).not.toBeNull();
    expect(await s.served()).toBe(3);
  });

  it("serves the keys from before while the server fails, retrying once per cooldown", async () => {
    const k = await keyPair("k1");
    const s = await setup([k.jwk], 60);
    const set = await s.jwks.keys(s.fetcher);
    await s.put([], { status: 503 });
    s.clock.t += 61_000;
    expect(await s.jwks.keys(s.fetcher)).toBe(set);
    for (let i = 0; i < 100; i++) expect(await s.jwks.keys(s.fetcher)).toBe(set);
    expect(await s.jwks.refreshForUnknownKid(s.fetcher, set)).toBeNull();
    expect(await s.served()).toBe(2);
    await jwtVerify(await sign(k), set, { algorithms: ["ES256"] });
    s.clock.t += JWKS_COOLDOWN_MS;
    await s.put([k.jwk]);
    expect(await s.jwks.keys(s.fetcher)).not.toBe(set);
    expect(await s.served()).toBe(3);
  });

  it("no keys yet and the server down: refused, and not asked again before the cooldown", async () => {
    const s = await setup([]);
    await s.put([], { status: 500 });
    await expect(s.jwks.keys(s.fetcher)).rejects.toThrow(/not available: answered 500/);
    await expect(s.jwks.keys(s.fetcher)).rejects.toThrow(/not available/);
    expect(await s.served()).toBe(1);
    s.clock.t += JWKS_COOLDOWN_MS;
    await s.put([(await keyPair("k1")).jwk]);
    await s.jwks.keys(s.fetcher);
    expect(await s.served()).toBe(2);
  });
});

describe("JWKS rotation seen by verification", () => {
  it("a key added is found through the unknown-kid refresh; a key removed stops verifying once the set expires", async () => {
    const old = await keyPair("old");
    const added = await keyPair("new");
    const s = await setup([old.jwk], 120);
    const set = await s.jwks.keys(s.fetcher);
    await jwtVerify(await sign(old), set, { algorithms: ["ES256"] });
    await s.put([old.jwk, added.jwk]);
    const newToken = await sign(added);
    await expect(jwtVerify(newToken, set, { algorithms: ["ES256"] })).rejects.toThrow(/no applicable key/);
    const newer = await s.jwks.refreshForUnknownKid(s.fetcher, set);
    await jwtVerify(newToken, newer!, { algorithms: ["ES256"] });
    // The issuer retires the old key: this isolate stops accepting it when its copy expires.
    await s.put([added.jwk]);
    await jwtVerify(await sign(old), await s.jwks.keys(s.fetcher), { algorithms: ["ES256"] });
    s.clock.t += 121_000;
    const current = await s.jwks.keys(s.fetcher);
    await expect(jwtVerify(await sign(old), current, { algorithms: ["ES256"] })).rejects.toThrow(/no applicable key/);
    await jwtVerify(newToken, current, { algorithms: ["ES256"] });
    expect(await s.served()).toBe(3);
  });
});
