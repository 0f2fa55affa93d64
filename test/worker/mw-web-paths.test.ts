// Path middlewares against the real whoami upstream: what the upstream receives (request target
// and headers), case tables taken from Traefik's own tests and documentation.
import { describe, expect, inject, it } from "vitest";
import { lb, send, snapshotOf, type Echo } from "./helpers/serve.ts";

const upstream = inject("whoamiUrl");

function config(middlewares: Record<string, unknown>, order = Object.keys(middlewares)) {
  return {
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: order } },
      services: { s: lb(upstream) },
      middlewares,
    },
  };
}

async function through(middlewares: Record<string, unknown>, path: string, init: RequestInit = {}) {
  const response = await send(snapshotOf(config(middlewares)), `https://x.test${path}`, init);
  return { response, echo: response.status === 200 ? ((await response.json()) as Echo) : null };
}

async function echoOf(middlewares: Record<string, unknown>, path: string): Promise<Echo> {
  const { response, echo } = await through(middlewares, path);
  expect(response.status).toBe(200);
  return echo!;
}

describe("addPrefix", () => {
  it.each([
    ["/a", "/b", "/a/b"],
    ["a", "/", "/a/"], // missing leading slash
    ["/a", "/b%2Fc", "/a/b%2Fc"], // the raw path keeps its encoded slash
    ["/a", "/b?x=1&y=%20", "/a/b?x=1&y=%20"], // the query is untouched
  ])("prefix %s on %s sends %s", async (prefix, path, expected) => {
    expect((await echoOf({ add: { addPrefix: { prefix } } }, path)).url).toBe(expected);
  });

  it("a prefix with an escape is encoded again, as Go's EscapedPath does", async () => {
    // Go adds the prefix to the decoded path; the literal "%2F" no longer decodes to it, so "%" is escaped.
    expect((await echoOf({ add: { addPrefix: { prefix: "/a%2Fb" } } }, "/c")).url).toBe("/a%252Fb/c");
  });
});

describe("stripPrefix (Traefik's strip_prefix_test table)", () => {
  it.each([
    [[], "/noprefixes", "/noprefixes", undefined],
    [["/"], "/", "/", "/"],
    [["/stat"], "/stat", "/", "/stat"],
    [["/stat/"], "/stat/", "/", "/stat/"],
    [["/stat/"], "/stat/us", "/us", "/stat/"],
    [["/stat/"], "/status", "/status", undefined],
    [["/stat"], "/stat/", "/", "/stat"],
    [["/stat", "/stat/us"], "/stat/us", "/us", "/stat"],
    [["/mismatch", "/stat"], "/stat", "/", "/stat"],
    [["/stat"], "/status", "/us", "/stat"],
    [["/stat"], "/stat/a%2Fb", "/a%2Fb", "/stat"],
    [["/api/"], "/ap%69/a%2Fb", "/a%2Fb", "/api/"], // matched on the decoded path, cut on the raw one
  ])("prefixes %j on %s sends %s", async (prefixes, path, expected, header) => {
    const e = await echoOf({ strip: { stripPrefix: { prefixes } } }, path);
    expect(e.url).toBe(expected);
    expect(e.headers["x-forwarded-prefix"]).toBe(header);
  });

  it.each([
    ["/api./foo", false],
    ["/api../foo", false],
    ["/api../foo", true],
  ])("refuses %s (a dot segment left after stripping /api, forceSlash %s) with 400", async (path, forceSlash) => {
    const { response } = await through({ strip: { stripPrefix: { prefixes: ["/api"], forceSlash } } }, path);
    expect(response.status).toBe(400);
  });

  it("leaves an empty path for the next middleware: stripPrefix /api then addPrefix /v2 on /api is /v2", async () => {
    const mws = { strip: { stripPrefix: { prefixes: ["/api"] } }, add: { addPrefix: { prefix: "/v2" } } };
    expect((await echoOf(mws, "/api")).url).toBe("/v2");
    expect((await echoOf(mws, "/api?q=1")).url).toBe("/v2?q=1");
    expect((await echoOf(mws, "/api/x")).url).toBe("/v2/x");
  });

  it("forceSlash (deprecated) keeps the slash: /api then addPrefix /v2 is /v2/", async () => {
    const mws = { strip: { stripPrefix: { prefixes: ["/api"], forceSlash: true } }, add: { addPrefix: { prefix: "/v2" } } };
    expect((await echoOf(mws, "/api")).url).toBe("/v2/");
  });

  it("adds to X-Forwarded-Prefix rather than replacing it, and trims the prefix's spaces", async () => {
    const mws = { a: { stripPrefix: { prefixes: ["/a"] } }, b: { stripPrefix: { prefixes: ["/b "] } } };
    const e = await echoOf(mws, "/a/b /c");
    expect(e.url).toBe("/c");
    expect(e.headers["x-forwarded-prefix"]).toBe("/a, /b");
  });

  it("matches a non-ASCII prefix on the decoded path and sends it as UTF-8", async () => {
    const e = await echoOf({ strip: { stripPrefix: { prefixes: ["/café"] } } }, "/caf%C3%A9/x");
    expect(e.url).toBe("/x");
    // Sent as UTF-8, as Go does; Node reads header bytes as Latin-1, hence two characters for "é".
    expect(e.headers["x-forwarded-prefix"]).toBe("/caf\u00c3\u00a9");
  });

  it("keeps the request body", async () => {
    const snap = snapshotOf(config({ strip: { stripPrefix: { prefixes: ["/api"] } } }));
    const res = await send(snap, "https://x.test/api/upload", { method: "POST", body: "x".repeat(70_000) });
    expect(((await res.json()) as Echo).bodyBytes).toBe(70_000);
  });
});

describe("stripPrefixRegex (Traefik's strip_prefix_regex_test table)", () => {
  const regex = ["/a/api/", "/b/([a-z0-9]+)/", "/c/[a-z0-9]+/[0-9]+/"];
  it.each([
    ["/a/test", "/a/test", undefined],
    ["/a/test/", "/a/test/", undefined],
    ["/a/api/", "/", "/a/api/"],
    ["/a/api/test", "/test", "/a/api/"],
    ["/a/api/test/", "/test/", "/a/api/"],
    ["/b/api/", "/", "/b/api/"],
    ["/b/api", "/b/api", undefined],
    ["/b/api/test1", "/test1", "/b/api/"],
    ["/b/api2/test2", "/test2", "/b/api2/"],
    ["/c/api/123/", "/", "/c/api/123/"],
    ["/c/api/123", "/c/api/123", undefined],
    ["/c/api/123/test3", "/test3", "/c/api/123/"],
    ["/c/api/abc/test4", "/c/api/abc/test4", undefined],
    ["/a/api/a%2Fb", "/a%2Fb", "/a/api/"],
  ])("%s sends %s", async (path, expected, header) => {
    const e = await echoOf({ strip: { stripPrefixRegex: { regex } } }, path);
    expect(e.url).toBe(expected);
    expect(e.headers["x-forwarded-prefix"]).toBe(header);
  });

  it("is not anchored, but strips only a match that starts the path", async () => {
    const mws = { strip: { stripPrefixRegex: { regex: ["/v[0-9]+"] } } };
    expect((await echoOf(mws, "/x/v1/y")).url).toBe("/x/v1/y");
    expect((await echoOf(mws, "/v12/y")).url).toBe("/y");
  });

  it("reads Go regex syntax: (?i) and named groups", async () => {
    const mws = { strip: { stripPrefixRegex: { regex: ["(?i)/(?P<ver>API)"] } } };
    expect((await echoOf(mws, "/api/x")).url).toBe("/x");
  });
});

describe("replacePath (Traefik's replace_path_test table)", () => {
  it.each([
    ["/example", "/replacement-path", "/replacement-path", "/example"],
    ["/some/really/long/path", "/replacement-path", "/replacement-path", "/some/really/long/path"],
    ["/foo%2Fbar", "/replacement-path", "/replacement-path", "/foo%2Fbar"],
    ["/path", "/foo%2Fbar", "/foo%2Fbar", "/path"],
    ["/path/%08bar", "/path/%08bar", "/path/%08bar", "/path/%08bar"],
  ])("%s replaced by %s sends %s", async (path, replacement, expected, header) => {
    const e = await echoOf({ rp: { replacePath: { path: replacement } } }, path);
    expect(e.url).toBe(expected);
    expect(e.headers["x-replaced-path"]).toBe(header);
  });

  it("keeps the query and re-encodes what is not a valid path encoding", async () => {
    const e = await echoOf({ rp: { replacePath: { path: "/a b|c" } } }, "/old?q=1");
    expect(e.url).toBe("/a%20b%7Cc?q=1");
  });
});

describe("replacePathRegex (Traefik's replace_path_regex_test table)", () => {
  it.each([
    ["/whoami/and/whoami", "^/whoami/(.*)", "/who-am-i/$1", "/who-am-i/and/whoami", "/whoami/and/whoami"],
    ["/whoami/and/whoami", "/whoami", "/who-am-i", "/who-am-i/and/who-am-i", "/whoami/and/whoami"],
    ["/whoami/and/whoami", "/whoami", "", "/and", "/whoami/and/whoami"],
    ["/whoami/and/whoami", "/no-match", "/whoami", "/whoami/and/whoami", undefined],
    ["/downloads/src/source.go", "^(?i)/downloads/([^/]+)/([^/]+)$", "/downloads/$1-$2", "/downloads/src-source.go", "/downloads/src/source.go"],
    ["/aaa/bbb", "/aaa/bbb", "/foo%2Fbar", "/foo%2Fbar", "/aaa/bbb"],
    ["/aaa%2Fbbb", "/aaa%2Fbbb", "/foo/bar", "/foo/bar", "/aaa%2Fbbb"],
    ["/aaa%2Fbbb", "/aaa/bbb", "/foo/bar", "/aaa%2Fbbb", undefined],
    ["/foo/%08bar", "^/foo/(.*)", "/$1", "/%08bar", "/foo/%08bar"],
  ])("%s with %s → %s sends %s", async (path, regex, replacement, expected, header) => {
    const e = await echoOf({ rp: { replacePathRegex: { regex, replacement } } }, path);
    expect(e.url).toBe(expected);
    expect(e.headers["x-replaced-path"]).toBe(header);
  });

  it("expands as Go: $1x is group \"1x\" (empty), ${1}x is group 1 then x, $$ is $", async () => {
    const mws = (replacement: string) => ({ rp: { replacePathRegex: { regex: "^/(\\w+)$", replacement } } });
    expect((await echoOf(mws("/$1x"), "/abc")).url).toBe("/");
    expect((await echoOf(mws("/${1}x"), "/abc")).url).toBe("/abcx");
    expect((await echoOf(mws("/$$1"), "/abc")).url).toBe("/$1");
    expect((await echoOf(mws("/$9"), "/abc")).url).toBe("/"); // a group that does not exist is empty
  });

  it("answers 500 when the replacement is not a valid encoding", async () => {
    const { response } = await through({ rp: { replacePathRegex: { regex: "^/(.*)", replacement: "/%zz$1" } } }, "/x");
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('invalid URL escape "%zz"\n');
  });
});

describe("encodedCharacters (Traefik's encoded_characters_test table)", () => {
  // traefik pkg/middlewares/encodedcharacters/encoded_characters_test.go TestEncodedCharacters: its 14
  // cases, "deny encoded X" and "allow encoded X" for each of the seven characters.
  const cases: [string, string][] = [
    ["allowEncodedSlash", "/foo%2fbar"],
    ["allowEncodedBackSlash", "/foo%5cbar"],
    ["allowEncodedNullCharacter", "/foo%00bar"],
    ["allowEncodedSemicolon", "/foo%3bbar"],
    ["allowEncodedPercent", "/foo%25bar"],
    ["allowEncodedQuestionMark", "/foo%3fbar"],
    ["allowEncodedHash", "/foo%23bar"],
  ];
  it.each(cases)("denies %s's character by default, allows it when %s is set", async (option, path) => {
    const denied = await through({ ec: { encodedCharacters: {} } }, path);
    expect(denied.response.status).toBe(400);
    expect(await denied.response.text()).toBe("");
    const allowed = await through({ ec: { encodedCharacters: { [option]: true } } }, path);
    expect(allowed.response.status).toBe(200);
    expect(allowed.echo!.url).toBe(path);
  });

  // traefik pkg/middlewares/encodedcharacters/encoded_characters_test.go TestMapDeniedCharacters:
  // both hex cases are denied ("%2F" and "%2f"), and each option allows only its own character.
  it('TestMapDeniedCharacters "deny all characters", "allow only encoded slash", "allow all characters"', async () => {
    const forms = ["%2F", "%2f", "%5C", "%5c", "%00", "%3B", "%3b", "%25", "%3F", "%3f", "%23"];
    for (const form of forms) expect((await through({ ec: { encodedCharacters: {} } }, `/a${form}b`)).response.status, form).toBe(400);
    const slashOnly = { ec: { encodedCharacters: { allowEncodedSlash: true } } };
    for (const form of forms) expect((await through(slashOnly, `/a${form}b`)).response.status, form).toBe(/^%2f$/i.test(form) ? 200 : 400);
    const all = Object.fromEntries(cases.map(([option]) => [option, true]));
    for (const form of forms) expect((await through({ ec: { encodedCharacters: all } }, `/a${form}b`)).response.status, form).toBe(200);
  });

  it("lets other escapes through, and sees escapes left by an earlier rewrite", async () => {
    expect((await through({ ec: { encodedCharacters: null } }, "/caf%C3%A9%20x")).response.status).toBe(200);
    const mws = { rp: { replacePath: { path: "/a%2Fb" } }, ec: { encodedCharacters: {} } };
    expect((await through(mws, "/plain")).response.status).toBe(400);
  });
});
