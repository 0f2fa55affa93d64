// The token lives in sessionStorage only; what whoami's scopes allow.
import { afterEach, describe, expect, it, vi } from "vitest";
import { can, FULL_ACCESS, storedToken, storeToken } from "../../../dashboard/src/session.ts";

afterEach(() => vi.unstubAllGlobals());

function storage(): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get length() { return data.size; },
    clear: () => data.clear(),
    getItem: (k: string) => data.get(k) ?? null,
    key: (i: number) => [...data.keys()][i] ?? null,
    removeItem: (k: string) => void data.delete(k),
    setItem: (k: string, v: string) => void data.set(k, v),
  };
}

describe("session", () => {
  it("keeps the token in sessionStorage, never localStorage, and forgets it on sign-out", () => {
    const session = storage();
    const local = storage();
    vi.stubGlobal("sessionStorage", session);
    vi.stubGlobal("localStorage", local);
    storeToken("abc");
    expect(storedToken()).toBe("abc");
    expect([...session.data.values()]).toEqual(["abc"]);
    expect(local.data.size).toBe(0);
    storeToken(null);
    expect(storedToken()).toBeNull();
    expect(session.data.size).toBe(0);
  });

  it("survives a storage that refuses (the token then lives in the page only)", () => {
    vi.stubGlobal("sessionStorage", { getItem: () => { throw new Error("denied"); }, setItem: () => { throw new Error("denied"); } });
    expect(() => storeToken("x")).not.toThrow();
    expect(storedToken()).toBeNull();
  });

  it("decides by scopes; without /whoami a token is taken for a full one", () => {
    const readOnly = { name: "read-only", scopes: ["read", "metrics"], known: true };
    expect(can(readOnly, "read")).toBe(true);
    expect(can(readOnly, "write")).toBe(false);
    expect(can(readOnly, "rollback")).toBe(false);
    expect(["read", "write", "rollback", "metrics"].every((s) => can(FULL_ACCESS, s as "read"))).toBe(true);
  });
});
