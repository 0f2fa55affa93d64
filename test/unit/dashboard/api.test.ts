// The page's one door to the admin API: every call under the base, with the token as a bearer
// header and never in the URL, no cookies; a 401 signs out; errors carry the API's message.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, makeApi } from "../../../dashboard/src/api.ts";

afterEach(() => vi.unstubAllGlobals());

function recording(answer: () => Response) {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return answer();
  });
  return calls;
}

describe("makeApi", () => {
  it("sends the token as a bearer header on every call, under the base, without credentials", async () => {
    const calls = recording(() => Response.json({ ok: true }));
    const api = makeApi("/__switchyard", () => "s3cret", () => {});
    await api.json("GET", "/api/overview");
    await api.request("PUT", "/config", { body: "x", headers: { "if-match": '"3"' } });
    expect(calls.map((c) => c.url)).toEqual(["/__switchyard/api/overview", "/__switchyard/config"]);
    for (const { url, init } of calls) {
      expect(new Headers(init.headers).get("authorization")).toBe("Bearer s3cret");
      expect(url).not.toContain("s3cret");
      expect(init.credentials).toBe("omit");
    }
    expect(new Headers(calls[1]!.init.headers).get("if-match")).toBe('"3"');
  });

  it("sends no Authorization without a token", async () => {
    const calls = recording(() => Response.json({}));
    await makeApi("", () => null, () => {}).request("GET", "/whoami");
    expect(new Headers(calls[0]!.init.headers).has("authorization")).toBe(false);
  });

  it("signs out on a 401, and throws the API's error message with the status", async () => {
    recording(() => Response.json({ error: "missing or wrong bearer token" }, { status: 401 }));
    const onUnauthorized = vi.fn();
    const api = makeApi("/b", () => "t", onUnauthorized);
    const err = await api.json("GET", "/status").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect((err as ApiError).message).toBe("401: missing or wrong bearer token");
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it("reads Traefik's {message} errors and plain text too", async () => {
    recording(() => Response.json({ message: "router not found" }, { status: 404 }));
    expect(((await makeApi("", () => "t", () => {}).json("GET", "/api/http/routers/x").catch((e: Error) => e)) as Error).message).toBe("404: router not found");
    recording(() => new Response("boom", { status: 500 }));
    expect(((await makeApi("", () => "t", () => {}).json("GET", "/x").catch((e: Error) => e)) as Error).message).toBe("500: boom");
  });
});
