// Options of the web middlewares refused with their JSON path: at validation where Traefik would
// refuse them (or fail every request), at compile time where it depends on the runtime.
import { describe, expect, it } from "vitest";
import { compileSnapshot } from "../../../../worker/compile/snapshot.ts";
import { validateConfig } from "../../../../worker/config/index.ts";

function config(middleware: Record<string, unknown>) {
  return {
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["m"] } },
      services: { s: { loadBalancer: { servers: [{ url: "http://127.0.0.1:9" }] } } },
      middlewares: { m: middleware },
    },
  };
}

function errorsOf(middleware: Record<string, unknown>): { path: string; message: string }[] {
  const valid = validateConfig(config(middleware));
  return valid.ok ? [] : valid.errors;
}

function compileErrors(middleware: Record<string, unknown>): { path: string; message: string }[] {
  const valid = validateConfig(config(middleware));
  if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
  const compiled = compileSnapshot(valid.config, { version: 1, sha256: "", source: "t", provider: "file", warnings: [] }, null);
  return compiled.ok ? [] : compiled.errors;
}

describe("validation of the web middlewares", () => {
  it.each([
    [{ stripPrefixRegex: { regex: ["/ok", "/(unclosed"] } }, "http.middlewares.m.stripPrefixRegex.regex[1]", "invalid regular expression"],
    // (?U) was refused while regexes ran as JS; Go (re2js) takes it. A back-reference Go refuses.
    [{ replacePathRegex: { regex: "(x)\\1", replacement: "/" } }, "http.middlewares.m.replacePathRegex.regex", "invalid escape sequence: `\\1`"],
    [{ redirectRegex: { regex: "[", replacement: "/x" } }, "http.middlewares.m.redirectRegex.regex", "invalid regular expression"],
    [{ redirectScheme: { scheme: "x_y" } }, "http.middlewares.m.redirectScheme.scheme", "not a URL scheme"],
    [{ redirectScheme: { scheme: "" } }, "http.middlewares.m.redirectScheme.scheme", "scheme is required: the scheme to redirect to, e.g. scheme: https"],
    [{ redirectScheme: { scheme: "https", port: "99999" } }, "http.middlewares.m.redirectScheme.port", "not a port"],
    [{ headers: { accessControlAllowOriginListRegex: ["(bad"] } }, "http.middlewares.m.headers.accessControlAllowOriginListRegex[0]", "invalid regular expression"],
    [{ headers: {} }, "http.middlewares.m.headers", "headers configuration not valid"],
    [{ headers: { frameDeny: false, customRequestHeaders: {} } }, "http.middlewares.m.headers", "headers configuration not valid"],
    [{ headers: { frameDenny: true } }, "http.middlewares.m.headers.frameDenny", 'did you mean "frameDeny"'],
    [{ compress: { encodings: [] } }, "http.middlewares.m.compress.encodings", "at least one encoding"],
    [{ compress: { encodings: ["gzip"], defaultEncoding: "br" } }, "http.middlewares.m.compress.defaultEncoding", "not one of encodings"],
    [{ compress: { encodings: ["lzma"] } }, "http.middlewares.m.compress.encodings[0]", ""],
    [{ compress: { excludedContentTypes: ["text/"] } }, "http.middlewares.m.compress.excludedContentTypes[0]", "not a media type"],
    [{ compress: { includedContentTypes: ["a/b; x"] } }, "http.middlewares.m.compress.includedContentTypes[0]", "not a media type"],
    [{ compress: { includedContentTypes: ["a/b"], excludedContentTypes: ["c/d"] } }, "http.middlewares.m.compress", "cannot be used together"],
    [{ replacePath: { path: "/a%zz" } }, "http.middlewares.m.replacePath.path", "invalid percent-encoding"],
    [{ errors: { status: ["500"], service: "s", statusRewrites: { "500": 101 } } }, 'http.middlewares.m.errors.statusRewrites["500"]', "final status"],
    [{ errors: { status: ["5xx"], service: "s" } }, "http.middlewares.m.errors.status[0]", "not a status code"],
    [{ errors: { status: ["500"], service: "missing" } }, "http.middlewares.m.errors.service", "does not exist"],
    [{ encodedCharacters: { allowEncodedSlahs: true } }, "http.middlewares.m.encodedCharacters.allowEncodedSlahs", 'did you mean "allowEncodedSlash"'],
  ])("%j is refused at %s", (middleware, path, message) => {
    const found = errorsOf(middleware).find((e) => e.path === path);
    expect(found, JSON.stringify(errorsOf(middleware))).toBeDefined();
    expect(found!.message).toContain(message);
  });

  it.each([
    { compress: { encodings: ["deflate", "gzip"], defaultEncoding: "deflate" } },
    { compress: null },
    { contentType: null },
    { encodedCharacters: null },
    { headers: { isDevelopment: true } },
    { replacePath: { path: "" } },
    { replacePathRegex: { regex: "^(?i)/x", replacement: "" } },
    { stripPrefix: { prefixes: [], forceSlash: true } },
    { errors: { status: ["404,500-599"], service: "s", statusRewrites: { "502-504": "500" }, query: "/{status}?u={url}" } },
  ])("accepts %j", (middleware) => {
    expect(errorsOf(middleware)).toEqual([]);
    expect(compileErrors(middleware)).toEqual([]);
  });

  it("warns about the deprecated headers options and still applies them", () => {
    const valid = validateConfig(config({ headers: { sslRedirect: true, featurePolicy: "x" } }));
    expect(valid.ok).toBe(true);
    expect(valid.warnings.map((w) => w.path)).toEqual(expect.arrayContaining(["http.middlewares.m.headers.sslRedirect", "http.middlewares.m.headers.featurePolicy"]));
  });
});

// Traefik's constructor cases (New… returning an error or not), as validation results.
describe("Traefik's constructor tables, at validation", () => {
  it.each([
    ["add_prefix_test.go TestNewAddPrefix", "Fails if prefix is empty", { addPrefix: { prefix: "" } }, "http.middlewares.m.addPrefix.prefix", ""],
    ["replace_path_regex_test.go TestReplacePathRegex", "invalid regular expression", { replacePathRegex: { regex: "^(?err)/invalid/regexp/([^/]+)$", replacement: "/valid/regexp/$1" } }, "http.middlewares.m.replacePathRegex.regex", "invalid regular expression"],
    ["redirect_regex_test.go TestRedirectRegexHandler", "invalid regex", { redirectRegex: { regex: "^(.*", replacement: "$1" } }, "http.middlewares.m.redirectRegex.regex", "invalid regular expression"],
    ["redirect_scheme_test.go TestRedirectSchemeHandler", "Without scheme", { redirectScheme: {} }, "http.middlewares.m.redirectScheme.scheme", "scheme is required: the scheme to redirect to, e.g. scheme: https"],
    ["headers_test.go", "TestNew_withoutOptions", { headers: {} }, "http.middlewares.m.headers", "headers configuration not valid"],
    ["header_test.go TestNewHeader_CORSResponses", "Regexp Malformed Origin Request", { headers: { accessControlAllowOriginListRegex: ["a(b"] } }, "http.middlewares.m.headers.accessControlAllowOriginListRegex[0]", "invalid regular expression"],
    // pkg/middlewares/auth/basic_auth.go NewBasic: "no users found".
    ["basic_auth.go NewBasic", "no users", { basicAuth: { users: [] } }, "http.middlewares.m.basicAuth.users", "no users found"],
    ["basic_auth.go NewBasic", "no users field", { basicAuth: {} }, "http.middlewares.m.basicAuth.users", "no users found"],
  ])("traefik %s %j is refused", (_test, _desc, middleware, path, message) => {
    const found = errorsOf(middleware).find((e) => e.path === path);
    expect(found, JSON.stringify(errorsOf(middleware))).toBeDefined();
    expect(found!.message).toContain(message);
  });

  it.each([
    ["add_prefix_test.go TestNewAddPrefix", "Works with a non empty prefix", { addPrefix: { prefix: "/a" } }],
    ["headers_test.go", "TestNew_withSTSSecondsZero", { headers: { stsSeconds: 0 } }],
    ["redirect_scheme_test.go TestRedirectSchemeHandler", "HTTP to wss", { redirectScheme: { scheme: "wss", port: "9443" } }],
    ["redirect_scheme.go", "any scheme Go can parse", { redirectScheme: { scheme: "ftp" } }],
  ])("traefik %s %j is accepted", (_test, _desc, middleware) => {
    expect(errorsOf(middleware)).toEqual([]);
    expect(compileErrors(middleware)).toEqual([]);
  });
});

describe("refused when the router is built", () => {
  it("grpcWeb: not supported on Workers, naming the middleware's path", () => {
    const [error] = compileErrors({ grpcWeb: { allowOrigins: ["*"] } });
    expect(error).toMatchObject({ path: "http.middlewares.m.grpcWeb" });
    expect(error!.message).toContain("not supported on Workers");
  });

  it("compress: encodings none of which a Worker's CompressionStream offers are refused already at validation", () => {
    expect(() => compileErrors({ compress: { encodings: ["br", "zstd"] } })).toThrow(
      /"path":"http.middlewares.m.compress.encodings","message":"none of the encodings br, zstd is available on Workers: a Worker's CompressionStream offers gzip and deflate only"/,
    );
  });
});
