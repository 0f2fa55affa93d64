// redirectScheme without a scheme: Traefik refuses it ("you must provide a target scheme",
// pkg/middlewares/redirect/redirect_scheme.go NewRedirectScheme; there is no default scheme), and
// so does Switchyard, saying what is missing and how to write it.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../worker/config/index.ts";

const REQUIRED = "scheme is required: the scheme to redirect to, e.g. scheme: https";

function errorsOf(options: string): [string, string][] {
  const result = loadConfig(`http:\n  middlewares:\n    m:\n      redirectScheme:\n${options}`, "yaml");
  return result.ok ? [] : result.errors.map((e) => [e.path, e.message]);
}

describe("redirectScheme's scheme", () => {
  it.each([
    // traefik pkg/middlewares/redirect/redirect_scheme_test.go TestRedirectSchemeHandler "Without scheme"
    ["absent", "        port: \"443\"\n"],
    ["absent, only permanent set", "        permanent: true\n"],
    ["empty", "        scheme: \"\"\n"],
  ])("is required when %s, with one error that says so", (_, options) => {
    expect(errorsOf(options)).toEqual([["http.middlewares.m.redirectScheme.scheme", REQUIRED]]);
  });

  it("says what a scheme that is not a string is", () => {
    expect(errorsOf("        scheme: [https]\n")).toEqual([["http.middlewares.m.redirectScheme.scheme", "expected a string, got a list"]]);
  });

  it("still refuses a scheme Go's url.Parse cannot read", () => {
    expect(errorsOf("        scheme: x_y\n")[0]?.[1]).toContain("not a URL scheme");
  });

  it("accepts Traefik's example (redirectscheme.md)", () => {
    const result = loadConfig("http:\n  middlewares:\n    test-redirectscheme:\n      redirectScheme:\n        scheme: https\n        permanent: true\n", "yaml");
    expect(result.ok && result.config.http?.middlewares?.["test-redirectscheme"]?.redirectScheme).toEqual({ scheme: "https", permanent: true });
  });
});
