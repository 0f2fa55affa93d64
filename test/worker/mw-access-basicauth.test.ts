// basicAuth, case by case from Traefik's documentation and tests, against the real whoami upstream.
import { describe, expect, inject, it } from "vitest";
import { validateConfig } from "../../worker/config/index.ts";
import { lb, send, snapshotOf, type Echo } from "./helpers/serve.ts";

const upstream = inject("whoamiUrl");

// Hashes made by other tools: apr1 from Traefik's own tests (test/test), $1$ and {SHA} by openssl,
// bcrypt from the Openwall crypt_blowfish test vectors ("U*U").
const APR1 = "$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/";
const MD5 = "$1$saltsalt$9xy1btjgzLYfb7hivXtC//"; // secret
const SHA = "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ="; // secret
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
