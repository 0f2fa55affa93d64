import { describe, expect, it } from "vitest";
import { compileGoRegexp } from "../../../worker/go/regexp/index.ts";
import { durationMs, formatPath, parseDuration, parseRef, resolveRef } from "../../../worker/config/index.ts";

describe("durations", () => {
  it.each([
    ["10s", 10_000],
    ["1m30s", 90_000],
    ["100ms", 100],
    ["1.5h", 5_400_000],
    ["2h45m", 9_900_000],
    ["500us", 0.5],
    ["500µs", 0.5],
    ["0", 0],
    ["-1s", -1000],
    ["42", 42_000],
    [42, 42_000],
    [0, 0],
  ] as const)("%s is %d ms", (value, ms) => {
    expect(durationMs(value)).toBe(ms);
  });

  it.each(["", "1.5", "10 s", "1d", "s", "1m30", "ten seconds", "--1s"])("rejects %s", (value) => {
    expect(parseDuration(value).ok).toBe(false);
  });

  it("rejects fractional bare numbers and non-durations", () => {
    expect(parseDuration(1.5)).toEqual({ ok: false, error: expect.stringContaining('"1.5s"') });
    expect(parseDuration(true).ok).toBe(false);
    expect(() => durationMs("soon")).toThrow(/invalid duration/);
  });
});

describe("formatPath", () => {
  it("dots identifiers, indexes arrays, quotes other keys", () => {
    expect(formatPath(["http", "routers", "api", "rule"])).toBe("http.routers.api.rule");
    expect(formatPath(["http", "middlewares", "auth", "basicAuth", "users", 1])).toBe("http.middlewares.auth.basicAuth.users[1]");
    expect(formatPath(["http", "routers", "my.router", "rule"])).toBe('http.routers["my.router"].rule');
    expect(formatPath(["http", "routers", "my-router"])).toBe("http.routers.my-router");
    expect(formatPath(["http", "services", "1st"])).toBe('http.services["1st"]');
    expect(formatPath([])).toBe("");
  });
});

describe("references", () => {
  it("parses name@provider", () => {
    expect(parseRef("svc")).toEqual({ name: "svc", provider: null });
    expect(parseRef("svc@file")).toEqual({ name: "svc", provider: "file" });
  });

  it("resolves Switchyard's providers to the local name", () => {
    for (const ref of ["svc", "svc@file", "svc@kv", "svc@switchyard"]) {
      expect(resolveRef(ref, "service")).toEqual({ kind: "local", name: "svc" });
    }
  });

  it("allows the built-in @internal services as router services only", () => {
    expect(resolveRef("api@internal", "service", true)).toEqual({ kind: "internal", name: "api" });
    expect(resolveRef("dashboard@internal", "service", true)).toEqual({ kind: "internal", name: "dashboard" });
    expect(resolveRef("noop@internal", "service", true)).toEqual({ kind: "internal", name: "noop" });
    expect(resolveRef("noop@internal", "service").kind).toBe("error");
    expect(resolveRef("prometheus@internal", "service", true).kind).toBe("error");
    expect(resolveRef("x@internal", "middleware").kind).toBe("error");
  });

  it("rejects other providers and malformed references", () => {
    expect(resolveRef("svc@docker", "service")).toEqual({ kind: "error", message: expect.stringContaining('provider "docker" is not available in Switchyard') });
    expect(resolveRef("@file", "service").kind).toBe("error");
    expect(resolveRef("a@b@file", "service").kind).toBe("error");
  });
});

describe("compileGoRegexp (middleware fields)", () => {
  it("reads Go named groups and leading flags", () => {
    const named = compileGoRegexp("^/(?P<id>[0-9]+)$");
    expect(named.ok).toBe(true);
    if (!named.ok) return;
    const m = named.value.find("/42", 0);
    expect(m?.group(named.value.groupIndex("id"))).toBe("42");
    const insensitive = compileGoRegexp("(?i)^/API");
    expect(insensitive.ok && insensitive.value.test("/api")).toBe(true);
  });

  it("takes Go's ungreedy flag (?U), which the JavaScript translation had to refuse", () => {
    const lazy = compileGoRegexp("(?U)a+");
    expect(lazy.ok && lazy.value.find("aaa", 0)?.group(0)).toBe("a");
  });

  it("explains what does not compile, in Go's words", () => {
    expect(compileGoRegexp("([a-z]")).toEqual({ ok: false, error: "missing closing ): `([a-z]`" });
  });
});
