// Path middlewares against the real whoami upstream: what the upstream receives (request target
// and headers), case tables taken from Traefik's own tests and documentation.
import { describe, expect, inject, it } from "vitest";
import { lb, send, snapshotOf, type Echo } from "../../helpers/serve.ts";

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

// A ported case: Traefik's case name, the middleware options, the path sent, then what Traefik's
// test expects: the status, the request target the upstream receives and the header recorded.
interface PathCase {
  desc: string;
  options: Record<string, unknown>;
  path: string;
  status?: number;
  url?: string;
  header?: string;
}

async function expectCase(type: string, header: string, c: PathCase): Promise<void> {
  const { response, echo } = await through({ m: { [type]: c.options } }, c.path);
  expect(response.status).toBe(c.status ?? 200);
  if ((c.status ?? 200) !== 200) return;
  expect(echo!.url).toBe(c.url);
  expect(echo!.headers[header]).toBe(c.header);
}

// traefik pkg/middlewares/addprefix/add_prefix_test.go TestAddPrefix (Go's Path/RawPath pair is
// seen upstream as one request target: RawPath when set, else Path). TestNewAddPrefix: mw-web-validation.
describe("addPrefix: traefik add_prefix_test.go TestAddPrefix", () => {
  const cases: PathCase[] = [
    { desc: "Works with a regular path", options: { prefix: "/a" }, path: "/b", url: "/a/b" },
    { desc: "Works with missing leading slash", options: { prefix: "a" }, path: "/", url: "/a/" },
    { desc: "Works with a raw path", options: { prefix: "/a" }, path: "/b%2Fc", url: "/a/b%2Fc" },
  ];
  it.each(cases)("$desc", (c) => expectCase("addPrefix", "x-forwarded-prefix", c));

  it("leaves the query untouched", async () => {
    expect((await echoOf({ add: { addPrefix: { prefix: "/a" } } }, "/b?x=1&y=%20")).url).toBe("/a/b?x=1&y=%20");
  });

  it("a prefix with an escape is encoded again, as Go's EscapedPath does", async () => {
    // Go adds the prefix to the decoded path; the literal "%2F" no longer decodes to it, so "%" is escaped.
    expect((await echoOf({ add: { addPrefix: { prefix: "/a%2Fb" } } }, "/c")).url).toBe("/a%252Fb/c");
  });
});

// traefik pkg/middlewares/stripprefix/strip_prefix_test.go TestStripPrefix. Go's expectedPath ""
// is sent as "/" (its RequestURI).
describe("stripPrefix: traefik strip_prefix_test.go TestStripPrefix", () => {
  const cases: PathCase[] = [
    { desc: "no prefixes configured", options: { prefixes: [] }, path: "/noprefixes", url: "/noprefixes" },
    { desc: "wildcard (.*) requests", options: { prefixes: ["/"] }, path: "/", url: "/", header: "/" },
    { desc: "prefix and path matching", options: { prefixes: ["/stat"] }, path: "/stat", url: "/", header: "/stat" },
    { desc: "path prefix on exactly matching path", options: { prefixes: ["/stat/"] }, path: "/stat/", url: "/", header: "/stat/" },
    { desc: "path prefix on matching longer path", options: { prefixes: ["/stat/"] }, path: "/stat/us", url: "/us", header: "/stat/" },
    { desc: "path prefix on mismatching path", options: { prefixes: ["/stat/"] }, path: "/status", url: "/status" },
    { desc: "general prefix on matching path", options: { prefixes: ["/stat"] }, path: "/stat/", url: "/", header: "/stat" },
    { desc: "earlier prefix matching", options: { prefixes: ["/stat", "/stat/us"] }, path: "/stat/us", url: "/us", header: "/stat" },
    { desc: "later prefix matching", options: { prefixes: ["/mismatch", "/stat"] }, path: "/stat", url: "/", header: "/stat" },
    { desc: "prefix matching within slash boundaries", options: { prefixes: ["/stat"] }, path: "/status", url: "/us", header: "/stat" },
    { desc: "raw path is also stripped", options: { prefixes: ["/stat"] }, path: "/stat/a%2Fb", url: "/a%2Fb", header: "/stat" },
    { desc: "encoded char in prefix segment of raw path", options: { prefixes: ["/api/"] }, path: "/ap%69/a%2Fb", url: "/a%2Fb", header: "/api/" },
    { desc: "dot in the path not stripped by the prefix", options: { prefixes: ["/api"] }, path: "/api./foo", status: 400 },
    { desc: "multiple dots in the path not stripped by the prefix", options: { prefixes: ["/api"] }, path: "/api../foo", status: 400 },
    // Traefik's test loop resets ForceSlash to false; with it true the code refuses the path too.
    { desc: "multiple dots in the path not stripped by the prefix with forceSlash", options: { prefixes: ["/api"], forceSlash: true }, path: "/api../foo", status: 400 },
  ];
  it.each(cases)("$desc", (c) => expectCase("stripPrefix", "x-forwarded-prefix", c));

  it("answers the 400 as Go's http.Error, without reaching the upstream", async () => {
    const { response } = await through({ strip: { stripPrefix: { prefixes: ["/api"] } } }, "/api../foo");
    expect(await response.text()).toBe("Bad Request\n");
  });

  it("refuses what Go's JoinPath would clean: a doubled slash left after stripping", async () => {
    // Traefik compares the stripped path with URL.JoinPath()'s, which also merges "//".
    const { response } = await through({ strip: { stripPrefix: { prefixes: ["/api"] } } }, "/api//foo");
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

  it("adds to X-Forwarded-Prefix rather than replacing it, and matches the prefix trimmed of spaces", async () => {
    // Traefik trims each prefix before matching: "/b " strips "/b" from "/b /c", leaving "/ /c".
    const mws = { a: { stripPrefix: { prefixes: ["/a"] } }, b: { stripPrefix: { prefixes: ["/b "] } } };
    const e = await echoOf(mws, "/a/b /c");
    expect(e.url).toBe("/%20/c");
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

// traefik pkg/middlewares/stripprefixregex/strip_prefix_regex_test.go TestStripPrefixRegex.
describe("stripPrefixRegex: traefik strip_prefix_regex_test.go TestStripPrefixRegex", () => {
  const a = { regex: ["/a/api/"] };
  const b = { regex: ["/b/([a-z0-9]+)/"] };
  const c = { regex: ["/c/[a-z0-9]+/[0-9]+/"] };
  const t = { regex: ["/t /test"] };
  const cases: PathCase[] = [
    { desc: "/a/test", options: a, path: "/a/test", url: "/a/test" },
    { desc: "/a/test/", options: a, path: "/a/test/", url: "/a/test/" },
    { desc: "/a/api/", options: a, path: "/a/api/", url: "/", header: "/a/api/" },
    { desc: "/a/api/test", options: a, path: "/a/api/test", url: "/test", header: "/a/api/" },
    { desc: "/a/api/test/", options: a, path: "/a/api/test/", url: "/test/", header: "/a/api/" },
    { desc: "/b/api/", options: b, path: "/b/api/", url: "/", header: "/b/api/" },
    { desc: "/b/api", options: b, path: "/b/api", url: "/b/api" },
    { desc: "/b/api/test1", options: b, path: "/b/api/test1", url: "/test1", header: "/b/api/" },
    { desc: "/b/api2/test2", options: b, path: "/b/api2/test2", url: "/test2", header: "/b/api2/" },
    { desc: "/c/api/123/", options: c, path: "/c/api/123/", url: "/", header: "/c/api/123/" },
    { desc: "/c/api/123", options: c, path: "/c/api/123", url: "/c/api/123" },
    { desc: "/c/api/123/test3", options: c, path: "/c/api/123/test3", url: "/test3", header: "/c/api/123/" },
    { desc: "/c/api/abc/test4", options: c, path: "/c/api/abc/test4", url: "/c/api/abc/test4" },
    { desc: "/a/api/a2Fb", options: a, path: "/a/api/a%2Fb", url: "/a%2Fb", header: "/a/api/" },
    { desc: "/b/ap69/test", options: b, path: "/b/ap%69/test", url: "/test", header: "/b/api/" },
    { desc: "/b/ap69/a2Fb", options: b, path: "/b/ap%69/a%2Fb", url: "/a%2Fb", header: "/b/api/" },
    { desc: "/t2F/test/foo", options: t, path: "/t%2F/test/foo", url: "/t%2F/test/foo" },
    // Go's test sends a raw space; a URL parser (the Worker's) sends it as %20, the next case.
    { desc: "/t /test/a2Fb", options: t, path: "/t /test/a%2Fb", url: "/a%2Fb", header: "/t /test" },
    { desc: "/t20/test/a2Fb", options: t, path: "/t%20/test/a%2Fb", url: "/a%2Fb", header: "/t /test" },
    { desc: "/api./foo", options: { regex: ["/api"] }, path: "/api./foo", status: 400 },
    { desc: "/api../foo", options: { regex: ["/api"] }, path: "/api../foo", status: 400 },
  ];
  it.each(cases)("$desc", (c) => expectCase("stripPrefixRegex", "x-forwarded-prefix", c));

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

// traefik pkg/middlewares/replacepath/replace_path_test.go TestReplacePath.
describe("replacePath: traefik replace_path_test.go TestReplacePath", () => {
  const cases: PathCase[] = [
    { desc: "simple path", options: { path: "/replacement-path" }, path: "/example", url: "/replacement-path", header: "/example" },
    { desc: "long path", options: { path: "/replacement-path" }, path: "/some/really/long/path", url: "/replacement-path", header: "/some/really/long/path" },
    { desc: "path with escaped value", options: { path: "/replacement-path" }, path: "/foo%2Fbar", url: "/replacement-path", header: "/foo%2Fbar" },
    { desc: "replacement with escaped value", options: { path: "/foo%2Fbar" }, path: "/path", url: "/foo%2Fbar", header: "/path" },
    { desc: "replacement with percent encoded backspace char", options: { path: "/path/%08bar" }, path: "/path/%08bar", url: "/path/%08bar", header: "/path/%08bar" },
  ];
  it.each(cases)("$desc", (c) => expectCase("replacePath", "x-replaced-path", c));

  it("keeps the query and re-encodes what is not a valid path encoding", async () => {
    const e = await echoOf({ rp: { replacePath: { path: "/a b|c" } } }, "/old?q=1");
    expect(e.url).toBe("/a%20b%7Cc?q=1");
  });

  it("Workers difference: a dot segment in the new path is resolved by the runtime's URL (Traefik sends it as is)", async () => {
    // Traefik's replacePath does not clean its path, so Traefik forwards /a/../b; fetch() cannot.
    expect((await echoOf({ rp: { replacePath: { path: "/a/../b" } } }, "/old")).url).toBe("/b");
  });
});

// traefik pkg/middlewares/replacepathregex/replace_path_regex_test.go TestReplacePathRegex
// ("invalid regular expression": mw-web-validation).
describe("replacePathRegex: traefik replace_path_regex_test.go TestReplacePathRegex", () => {
  const whoami = "/whoami/and/whoami";
  const cases: PathCase[] = [
    { desc: "simple regex", options: { replacement: "/who-am-i/$1", regex: "^/whoami/(.*)" }, path: whoami, url: "/who-am-i/and/whoami", header: whoami },
    { desc: "simple replace (no regex)", options: { replacement: "/who-am-i", regex: "/whoami" }, path: whoami, url: "/who-am-i/and/who-am-i", header: whoami },
    { desc: "empty replacement", options: { replacement: "", regex: "/whoami" }, path: whoami, url: "/and", header: whoami },
    { desc: "empty trimmed replacement", options: { replacement: " ", regex: "/whoami" }, path: whoami, url: "/and", header: whoami },
    { desc: "no match", options: { replacement: "/whoami", regex: "/no-match" }, path: whoami, url: whoami },
    {
      desc: "multiple replacement",
      options: { replacement: "/downloads/$1-$2", regex: "^(?i)/downloads/([^/]+)/([^/]+)$" },
      path: "/downloads/src/source.go",
      url: "/downloads/src-source.go",
      header: "/downloads/src/source.go",
    },
    { desc: "replacement with escaped char", options: { replacement: "/foo%2Fbar", regex: "/aaa/bbb" }, path: "/aaa/bbb", url: "/foo%2Fbar", header: "/aaa/bbb" },
    { desc: "path and regex with escaped char", options: { replacement: "/foo/bar", regex: "/aaa%2Fbbb" }, path: "/aaa%2Fbbb", url: "/foo/bar", header: "/aaa%2Fbbb" },
    { desc: "path with escaped char (no match)", options: { replacement: "/foo/bar", regex: "/aaa/bbb" }, path: "/aaa%2Fbbb", url: "/aaa%2Fbbb" },
    { desc: "path with percent encoded backspace char", options: { replacement: "/$1", regex: "^/foo/(.*)" }, path: "/foo/%08bar", url: "/%08bar", header: "/foo/%08bar" },
    { desc: "path with ..", options: { replacement: "/$1", regex: "^/foo(.*)" }, path: "/foo../bar", status: 400 },
  ];
  it.each(cases)("$desc", (c) => expectCase("replacePathRegex", "x-replaced-path", c));

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
