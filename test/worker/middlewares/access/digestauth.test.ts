// digestAuth (RFC 2617, MD5, qop=auth) with a real digest client, against the real whoami upstream.
import { describe, expect, inject, it } from "vitest";
import { validateConfig } from "../../../../worker/config/index.ts";
import { DigestNonces, NONCE_TTL_MS } from "../../../../worker/middlewares/auth/digest-nonces.ts";
import { lb, send, snapshotOf, type Echo } from "../../helpers/serve.ts";

const upstream = inject("whoamiUrl");
// From Traefik's documentation: user test, password test, realm traefik (htdigest).
const TEST = "test:traefik:a2688e031edb4be6a3797f3882655c05";

type Snapshot = ReturnType<typeof snapshotOf>;

function config(options: Record<string, unknown>) {
  return {
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["auth"] } },
      services: { s: lb(upstream) },
      middlewares: { auth: { digestAuth: options } },
    },
  };
}

async function md5(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("MD5", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The challenge's parameters, as a client reads them. */
function challenge(res: Response): Record<string, string> {
  const header = res.headers.get("www-authenticate") ?? "";
  expect(header.startsWith("Digest ")).toBe(true);
  return Object.fromEntries([...header.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [m[1], m[2] ?? m[3] ?? ""]));
}

interface Answer {
  user?: string;
  password?: string;
  realm?: string;
  method?: string;
  uri: string;
  nc: string;
  overrides?: Record<string, string>;
}

async function authorization(c: Record<string, string>, a: Answer): Promise<string> {
  const user = a.user ?? "test";
  const ha1 = await md5(`${user}:${a.realm ?? c["realm"]}:${a.password ?? "test"}`);
  const ha2 = await md5(`${a.method ?? "GET"}:${a.uri}`);
  const cnonce = "0a4f113b";
  const fields: Record<string, string> = {
    username: user, realm: c["realm"] ?? "", nonce: c["nonce"] ?? "", uri: a.uri, qop: "auth", nc: a.nc, cnonce, opaque: c["opaque"] ?? "", algorithm: "MD5",
    response: await md5([ha1, c["nonce"], a.nc, cnonce, "auth", ha2].join(":")),
    ...a.overrides,
  };
  const quoted = new Set(["username", "realm", "nonce", "uri", "cnonce", "opaque", "response"]);
  return "Digest " + Object.entries(fields).map(([k, v]) => (quoted.has(k) ? `${k}="${v}"` : `${k}=${v}`)).join(", ");
}

async function login(snap: Snapshot, path: string, a: Omit<Answer, "uri"> & { uri?: string }): Promise<{ res: Response; c: Record<string, string> }> {
  const c = challenge(await send(snap, `https://x.test${path}`));
  const header = await authorization(c, { uri: path, ...a });
  return { res: await send(snap, `https://x.test${path}`, { method: a.method ?? "GET", headers: { authorization: header } }), c };
}

describe("digestAuth", () => {
  it("challenges as go-http-auth: realm, nonce, opaque, algorithm MD5, qop auth, no stale", async () => {
    const res = await send(snapshotOf(config({ users: [TEST] })), "https://x.test/");
    expect(res.status).toBe(401);
    expect(await res.text()).toBe("401 Unauthorized\n");
    const header = res.headers.get("www-authenticate") ?? "";
    expect(header).toMatch(/^Digest realm="traefik", nonce="[^"]+", opaque="[^"]+", algorithm="MD5", qop="auth"$/);
  });

  it("lets the right password through, refuses a wrong one or an unknown user without stale", async () => {
    const snap = snapshotOf(config({ users: [TEST] }));
    const ok = await login(snap, "/a?b=1", { nc: "00000001" });
    expect(ok.res.status).toBe(200);
    expect(((await ok.res.json()) as Echo).url).toBe("/a?b=1");
    for (const bad of [{ password: "nope" }, { user: "other" }]) {
      const res = (await login(snap, "/a", { nc: "00000001", ...bad })).res;
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).not.toContain("stale");
    }
  });

  it("answers stale=true to a replayed nonce count, and accepts a growing one", async () => {
    const snap = snapshotOf(config({ users: [TEST] }));
    const { res, c } = await login(snap, "/x", { nc: "00000001" });
    expect(res.status).toBe(200);
    const again = await send(snap, "https://x.test/x", { headers: { authorization: await authorization(c, { uri: "/x", nc: "00000001" }) } });
    expect(again.status).toBe(401);
    expect(again.headers.get("www-authenticate")).toMatch(/, stale=true$/);
    const next = await send(snap, "https://x.test/x", { headers: { authorization: await authorization(c, { uri: "/x", nc: "00000002" }) } });
    expect(next.status).toBe(200);
  });

  it("answers stale=true to a nonce it did not issue, even with a correct response", async () => {
    const snap = snapshotOf(config({ users: [TEST] }));
    const c = challenge(await send(snap, "https://x.test/"));
    const forged = { ...c, nonce: `${Date.now().toString(36)}.00.deadbeef` };
    const res = await send(snap, "https://x.test/", { headers: { authorization: await authorization(forged, { uri: "/", nc: "00000001" }) } });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("stale=true");
  });

  it("accepts a nonce issued by another isolate (another compile of the same config)", async () => {
    const cfg = config({ users: [TEST] });
    const c = challenge(await send(snapshotOf(cfg), "https://x.test/"));
    const res = await send(snapshotOf(cfg), "https://x.test/", { headers: { authorization: await authorization(c, { uri: "/", nc: "00000001" }) } });
    expect(res.status).toBe(200);
  });

  it("refuses a wrong opaque, another qop or algorithm, and a nonce count that is not hex, all without stale", async () => {
    const snap = snapshotOf(config({ users: [TEST] }));
    const variants: { nc: string; overrides?: Record<string, string> }[] = [
      { nc: "00000001", overrides: { opaque: "other" } },
      { nc: "00000001", overrides: { qop: "auth-int" } },
      { nc: "00000001", overrides: { algorithm: "SHA-256" } },
      { nc: "zz" }, // the response is computed with it, so only the count itself is wrong
    ];
    for (const variant of variants) {
      const res = (await login(snap, "/", variant)).res;
      expect(res.status, JSON.stringify(variant)).toBe(401);
      expect(res.headers.get("www-authenticate")).not.toContain("stale");
    }
  });

  it("accepts a missing algorithm as MD5 (clients in the wild omit it)", async () => {
    const snap = snapshotOf(config({ users: [TEST] }));
    const c = challenge(await send(snap, "https://x.test/"));
    const header = (await authorization(c, { uri: "/", nc: "00000001" })).replace(", algorithm=MD5", "");
    expect((await send(snap, "https://x.test/", { headers: { authorization: header } })).status).toBe(200);
  });

  it("checks the uri: the request's own, or a path prefix of it, never another path", async () => {
    const snap = snapshotOf(config({ users: [TEST] }));
    expect((await login(snap, "/dir/file", { nc: "00000001", uri: "/dir" })).res.status).toBe(200);
    expect((await login(snap, "/dir/file", { nc: "00000001", uri: "/other" })).res.status).toBe(401);
    expect((await login(snap, "/dir", { nc: "00000001", uri: "/dir/file/longer" })).res.status).toBe(401);
  });

  it("hashes the request method into the response", async () => {
    const snap = snapshotOf(config({ users: [TEST] }));
    const c = challenge(await send(snap, "https://x.test/p"));
    const header = await authorization(c, { uri: "/p", nc: "00000001", method: "GET" });
    expect((await send(snap, "https://x.test/p", { method: "DELETE", headers: { authorization: header } })).status).toBe(401);
    expect((await login(snap, "/p", { nc: "00000001", method: "DELETE" })).res.status).toBe(200);
  });

  it("looks users up in the middleware's realm only", async () => {
    const other = "test:elsewhere:" + (await md5("test:elsewhere:test"));
    const snap = snapshotOf(config({ users: [other] }));
    expect((await login(snap, "/", { nc: "00000001", realm: "elsewhere" })).res.status).toBe(401);
    const mine = snapshotOf(config({ users: [other], realm: "elsewhere" }));
    const res = await login(mine, "/", { nc: "00000001" });
    expect(res.c["realm"]).toBe("elsewhere");
    expect(res.res.status).toBe(200);
  });

  it("sets headerField to the user and removeHeader drops the Authorization header", async () => {
    const kept = (await (await login(snapshotOf(config({ users: [TEST] })), "/", { nc: "00000001" })).res.json()) as Echo;
    expect(String(kept.headers["authorization"])).toMatch(/^Digest /);
    const snap = snapshotOf(config({ users: [TEST], headerField: "X-Auth-User", removeHeader: true }));
    const echo = (await (await login(snap, "/", { nc: "00000001" })).res.json()) as Echo;
    expect(echo.headers["x-auth-user"]).toBe("test");
    expect(echo.headers["authorization"]).toBeUndefined();
  });
});

describe("digest nonces", () => {
  it("expire after the TTL (stale), and a tampered signature is refused", async () => {
    const nonces = new DigestNonces("material");
    const now = Date.now();
    const old = await nonces.issue(now - NONCE_TTL_MS - 1);
    expect(await nonces.check(old, 1n, now)).toBe("stale");
    const fresh = await nonces.issue(now);
    expect(await nonces.check(`${fresh.slice(0, -1)}${fresh.endsWith("0") ? "1" : "0"}`, 1n, now)).toBe("stale");
    expect(await nonces.check(fresh, 1n, now)).toBe("ok");
    expect(await new DigestNonces("other material").check(fresh, 2n, now)).toBe("stale");
  });
});

describe("digestAuth validation", () => {
  it("refuses users that are not user:realm:md5hex, and usersFile", () => {
    const valid = validateConfig(config({ users: ["test:traefik:nothex"], usersFile: "/users" }));
    expect(valid.ok ? [] : valid.errors.map((e) => e.path)).toEqual(["http.middlewares.auth.digestAuth.users[0]"]);
    const file = validateConfig(config({ users: [TEST], usersFile: "/users" }));
    expect(file.ok ? [] : file.errors.map((e) => e.path)).toEqual(["http.middlewares.auth.digestAuth.usersFile"]);
  });

  it("warns about a user of another realm: Traefik can never log them in", () => {
    const valid = validateConfig(config({ users: [TEST.replace("traefik", "other")] }));
    expect(valid.ok && valid.warnings[0]?.path).toBe("http.middlewares.auth.digestAuth.users[0]");
    expect(valid.ok && valid.warnings[0]?.message).toMatch(/never log in/);
  });
});

// Traefik's own test file, case by case, with its client (digest_auth_request_test.go) ported: it
// reads the challenge by splitting at commas, sends algorithm and qop unquoted, and puts the full
// request URL (scheme and host included) in `uri`, which go-http-auth accepts as a path prefix.
describe("traefik pkg/middlewares/auth/digest_auth_test.go", () => {
  const WANTED = ["algorithm", "nonce", "opaque", "qop", "realm"];

  async function digestDo(snap: Snapshot, url: string, user: string, password: string, headers: Record<string, string> = {}): Promise<Response> {
    const first = await send(snap, url, { headers });
    if (first.status !== 401) return first;
    const parts: Record<string, string> = {};
    for (const piece of (first.headers.get("www-authenticate") ?? "").split(",")) {
      for (const w of WANTED) if (piece.includes(w)) parts[w] = piece.split('"')[1] ?? "";
    }
    expect(Object.keys(parts).length).toBe(WANTED.length);
    const ha1 = await md5([user, parts["realm"], password].join(":"));
    const ha2 = await md5(["GET", url].join(":"));
    const cnonce = "6f1c2a9d3b7e0c45".slice(0, 16);
    const nc = "00000001";
    const response = await md5([ha1, parts["nonce"], nc, cnonce, parts["qop"], ha2].join(":"));
    const authorization = `Digest username="${user}", realm="${parts["realm"]}", nonce="${parts["nonce"]}", uri="${url}", algorithm=${parts["algorithm"]}, qop=${parts["qop"]}, nc=${nc}, cnonce="${cnonce}", response="${response}", opaque="${parts["opaque"]}"`;
    return send(snap, url, { headers: { ...headers, authorization } });
  }

  // traefik pkg/middlewares/auth/digest_auth_test.go TestDigestAuthError
  it("TestDigestAuthError: a user entry that is not user:realm:hash is refused", () => {
    const valid = validateConfig(config({ users: ["test"] }));
    expect(valid.ok ? [] : valid.errors.map((e) => e.path)).toEqual(["http.middlewares.auth.digestAuth.users[0]"]);
  });

  // traefik pkg/middlewares/auth/digest_auth_test.go TestDigestAuthFail
  it("TestDigestAuthFail: Basic credentials get 401", async () => {
    const res = await send(snapshotOf(config({ users: [TEST] })), "https://x.test/", { headers: { authorization: `Basic ${btoa("test:test")}` } });
    expect(res.status).toBe(401);
  });

  // traefik pkg/middlewares/auth/digest_auth_test.go TestDigestAuthUsersFromFile: usersFile is refused
  // on Workers (no filesystem); each case's file lines, then its given users, go in `users` instead.
  const fromFile: { desc: string; users: string[]; expected: Record<string, string>; realm?: string }[] = [
    { desc: "Finds the users in the file", users: [TEST, "test2:traefik:518845800f9e2bfb1f1f740ec24f074e"], expected: { test: "test", test2: "test2" } },
    {
      desc: "Merges given users with users from the file",
      users: [TEST, "test2:traefik:518845800f9e2bfb1f1f740ec24f074e", "test3:traefik:c8e9f57ce58ecb4424407f665a91646c"],
      expected: { test: "test", test2: "test2", test3: "test3" },
    },
    {
      desc: "Given users have priority over users in the file",
      users: [TEST, "test2:traefik:518845800f9e2bfb1f1f740ec24f074e", "test2:traefik:8de60a1c52da68ccf41f0c0ffb7c51a0"],
      expected: { test: "test", test2: "overridden" },
    },
    {
      desc: "Should authenticate the correct user based on the realm",
      users: [TEST, "test:traefiker:a3d334dff2645b914918de78bec50bf4"],
      expected: { test: "test2" },
      realm: "traefiker",
    },
  ];
  for (const c of fromFile) {
    it(`TestDigestAuthUsersFromFile "${c.desc}" (users inline)`, async () => {
      const snap = snapshotOf(config({ users: c.users, ...(c.realm ? { realm: c.realm } : {}) }));
      for (const [user, password] of Object.entries(c.expected)) {
        expect((await digestDo(snap, "https://x.test/", user, password)).status, user).toBe(200);
      }
      const foo = await digestDo(snap, "https://x.test/", "foo", "foo");
      expect(foo.status).toBe(401);
      expect(await foo.text()).toBe("401 Unauthorized\n");
    });
  }

  it("TestDigestAuthUsersFromFile: usersFile itself is refused (no filesystem on Workers)", () => {
    const valid = validateConfig(config({ usersFile: "/auth-users", users: [] }));
    expect(valid.ok ? [] : valid.errors.map((e) => e.path)).toEqual(["http.middlewares.auth.digestAuth.usersFile"]);
  });

  // traefik pkg/middlewares/auth/digest_auth_test.go TestDigestAuthUserHeaderCanonical
  it("TestDigestAuthUserHeaderCanonical: the client's own X-User is replaced by the user", async () => {
    const snap = snapshotOf(config({ users: [TEST], headerField: "x-user" }));
    const res = await digestDo(snap, "https://x.test/", "test", "test", { "X-User": "admin" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Echo).headers["x-user"]).toBe("test");
  });
});
