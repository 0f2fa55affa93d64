// basicAuth, case by case from Traefik's documentation and tests, against the real whoami upstream.
import { describe, expect, inject, it } from "vitest";
import { validateConfig } from "../../../../worker/config/index.ts";
import { VerifiedCredentials } from "../../../../worker/middlewares/auth/verified.ts";
import { lb, send, snapshotOf, type Echo } from "../../helpers/serve.ts";

const upstream = inject("whoamiUrl");

// Hashes made by other tools: apr1 from Traefik's own tests (test/test), $1$ and {SHA} by openssl,
// bcrypt from the Openwall crypt_blowfish test vectors ("U*U").
const APR1 = "$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/";
const MD5 = "$1$saltsalt$9xy1btjgzLYfb7hivXtC//"; // secret
const SHA = "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ="; // secret
// bcrypt cost 10 of "pw" (bcryptjs): ~100 ms of CPU, enough to see in a response time.
const BCRYPT_COST10 = "$2b$10$.5GFInhZEJbIaQTsZrskl.Q5uSJ7NGYNRA9FFHL4UmFuJlQzymoBq";
const BCRYPT = "05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"; // U*U, after $2?$

function config(options: Record<string, unknown>) {
  return {
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["auth"] } },
      services: { s: lb(upstream) },
      middlewares: { auth: { basicAuth: options } },
    },
  };
}

function basic(user: string, password: string): string {
  return `Basic ${btoa(`${user}:${password}`)}`;
}

async function get(snapshot: ReturnType<typeof snapshotOf>, authorization?: string): Promise<Response> {
  return send(snapshot, "https://x.test/private", authorization ? { headers: { authorization } } : {});
}

describe("basicAuth", () => {
  const cases: [string, string, string][] = [
    ["apr1 (htpasswd -m)", APR1, "test"],
    ["MD5-crypt $1$", MD5, "secret"],
    ["{SHA} (htpasswd -s)", SHA, "secret"],
    ["bcrypt $2y$ (htpasswd -B)", `$2y$${BCRYPT}`, "U*U"],
    ["bcrypt $2a$", `$2a$${BCRYPT}`, "U*U"],
    ["bcrypt $2b$", `$2b$${BCRYPT}`, "U*U"],
    ["bcrypt $2x$ (read as $2a$, as Go does)", `$2x$${BCRYPT}`, "U*U"],
  ];
  for (const [kind, hash, password] of cases) {
    it(`checks ${kind}: the right password passes, a wrong one does not`, async () => {
      const snap = snapshotOf(config({ users: [`alice:${hash}`] }));
      const ok = await get(snap, basic("alice", password));
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as Echo).path).toBe("/private");
      expect((await get(snap, basic("alice", `${password}x`))).status).toBe(401);
      expect((await get(snap, basic("bob", password))).status).toBe(401);
    });
  }

  it("answers go-http-auth's 401 with the default realm traefik, without reaching the upstream", async () => {
    const res = await get(snapshotOf(config({ users: [`test:${APR1}`] })));
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Basic realm="traefik"');
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(res.headers.get("x-whoami")).toBeNull();
    expect(await res.text()).toBe("401 Unauthorized\n");
  });

  it("uses the configured realm, and the default one for an empty realm (as Traefik)", async () => {
    const named = await get(snapshotOf(config({ users: [`test:${APR1}`], realm: "staff only" })));
    expect(named.headers.get("www-authenticate")).toBe('Basic realm="staff only"');
    const empty = await get(snapshotOf(config({ users: [`test:${APR1}`], realm: "" })));
    expect(empty.headers.get("www-authenticate")).toBe('Basic realm="traefik"');
  });

  it("refuses malformed credentials: another scheme, bad base64, no colon", async () => {
    const snap = snapshotOf(config({ users: [`test:${APR1}`] }));
    for (const header of ["Bearer dGVzdDp0ZXN0", "Basic !!!", `Basic ${btoa("testtest")}`, "Basic", `Digest ${btoa("test:test")}`]) {
      expect((await get(snap, header)).status, header).toBe(401);
    }
  });

  it("reads the scheme in any case and splits user and password at the first colon (as Go)", async () => {
    const snap = snapshotOf(config({ users: [`test:${APR1}`, "colon:{SHA}3OptnM09ILoVSfbZtd3mB0IViII="] }));
    expect((await get(snap, `bAsIc ${btoa("test:test")}`)).status).toBe(200);
    expect((await get(snap, basic("colon", "a:b"))).status).toBe(200);
  });

  it("keeps the Authorization header by default, sets headerField to the user, and removeHeader drops it", async () => {
    const kept = (await (await get(snapshotOf(config({ users: [`test:${APR1}`] })), basic("test", "test"))).json()) as Echo;
    expect(kept.headers["authorization"]).toBe(basic("test", "test"));
    expect(kept.headers["x-webauth-user"]).toBeUndefined();
    const snap = snapshotOf(config({ users: [`test:${APR1}`], headerField: "X-WebAuth-User", removeHeader: true }));
    const echo = (await (await get(snap, basic("test", "test"))).json()) as Echo;
    expect(echo.headers["x-webauth-user"]).toBe("test");
    expect(echo.headers["authorization"]).toBeUndefined();
  });

  it("a user listed twice keeps the last entry (Traefik's map), with a validation warning", async () => {
    const cfg = config({ users: [`test:${APR1}`, `test:${SHA}`] });
    const snap = snapshotOf(cfg);
    expect((await get(snap, basic("test", "test"))).status).toBe(401);
    expect((await get(snap, basic("test", "secret"))).status).toBe(200);
    const valid = validateConfig(cfg);
    expect(valid.ok && valid.warnings.map((w) => w.path)).toEqual(["http.middlewares.auth.basicAuth.users[1]"]);
  });

  it("serves concurrent requests with the same bcrypt credentials, and again once remembered", async () => {
    const snap = snapshotOf(config({ users: [`u:$2y$${BCRYPT}`] }));
    const first = await Promise.all([1, 2, 3].map(() => get(snap, basic("u", "U*U"))));
    expect(first.map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await get(snap, basic("u", "U*U"))).status).toBe(200);
    expect((await get(snap, basic("u", "U*V"))).status).toBe(401);
  });

  it("with no users at all, the config is refused, as Traefik's NewBasic (\"no users found\")", () => {
    expect(() => snapshotOf(config({}))).toThrow(/basicAuth\.users.*no users found/);
    expect(() => snapshotOf(config({ users: [] }))).toThrow(/no users found/);
  });

  it("a request body still reaches the upstream after authentication", async () => {
    const snap = snapshotOf(config({ users: [`test:${APR1}`], removeHeader: true }));
    const res = await send(snap, "https://x.test/up", { method: "POST", body: "x".repeat(5000), headers: { authorization: basic("test", "test") } });
    expect(((await res.json()) as Echo).bodyBytes).toBe(5000);
  });
});

describe("basicAuth validation", () => {
  function errors(options: Record<string, unknown>) {
    const valid = validateConfig(config(options));
    return valid.ok ? [] : valid.errors;
  }

  it("refuses plain-text passwords (Traefik accepts them but they never match)", () => {
    const [err] = errors({ users: ["test:test"] });
    expect(err?.path).toBe("http.middlewares.auth.basicAuth.users[0]");
    expect(err?.message).toMatch(/user "test": not an htpasswd hash.*plain-text password never matches/);
    expect(err?.message).not.toContain("test:test");
  });

  it("refuses malformed and unsupported hashes, naming the entry", () => {
    const bad = ["a:$2y$05$short", "b:{SHA}tooShort", "c:$apr1$salt$short", "d:$6$rounds=5000$abc$def", "e:$2y$99$" + BCRYPT.slice(3)];
    const found = errors({ users: bad });
    expect(found.map((e) => e.path)).toEqual([0, 1, 2, 3, 4].map((i) => `http.middlewares.auth.basicAuth.users[${i}]`));
    expect(found[3]?.message).toMatch(/SHA-crypt/);
  });

  it("refuses entries that are not user:hash (schema)", () => {
    expect(errors({ users: ["nocolon"] })[0]?.path).toBe("http.middlewares.auth.basicAuth.users[0]");
  });

  it("refuses usersFile: there is no filesystem on Workers", () => {
    const [err] = errors({ usersFile: "/etc/traefik/users", users: [`test:${APR1}`] });
    expect(err?.path).toBe("http.middlewares.auth.basicAuth.usersFile");
    expect(err?.message).toMatch(/no filesystem/);
  });

  it("refuses unknown fields", () => {
    expect(errors({ users: [`test:${APR1}`], user: "x" })[0]?.path).toMatch(/^http\.middlewares\.auth\.basicAuth/);
  });
});

// Traefik's own test file, case by case. Its `next` handler answers "traefik\n"; here the whoami
// upstream answers, so "reached next" is a 200 with the echo and "did not" is go-http-auth's 401 body.
describe("traefik pkg/middlewares/auth/basic_auth_test.go", () => {
  const TEST2 = "$apr1$d9hr9HBB$4HxwgUir3HP4EsggP/QNo0"; // test2
  const TEST3 = "$apr1$3rJbDP0q$RfzJiorTk78jQ1EcKqWso0"; // test3
  const OVERRIDDEN = "$apr1$mK.GtItK$ncnLYvNLek0weXdxo68690"; // overridden

  function errors(options: Record<string, unknown>) {
    const valid = validateConfig(config(options));
    return valid.ok ? [] : valid.errors;
  }

  // traefik pkg/middlewares/auth/basic_auth_test.go TestBasicAuthFail
  it("TestBasicAuthFail: a user without a hash is refused; test:test never matches (refused at validation here)", () => {
    expect(errors({ users: ["test"] })[0]?.path).toBe("http.middlewares.auth.basicAuth.users[0]");
    // Traefik builds the middleware and answers 401 to test/test; Switchyard refuses the config (docs).
    expect(errors({ users: ["test:test"] })[0]?.path).toBe("http.middlewares.auth.basicAuth.users[0]");
  });

  // traefik pkg/middlewares/auth/basic_auth_test.go TestBasicAuthSuccess
  it("TestBasicAuthSuccess: test/test against its apr1 hash reaches next", async () => {
    const res = await get(snapshotOf(config({ users: [`test:${APR1}`] })), basic("test", "test"));
    expect(res.status).toBe(200);
    expect(((await res.json()) as Echo).path).toBe("/private");
  });

  // traefik pkg/middlewares/auth/basic_auth_test.go TestBasicAuthUserHeader
  it("TestBasicAuthUserHeader: headerField X-Webauth-User carries the user", async () => {
    const res = await get(snapshotOf(config({ users: [`test:${APR1}`], headerField: "X-Webauth-User" })), basic("test", "test"));
    expect(res.status).toBe(200);
    expect(((await res.json()) as Echo).headers["x-webauth-user"]).toBe("test");
  });

  // traefik pkg/middlewares/auth/basic_auth_test.go TestBasicAuthUserHeaderCanonical
  it("TestBasicAuthUserHeaderCanonical: the client's own X-User is replaced, not kept beside the user", async () => {
    const snap = snapshotOf(config({ users: [`test:${APR1}`], headerField: "x-user" }));
    const res = await send(snap, "https://x.test/", { headers: { authorization: basic("test", "test"), "X-User": "admin" } });
    expect(res.status).toBe(200);
    // Go deletes the canonical X-User then sets x-user: upstream sees only the user (header names
    // are case-insensitive on the wire and in fetch, so the spelling itself is not observable).
    expect(((await res.json()) as Echo).headers["x-user"]).toBe("test");
  });

  // traefik pkg/middlewares/auth/basic_auth_test.go TestBasicAuthHeaderRemoved
  it("TestBasicAuthHeaderRemoved: removeHeader drops Authorization", async () => {
    const res = await get(snapshotOf(config({ users: [`test:${APR1}`], removeHeader: true })), basic("test", "test"));
    expect(res.status).toBe(200);
    expect(((await res.json()) as Echo).headers["authorization"]).toBeUndefined();
  });

  // traefik pkg/middlewares/auth/basic_auth_test.go TestBasicAuthHeaderPresent
  it("TestBasicAuthHeaderPresent: without removeHeader, Authorization reaches next", async () => {
    const res = await get(snapshotOf(config({ users: [`test:${APR1}`] })), basic("test", "test"));
    expect(res.status).toBe(200);
    expect(((await res.json()) as Echo).headers["authorization"]).toBe(basic("test", "test"));
  });

  // traefik pkg/middlewares/auth/basic_auth_test.go TestNewBasicNotFoundSecretIsSet: Traefik keeps a
  // configured hash to check unknown users against. Seen from outside: an unknown user costs as
  // much as a known one, so response times do not tell which users exist.
  it("TestNewBasicNotFoundSecretIsSet: an unknown user costs a hash check as a known one does", async () => {
    const snap = snapshotOf(config({ users: [`u:${BCRYPT_COST10}`] }));
    async function timed(user: string): Promise<number> {
      const t0 = performance.now();
      expect((await get(snap, basic(user, "wrong"))).status).toBe(401);
      return performance.now() - t0;
    }
    const known = Math.min(await timed("u"), await timed("u"));
    const unknown = Math.min(await timed("nobody"), await timed("nobody"));
    expect(unknown).toBeGreaterThan(known / 4);
  });

  // traefik pkg/middlewares/auth/basic_auth_test.go TestBasicAuthConcurrentHashOnce
  it("TestBasicAuthConcurrentHashOnce: two concurrent identical checks hash once", async () => {
    let hashes = 0;
    const verified = new VerifiedCredentials(async () => {
      hashes++;
      await new Promise((resolve) => setTimeout(resolve, 1));
      return true;
    });
    const password = new TextEncoder().encode("test");
    const results = await Promise.all([1, 2].map(() => verified.check("test", password, "$2a$04$.8sTYfcxbSplCtoxt5TdJOgpBYkarKtZYsYfYxQ1edbYRuO1DNi0e")));
    expect(results).toEqual([true, true]);
    expect(hashes).toBe(1);
  });

  // traefik pkg/middlewares/auth/basic_auth_test.go TestBasicAuthUsersFromFile: usersFile is refused
  // on Workers (no filesystem); each case's file lines, then its given users, are listed in `users`
  // instead, which is what Traefik merges them into (given users last, so they win).
  const fromFile: { desc: string; users: string[]; expected: Record<string, string>; realm?: string }[] = [
    { desc: "Finds the users in the file", users: [`test:${APR1}`, `test2:${TEST2}`], expected: { test: "test", test2: "test2" } },
    { desc: "Merges given users with users from the file", users: [`test:${APR1}`, `test2:${TEST2}`, `test3:${TEST3}`], expected: { test: "test", test2: "test2", test3: "test3" } },
    { desc: "Given users have priority over users in the file", users: [`test:${APR1}`, `test2:${TEST2}`, `test2:${OVERRIDDEN}`], expected: { test: "test", test2: "overridden" } },
    { desc: "Should authenticate the correct user based on the realm", users: [`test:${APR1}`, `test2:${TEST2}`, `test2:${OVERRIDDEN}`], expected: { test: "test", test2: "overridden" }, realm: "traefik" },
  ];
  for (const c of fromFile) {
    it(`TestBasicAuthUsersFromFile "${c.desc}" (users inline)`, async () => {
      const snap = snapshotOf(config({ users: c.users, ...(c.realm ? { realm: c.realm } : {}) }));
      for (const [user, password] of Object.entries(c.expected)) {
        expect((await get(snap, basic(user, password))).status, user).toBe(200);
      }
      const foo = await get(snap, basic("foo", "foo"));
      expect(foo.status).toBe(401);
      if (c.realm) expect(foo.headers.get("www-authenticate")).toBe(`Basic realm="${c.realm}"`);
      expect(await foo.text()).not.toContain("whoami");
    });
  }

  it(`TestBasicAuthUsersFromFile "Should skip comments": usersFile is refused; a comment line inline is not a user (as in Traefik)`, () => {
    const users = [`test:${APR1}`, `test2:${TEST2}`];
    expect(errors({ usersFile: "/auth-users", users, realm: "traefiker" })[0]?.path).toBe("http.middlewares.auth.basicAuth.usersFile");
    expect(errors({ users: ["#Comment", ...users], realm: "traefiker" })[0]?.path).toBe("http.middlewares.auth.basicAuth.users[0]");
  });
});
