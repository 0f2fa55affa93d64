// Sticky sessions with Traefik's cookie scheme: value = sha256(server URL)[:16], default name
// "_" + sha1("_TRAEFIK_BACKEND_<service>@file")[:5], older values recognised and rewritten,
// attributes as configured, fallback when the sticky server is unavailable or gone, two levels.
import { describe, expect, it } from "vitest";
import { fnv1Hex } from "../../../worker/services/hash.ts";
import { get, routed, snapshotOf, upstreams, who } from "./helpers.ts";

async function hex(algorithm: "SHA-256" | "SHA-1", text: string): Promise<string> {
  const digest = await crypto.subtle.digest(algorithm, new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
const valueFor = async (url: string) => (await hex("SHA-256", url)).slice(0, 16);

function stickyPool(cookie: Record<string, unknown>, servers = [upstreams.s1, upstreams.s2], extra: Record<string, unknown> = {}) {
  return snapshotOf(routed({ svc: { loadBalancer: { servers: servers.map((url) => ({ url })), sticky: { cookie }, ...extra } } }));
}

describe("sticky cookie", () => {
  it("sets Traefik's default cookie naming the server that answered", async () => {
    const s = stickyPool({});
    const res = await get(s, "https://sticky.test/");
    const name = `_${await hex("SHA-1", "_TRAEFIK_BACKEND_svc@file")}`.slice(0, 6);
    const server = await who(res);
    const url = server === "s1" ? upstreams.s1 : upstreams.s2;
    expect(res.headers.getSetCookie()).toEqual([`${name}=${await valueFor(url)}; Path=/`]);
  });

  it("keeps a client on its server while round robin would alternate, without setting the cookie again", async () => {
    const s = stickyPool({ name: "lb" });
    const cookie = `lb=${await valueFor(upstreams.s2)}`;
    for (let i = 0; i < 6; i++) {
      const res = await get(s, "https://sticky.test/", { headers: { cookie: `other=1; ${cookie}` } });
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(await who(res)).toBe("s2");
    }
  });

  it("writes every configured attribute in Go's order", async () => {
    const s = stickyPool({ name: "my cookie", secure: true, httpOnly: true, sameSite: "strict", maxAge: 60, path: "/app", domain: ".example.com" }, [upstreams.s1]);
    const res = await get(s, "https://sticky.test/");
    expect(res.headers.getSetCookie()).toEqual([`my_cookie=${await valueFor(upstreams.s1)}; Path=/app; Domain=example.com; Max-Age=60; HttpOnly; Secure; SameSite=Strict`]);
    const expired = stickyPool({ name: "x", maxAge: -1, sameSite: "none" }, [upstreams.s1]);
    expect((await get(expired, "https://sticky.test/")).headers.getSetCookie()[0]).toBe(`x=${await valueFor(upstreams.s1)}; Path=/; Max-Age=0; SameSite=None`);
  });

  it("recognises Traefik's older cookie values and rewrites them", async () => {
    const s = stickyPool({ name: "lb" });
    for (const old of [upstreams.s2, fnv1Hex(upstreams.s2), fnv1Hex(fnv1Hex(upstreams.s2))]) {
      const res = await get(s, "https://sticky.test/", { headers: { cookie: `lb=${old}` } });
      expect(await who(res)).toBe("s2");
      expect(res.headers.getSetCookie()).toEqual([`lb=${await valueFor(upstreams.s2)}; Path=/`]);
    }
  });

  it("falls back to another server when the sticky one is unavailable, and sticks to that one", async () => {
    const dead = "http://127.0.0.1:1";
    const s = stickyPool({ name: "lb" }, [dead, upstreams.s1], { passiveHealthCheck: { maxFailedAttempts: 1 } });
    const cookie = `lb=${await valueFor(dead)}`;
    expect((await get(s, "https://sticky.test/", { headers: { cookie } })).status).toBe(502);
    const res = await get(s, "https://sticky.test/", { headers: { cookie } });
    expect(await who(res)).toBe("s1");
    expect(res.headers.getSetCookie()).toEqual([`lb=${await valueFor(upstreams.s1)}; Path=/`]);
  });

  it("picks a new server when the cookie names one that is gone", async () => {
    const s = stickyPool({ name: "lb" }, [upstreams.s1]);
    const res = await get(s, "https://sticky.test/", { headers: { cookie: `lb=${await valueFor("http://removed.example")}` } });
    expect(await who(res)).toBe("s1");
    expect(res.headers.getSetCookie()).toEqual([`lb=${await valueFor(upstreams.s1)}; Path=/`]);
  });
});

describe("stickiness on two levels (weighted of loadBalancers)", () => {
  const config = routed(
    {
      svc: { weighted: { sticky: { cookie: { name: "lvl1" } }, services: [{ name: "a", weight: 1 }, { name: "b", weight: 1 }] } },
      a: { loadBalancer: { sticky: { cookie: { name: "lvl2" } }, servers: [{ url: upstreams.s1 }, { url: upstreams.s2 }] } },
      b: { loadBalancer: { sticky: { cookie: { name: "lvl2" } }, servers: [{ url: upstreams.s3 }] } },
    },
    "svc",
  );

  it("sets one cookie per level and follows both", async () => {
    const s = snapshotOf(config);
    const first = await get(s, "https://sticky.test/");
    const cookies = first.headers.getSetCookie();
    expect(cookies.map((c) => c.split("=")[0])).toEqual(["lvl2", "lvl1"]);
    const served = await who(first);
    const jar = cookies.map((c) => c.split(";")[0]).join("; ");
    for (let i = 0; i < 6; i++) expect(await who(await get(s, "https://sticky.test/", { headers: { cookie: jar } }))).toBe(served);
    // The weighted level's value is the child service's name, hashed.
    expect(cookies[1]).toMatch(new RegExp(`^lvl1=(${await valueFor("a")}|${await valueFor("b")}); Path=/$`));
  });

  it("pins each level independently", async () => {
    const s = snapshotOf(config);
    const jar = `lvl1=${await valueFor("a")}; lvl2=${await valueFor(upstreams.s2)}`;
    for (let i = 0; i < 4; i++) expect(await who(await get(s, "https://sticky.test/", { headers: { cookie: jar } }))).toBe("s2");
  });
});
