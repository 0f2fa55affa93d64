// The oidc middleware's cookies: sealed values (AES-GCM under HKDF keys) open only with the same
// secret, purpose and cookie name; long values are split into name.0, name.1... and read back whole.
import { describe, expect, it } from "vitest";
import { CHUNK_CHARS, MAX_CHUNKS, clearChunked, readChunked, writeChunked } from "../../../worker/middlewares/oidc/chunks.ts";
import { sealer } from "../../../worker/middlewares/oidc/seal.ts";
import type { CookieOptions } from "../../../worker/services/balancer/cookie.ts";

const SECRET = "a-secret-for-the-cookie-tests-000";
const cookie: CookieOptions = { name: "s", path: "/", domain: "", sameSite: "lax", httpOnly: true, secure: true, maxAge: 3600 };

/** The request headers a browser would send after these Set-Cookie values. */
function sentBack(setCookies: string[], before: Record<string, string> = {}): Headers {
  const jar = { ...before };
  for (const line of setCookies) {
    const [pair = ""] = line.split(";");
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq);
    if (/Max-Age=0/.test(line)) delete jar[name];
    else jar[name] = pair.slice(eq + 1);
  }
  return new Headers({ cookie: Object.entries(jar).map(([k, v]) => `${k}=${v}`).join("; ") });
}

describe("sealed values", () => {
  it("open with the same secret, purpose and name, and with nothing else", async () => {
    const value = { hello: "world", n: 1 };
    const sealed = await sealer(SECRET).seal("session", "s", value);
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("world");
    expect(await sealer(SECRET).open("session", "s", sealed)).toEqual(value);
    expect(await sealer("another-secret-of-the-same-length").open("session", "s", sealed)).toBeNull();
    expect(await sealer(SECRET).open("state", "s", sealed)).toBeNull();
    expect(await sealer(SECRET).open("session", "t", sealed)).toBeNull();
  });

  it("refuse any changed character, a truncated value and garbage", async () => {
    const keys = sealer(SECRET);
    const sealed = await keys.seal("session", "s", { a: 1 });
    for (let i = 0; i < sealed.length; i += 7) {
      const changed = sealed.slice(0, i) + (sealed[i] === "A" ? "B" : "A") + sealed.slice(i + 1);
      expect(await keys.open("session", "s", changed)).toBeNull();
    }
    expect(await keys.open("session", "s", sealed.slice(0, -4))).toBeNull();
    expect(await keys.open("session", "s", "not base64 at all!")).toBeNull();
    expect(await keys.open("session", "s", "")).toBeNull();
  });

  it("differ each time (a fresh IV)", async () => {
    const keys = sealer(SECRET);
    expect(await keys.seal("session", "s", 1)).not.toBe(await keys.seal("session", "s", 1));
  });
});

describe("chunked cookies", () => {
  it("write a short value as one cookie and read it back", () => {
    const out = writeChunked(cookie, "abc", new Headers())!;
    expect(out).toEqual(["s=abc; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax"]);
    expect(readChunked(sentBack(out), "s")).toBe("abc");
  });

  it("split a long value into parts under the browser's 4 KB a cookie, and join them back", () => {
    const value = "x".repeat(CHUNK_CHARS * 2 + 10);
    const out = writeChunked(cookie, value, new Headers())!;
    expect(out.map((c) => c.split("=")[0])).toEqual(["s.0", "s.1", "s.2"]);
    for (const line of out) expect(new TextEncoder().encode(line).length).toBeLessThan(4096);
    expect(readChunked(sentBack(out), "s")).toBe(value);
  });

  it("expire the parts of an older, longer value, and the unsplit one when it is now split", () => {
    const long = writeChunked(cookie, "y".repeat(CHUNK_CHARS * 3), new Headers())!;
    const shorter = writeChunked(cookie, "short", sentBack(long))!;
    expect(shorter.filter((c) => c.includes("Max-Age=0")).map((c) => c.split("=")[0])).toEqual(["s.0", "s.1", "s.2"]);
    expect(readChunked(sentBack(shorter, { "s.0": "y", "s.1": "y", "s.2": "y" }), "s")).toBe("short");
    const split = writeChunked(cookie, "z".repeat(CHUNK_CHARS + 1), sentBack(shorter))!;
    expect(split.some((c) => c.startsWith("s=;") && c.includes("Max-Age=0"))).toBe(true);
  });

  it("refuse a value over MAX_CHUNKS parts, and clear every part a request holds", () => {
    expect(writeChunked(cookie, "x".repeat(CHUNK_CHARS * MAX_CHUNKS + 1), new Headers())).toBeNull();
    const cleared = clearChunked(cookie, new Headers({ cookie: "s.0=a; s.1=b; other=c" }));
    expect(cleared.map((c) => c.split("=")[0])).toEqual(["s.0", "s.1"]);
    expect(cleared.every((c) => c.includes("Max-Age=0"))).toBe(true);
  });
});
