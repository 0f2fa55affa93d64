// jwt: tokens made here with jose for every algorithm, against the real whoami upstream; the
// refusals (expired, not yet valid, tampered, `alg: none`, algorithm confusion), claims, headers,
// token sources, and validation with JSON paths.
import { exportJWK, generateSecret } from "jose";
import { describe, expect, inject, it } from "vitest";
import { validateConfig } from "../../../../worker/config/index.ts";
import { jwt } from "../../../../worker/middlewares/jwt/index.ts";
import type { MiddlewareOptions } from "../../../../worker/schema/middlewares.ts";
import type { RequestContext, RequestObservation } from "../../../../worker/services/types.ts";
import { behind, send, type Echo } from "../../helpers/serve.ts";
import { KEY_OF, now, pair, token, unsigned } from "./jwt-tokens.ts";

const upstream = inject("whoamiUrl");
const SECRET = "a-signing-secret-of-at-least-32-bytes!";
const SECRET_BYTES = new TextEncoder().encode(SECRET);

function mw(options: Record<string, unknown>) {
  return behind(upstream, { auth: { jwt: options } });
}

function get(snap: ReturnType<typeof mw>, jwt?: string, init: RequestInit & { path?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (jwt) headers.set("authorization", `Bearer ${jwt}`);
  return send(snap, `https://x.test${init.path ?? "/private"}`, { ...init, headers });
}

async function echo(res: Response): Promise<Echo> {
  expect(res.status).toBe(200);
  return (await res.json()) as Echo;
}

const header = (e: Echo, name: string) => e.headers[name] ?? e.headers[name.toLowerCase()];

function challenge(res: Response): string | null {
  return res.headers.get("www-authenticate");
}

describe("jwt: every algorithm", () => {
  for (const alg of ["HS256", "HS384", "HS512"]) {
    it(`${alg} with signingSecret (and signingSecretBase64Encoded)`, async () => {
      const t = await token(alg, SECRET_BYTES);
      expect((await get(mw({ signingSecret: SECRET }), t)).status).toBe(200);
      expect((await get(mw({ signingSecret: btoa(SECRET), signingSecretBase64Encoded: true }), t)).status).toBe(200);
      expect((await get(mw({ signingSecret: `${SECRET}x` }), t)).status).toBe(401);
    });
  }
  for (const alg of Object.keys(KEY_OF)) {
    it(`${alg} with publicKey (PEM) and with jwksFile`, async () => {
      const key = await pair(KEY_OF[alg]!);
      const other = await pair(KEY_OF[alg]!, "other");
      const t = await token(alg, key.pkcs8, { kid: "k1" });
      expect((await get(mw({ publicKey: key.spki }), t)).status).toBe(200);
      expect((await get(mw({ publicKey: other.spki }), t)).status).toBe(401);
      const jwks = JSON.stringify({ keys: [{ ...other.jwk, kid: "k0" }, { ...key.jwk, kid: "k1" }] });
      expect((await get(mw({ jwksFile: jwks }), t)).status).toBe(200);
      const unknownKid = await token(alg, key.pkcs8, { kid: "k9" });
      expect((await get(mw({ jwksFile: jwks }), unknownKid)).status).toBe(401);
    });
  }
});

describe("jwt: JWK sets", () => {
  it("a token without kid is tried against each key of its type; none verifying is 401", async () => {
    const [a, b, c] = await Promise.all([pair("ES256", "a"), pair("ES256", "b"), pair("ES256", "c")]);
    const snap = mw({ jwksFile: JSON.stringify({ keys: [a.jwk, b.jwk] }) });
    expect((await get(snap, await token("ES256", b.pkcs8))).status).toBe(200);
    expect((await get(snap, await token("ES256", a.pkcs8))).status).toBe(200);
    expect((await get(snap, await token("ES256", c.pkcs8))).status).toBe(401);
  });

  it("honours a JWK's alg and use: a key for ES384 or for encryption does not verify ES256", async () => {
    const k = await pair("ES256");
    const t = await token("ES256", k.pkcs8, { kid: "k" });
    expect((await get(mw({ jwksFile: JSON.stringify({ keys: [{ ...k.jwk, kid: "k", use: "enc" }] }) }), t)).status).toBe(401);
    expect((await get(mw({ jwksFile: JSON.stringify({ keys: [{ ...k.jwk, kid: "k", alg: "ES384" }] }) }), t)).status).toBe(401);
    expect((await get(mw({ jwksFile: JSON.stringify({ keys: [{ ...k.jwk, kid: "k", alg: "ES256", use: "sig" }] }) }), t)).status).toBe(200);
  });
});

describe("jwt: refusals", () => {
  it("no token: 401 with a bare Bearer challenge (RFC 6750 3.1), never reaching the upstream", async () => {
    const res = await get(mw({ signingSecret: SECRET }));
    expect(res.status).toBe(401);
    expect(challenge(res)).toBe("Bearer");
    const basic = await get(mw({ signingSecret: SECRET }), undefined, { headers: { authorization: "Basic YTpi" } });
    expect(challenge(basic)).toBe("Bearer");
  });

  it("expired, not yet valid, issued in the future: 401 invalid_token naming only the category", async () => {
    const snap = mw({ signingSecret: SECRET });
    const expired = await token("HS256", SECRET_BYTES, { claims: { exp: now() - 10 } });
    const res = await get(snap, expired);
    expect(res.status).toBe(401);
    expect(challenge(res)).toBe('Bearer error="invalid_token", error_description="The access token expired"');
    const early = await token("HS256", SECRET_BYTES, { claims: { nbf: now() + 60 } });
    expect(challenge(await get(snap, early))).toBe('Bearer error="invalid_token", error_description="The access token is not valid yet"');
    const future = await token("HS256", SECRET_BYTES, { claims: { iat: now() + 60 } });
    expect(challenge(await get(snap, future))).toBe('Bearer error="invalid_token", error_description="The access token is not valid yet"');
  });

  it("clockSkew lets a token a few seconds past exp or before nbf through, not more", async () => {
    const snap = mw({ signingSecret: SECRET, clockSkew: "30s" });
    expect((await get(snap, await token("HS256", SECRET_BYTES, { claims: { exp: now() - 10 } }))).status).toBe(200);
    expect((await get(snap, await token("HS256", SECRET_BYTES, { claims: { nbf: now() + 10, iat: now() + 10 } }))).status).toBe(200);
    expect((await get(snap, await token("HS256", SECRET_BYTES, { claims: { exp: now() - 60 } }))).status).toBe(401);
  });

  it("a tampered payload or signature, garbage, an empty Bearer: 401", async () => {
    const key = await pair("ES256");
    const snap = mw({ publicKey: key.spki });
    const t = await token("ES256", key.pkcs8);
    const [h, p, s] = t.split(".") as [string, string, string];
    const forged = btoa(JSON.stringify({ sub: "admin", exp: now() + 300 })).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    expect(challenge(await get(snap, `${h}.${forged}.${s}`))).toBe('Bearer error="invalid_token", error_description="The access token could not be verified"');
    expect((await get(snap, `${h}.${p}.${s.slice(0, -4)}AAAA`)).status).toBe(401);
    expect(challenge(await get(snap, "not.a.jwt"))).toMatch(/invalid_token/);
    expect(challenge(await get(snap, undefined, { headers: { authorization: "Bearer " } }))).toBe('Bearer error="invalid_token", error_description="The access token is malformed"');
  });

  it("alg none is refused by every key source", async () => {
    const key = await pair("RS256");
    for (const options of [{ signingSecret: SECRET }, { publicKey: key.spki }, { jwksFile: JSON.stringify({ keys: [key.jwk] }) }]) {
      const res = await get(mw(options), unsigned());
      expect(res.status).toBe(401);
      expect(challenge(res)).toMatch(/invalid_token/);
    }
  });

  it("algorithm confusion: an HS256 token keyed with the RSA public key (PEM or JWK) is refused", async () => {
    const key = await pair("RS256");
    const pemAsSecret = await token("HS256", new TextEncoder().encode(key.spki));
    expect((await get(mw({ publicKey: key.spki }), pemAsSecret)).status).toBe(401);
    const jwkAsSecret = await token("HS256", new TextEncoder().encode(JSON.stringify(key.jwk)));
    expect((await get(mw({ jwksFile: JSON.stringify({ keys: [key.jwk] }) }), jwkAsSecret)).status).toBe(401);
    // ... and an RS256 token is not checked against a shared secret either.
    expect((await get(mw({ signingSecret: SECRET }), await token("RS256", key.pkcs8))).status).toBe(401);
    // A secret (oct) key in a JWK set is refused at validation: JWK sets hold public keys only.
    const oct = { ...(await exportJWK(await generateSecret("HS256", { extractable: true }))), kid: "s" };
    const result = validateConfig({ http: { middlewares: { auth: { jwt: { jwksFile: JSON.stringify({ keys: [oct] }) } } } } });
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual(['keys[0] (kid "s") holds private or secret key material: a JWK set here holds public keys only']);
  });
});

describe("jwt: claims", () => {
  const key = () => pair("ES256");

  it("a valid token whose claims fail gets 403 insufficient_scope; a wrong audience fails OneOf", async () => {
    const k = await key();
    const snap = mw({ publicKey: k.spki, claims: "OneOf(`aud`, `api`) && Equals(`grp`, `admin`)" });
    expect((await get(snap, await token("ES256", k.pkcs8, { claims: { aud: "api", grp: "admin" } }))).status).toBe(200);
    expect((await get(snap, await token("ES256", k.pkcs8, { claims: { aud: ["web", "api"], grp: "admin" } }))).status).toBe(200);
    const wrongAud = await get(snap, await token("ES256", k.pkcs8, { claims: { aud: "api-other", grp: "admin" } }));
    expect(wrongAud.status).toBe(403);
    expect(challenge(wrongAud)).toBe('Bearer error="insufficient_scope", error_description="The access token does not allow this request"');
    expect((await get(snap, await token("ES256", k.pkcs8, { claims: { aud: "api", grp: "dev" } }))).status).toBe(403);
  });

  it("forwardHeaders: claims to headers, forged copies from the client removed; Authorization stripped by default", async () => {
    const k = await key();
    const t = await token("ES256", k.pkcs8, { claims: { grp: "admin", user: { name: "Ann" }, roles: ["a", "b"] } });
    const snap = mw({ publicKey: k.spki, forwardHeaders: { "X-Group": "grp", "X-User": "user.name", "X-Roles": "roles", "X-Missing": "nope" } });
    const e = await echo(await get(snap, t, { headers: { "x-group": "forged", "x-missing": "forged" } }));
    expect(header(e, "X-Group")).toBe("admin");
    expect(header(e, "X-User")).toBe("Ann");
    expect(header(e, "X-Roles")).toBe('["a","b"]');
    expect(header(e, "X-Missing")).toBe("");
    expect(header(e, "Authorization")).toBeUndefined();
    const kept = await echo(await get(mw({ publicKey: k.spki, forwardAuthorization: true }), t));
    expect(header(kept, "Authorization")).toBe(`Bearer ${t}`);
    const legacy = await echo(await get(mw({ publicKey: k.spki, stripAuthorizationHeader: false }), t));
    expect(header(legacy, "Authorization")).toBe(`Bearer ${t}`);
  });

  it("tokenKey: the token from the query or a urlencoded form (the body still reaches the upstream); the header first", async () => {
    const snap = mw({ signingSecret: SECRET, tokenKey: "access_token" });
    const t = await token("HS256", SECRET_BYTES);
    expect((await get(snap, undefined, { path: `/private?access_token=${t}` })).status).toBe(200);
    const form = await get(snap, undefined, { method: "POST", body: `a=1&access_token=${t}`, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect((await echo(form)).bodyBytes).toBe(`a=1&access_token=${t}`.length);
    expect((await get(snap, "bad", { path: `/private?access_token=${t}` })).status).toBe(401);
    expect((await get(mw({ signingSecret: SECRET }), undefined, { path: `/private?access_token=${t}` })).status).toBe(401);
  });
});

describe("jwt: usernameClaim", () => {
  it("names the access log's ClientUsername after the claim (a nested path too)", async () => {
    const built = jwt({ signingSecret: SECRET, usernameClaim: "user.email", clockSkew: "0s" } as MiddlewareOptions<"jwt">, { name: "auth", router: "r", service: () => null });
    if (typeof built === "string") throw new Error(built);
    const handler = built(async () => new Response("ok"));
    const observed: RequestObservation = { retryAttempts: 0 };
    const rc = { url: new URL("https://x.test/"), clientIP: null, waitUntil: () => {}, env: {}, observed } as unknown as RequestContext;
    const t = await token("HS256", SECRET_BYTES, { claims: { user: { email: "ann@example.com" } } });
    expect((await handler(new Request("https://x.test/", { headers: { authorization: `Bearer ${t}` } }), rc)).status).toBe(200);
    expect(observed.clientUsername).toBe("ann@example.com");
  });
});

describe("jwt: validation with JSON paths", () => {
  const base = "http.middlewares.auth.jwt";
  function errors(options: Record<string, unknown>) {
    const result = validateConfig({ http: { middlewares: { auth: { jwt: options } } } });
    return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
  }

  it("one key source, exactly", async () => {
    expect(errors({})).toEqual([expect.stringMatching(new RegExp(`^${base}: one of signingSecret, publicKey, jwksFile, jwksUrl must be set`))]);
    const k = await pair("ES256");
    expect(errors({ signingSecret: SECRET, publicKey: k.spki })).toEqual([`${base}.publicKey: only one key source may be set, found signingSecret and publicKey`]);
  });

  it("keys that cannot be read, a claims expression that does not parse, Worker limits", () => {
    expect(errors({ publicKey: "nope" })[0]).toMatch(new RegExp(`^${base}.publicKey: not a PEM public key`));
    expect(errors({ signingSecret: "!!", signingSecretBase64Encoded: true })[0]).toMatch(new RegExp(`^${base}.signingSecret: is not valid base64`));
    expect(errors({ jwksFile: "/etc/jwks.json" })[0]).toMatch(/jwksFile: is read as the JWK set itself/);
    expect(errors({ jwksFile: '{"keys": 1}' })[0]).toMatch(/jwksFile: not a JWK set/);
    expect(errors({ jwksUrl: "/.well-known/jwks.json" })[0]).toMatch(new RegExp(`^${base}.jwksUrl: .*not an absolute URL`));
    expect(errors({ signingSecret: SECRET, claims: "Equals(`a`)" })).toEqual([
      `${base}.claims: invalid expression at position 0: Equals takes 2 arguments, found 1 (in "Equals(\`a\`)")`,
    ]);
    expect(errors({ signingSecret: SECRET, forwardAuthorization: true, stripAuthorizationHeader: true })[0]).toMatch(/stripAuthorizationHeader: contradicts/);
    expect(errors({ jwksUrl: "https://idp.test/jwks", clientConfig: { tls: { cert: "c", key: "k" } } })[0]).toMatch(/clientConfig.tls: cert and key cannot be used/);
    expect(errors({ signingSecret: SECRET, forwardHeaders: { "Bad Header": "sub" } })[0]).toMatch(/forwardHeaders/);
    expect(errors({ signingSecret: SECRET, tokenQueryKey: "t" })[0]).toMatch(/tokenQueryKey/);
  });

  it("warns of what works but is unsafe: a short secret, a JWKS over plain http", () => {
    const result = validateConfig({ http: { middlewares: { a: { jwt: { signingSecret: "short" } }, b: { jwt: { jwksUrl: "http://idp.test/jwks" } } } } });
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => `${w.path}: ${w.message}`)).toEqual([
      expect.stringMatching(/^http\.middlewares\.a\.jwt\.signingSecret: is 5 bytes: HS256 wants at least 32/),
      expect.stringMatching(/^http\.middlewares\.b\.jwt\.jwksUrl: is plain http/),
    ]);
  });
});
