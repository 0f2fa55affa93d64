// The Go behaviours the web middlewares reproduce, checked on their own: regexp replacement and
// template expansion, URL parsing and path escaping, content sniffing, Accept-Encoding, media types.
import { describe, expect, it } from "vitest";
import { chooseEncoding, parseAcceptEncoding } from "../../../worker/middlewares/compress/accept.ts";
import { parseMediaType } from "../../../worker/go/mime.ts";
import { escapedPath, escapePath, fromRawPath, pathUnescape, queryEscape } from "../../../worker/go/url-escape.ts";
import { parseTemplate, replaceAll } from "../../../worker/go/regexp/expand.ts";
import { compileGoRegexp, type GoRegexp } from "../../../worker/go/regexp/index.ts";
import { goURL } from "../../../worker/go/url.ts";
import { sanitized } from "../../../worker/middlewares/pathrewrite.ts";
import { detectContentType } from "../../../worker/go/sniff.ts";

function goRegexp(pattern: string): GoRegexp {
  const r = compileGoRegexp(pattern);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe("Go's Regexp.ReplaceAllString", () => {
  it.each([
    ["x*", "xxy", "-", "-y-"], // an empty match right after a match is not replaced (JS gives "--y-")
    ["a*", "baaac", "X", "XbXcX"],
    ["", "abc", "-", "-a-b-c-"],
    ["b", "abcb", "[$0]", "a[b]c[b]"],
    ["(\\w)(\\w)", "abcd", "$2$1", "badc"],
    ["(\\w+)", "abc", "$1x", ""], // group "1x" does not exist
    ["(\\w+)", "abc", "${1}x", "abcx"],
    ["(\\w+)", "abc", "$$1", "$1"],
    ["(\\w+)", "abc", "$9", ""],
    ["(\\w+)", "abc", "${1", "${1"], // unclosed brace: the $ is literal
    ["(\\w+)", "abc", "a$", "a$"],
    ["(?<ver>v\\d)", "v1/x", "${ver}!", "v1!/x"],
    ["(?<ver>v\\d)", "v1/x", "$ver.", "v1./x"],
    ["(\\w+)", "abc", "$01", ""], // a leading zero makes it a name, not a number
    ["(?P<ver>v\\d)", "v1/x", "${ver}!", "v1!/x"], // Go's own spelling of a named group
    ["^a", "aaa", "X", "Xaa"], // ^ holds at the text's start only, not where the next search starts
    ["\\ba", "a aa", "X", "X Xa"], // \b sees the character before the search position
    ["x*", "xxy", "${name}", "y"], // a name that is no group expands to ""
  ])("/%s/ on %j with %j gives %j", (re, src, template, expected) => {
    expect(replaceAll(goRegexp(re), src, parseTemplate(template))).toBe(expected);
  });

  it("steps over a surrogate pair as one rune", () => {
    expect(replaceAll(goRegexp("x*"), "😀", parseTemplate("-"))).toBe("-😀-");
  });

  it("gives the same result on both engines (native for proven-linear patterns, re2js otherwise)", () => {
    // "^a+b" runs natively; "(?:^a+b)" has a group, so re2js: the results must not tell them apart.
    expect(goRegexp("^a+b").engine).toBe("native");
    expect(goRegexp("(?:^a+b)").engine).toBe("re2");
    for (const src of ["aab", "aaab-aab", "b", ""]) {
      expect(replaceAll(goRegexp("^a+b"), src, parseTemplate("<$0>"))).toBe(replaceAll(goRegexp("(?:^a+b)"), src, parseTemplate("<$0>")));
    }
  });
});

describe("Go's url.Parse(...).String()", () => {
  it.each([
    ["https://foo/a b", "https://foo/a%20b"],
    ["https://foo/a%2Fb?q=1 2#frag", "https://foo/a%2Fb?q=1 2#frag"],
    ["HTTPS://Foo.test/x", "https://Foo.test/x"],
    ["/relative/path?x", "/relative/path?x"],
    ["https://[::1]:8443/", "https://[::1]:8443/"],
    ["https://user:pw@host/", "https://user:pw@host/"],
    ["mailto:a@b.test", "mailto:a@b.test"],
    ["https://foo?", "https://foo?"],
    ["https://foo", "https://foo"],
  ])("%s → %s", (input, expected) => {
    expect(goURL(input)).toBe(expected);
  });

  it.each([
    "http://192.168.0.%31/", // an escape below %80 in a host
    "http://foo:bar/", // a port that is not a number
    "http://foo/%zz", // a malformed escape
    "http://foo/\n", // a control character
    ":no-scheme",
    "1x:/y", // not a scheme, so a relative path whose first segment has a colon
  ])("refuses %j", (input) => {
    expect(goURL(input)).toBeNull();
  });

  it("accepts a colon after the first segment of a relative path", () => {
    expect(goURL("b/c:d")).toBe("b/c:d");
  });
});

describe("Go's URL path escaping", () => {
  it.each([
    ["/a%2Fb", "/a/b", "/a%2Fb"],
    ["/a%20b", "/a b", ""],
    ["/caf%C3%A9", "/café", ""],
    ["/%41", "/A", "/%41"],
    ["/a|b", "/a|b", "/a|b"],
  ])("%s reads as path %j, raw path %j", (raw, path, rawPath) => {
    expect(fromRawPath(raw)).toEqual({ path, rawPath });
  });

  it("sends a raw path only when it encodes the path", () => {
    expect(escapedPath({ path: "/a/b", rawPath: "/a%2Fb" })).toBe("/a%2Fb");
    expect(escapedPath({ path: "/a|b", rawPath: "/a|b" })).toBe("/a%7Cb");
    expect(escapedPath({ path: "/x", rawPath: "/a%2Fb" })).toBe("/x");
    expect(escapedPath({ path: "/a b?#", rawPath: "" })).toBe("/a%20b%3F%23");
    expect(escapePath("/é$&+,:;=@!*")).toBe("/%C3%A9$&+,:;=@%21%2A");
  });

  it("unescapes as PathUnescape and escapes queries as QueryEscape", () => {
    expect(pathUnescape("/a+b%2B%zz")).toBeNull();
    expect(pathUnescape("/a+b%2B")).toBe("/a+b+");
    expect(queryEscape("/a b?c=d&é~*")).toBe("%2Fa+b%3Fc%3Dd%26%C3%A9~%2A");
    expect(queryEscape("it's (a) b!-_.%20")).toBe("it%27s+%28a%29+b%21-_.%2520");
    // Surrogates: a pair is one code point's 4 bytes, a lone one is U+FFFD (Go's UTF-8 of it).
    expect(queryEscape("\ud83d\ude00 (\ud800)")).toBe("%F0%9F%98%80+%28%EF%BF%BD%29");
  });
});

describe("Go's URL.JoinPath(), as Traefik's path middlewares sanitize a rewritten path", () => {
  it.each([
    [{ path: "/a/b/", rawPath: "" }, { path: "/a/b/", rawPath: "" }], // a trailing slash is kept
    [{ path: "/a/b", rawPath: "/a%2Fb" }, { path: "/a/b", rawPath: "/a%2Fb" }], // an encoded slash is no separator
    [{ path: "/a/../b", rawPath: "/a/%2E%2E/b" }, { path: "/a/../b", rawPath: "/a/%2E%2E/b" }], // nor are encoded dots
    [{ path: "", rawPath: "" }, { path: "", rawPath: "" }], // an empty path is not joined
    [{ path: "foo", rawPath: "" }, { path: "foo", rawPath: "" }], // a relative path stays relative
    [{ path: "/../foo", rawPath: "" }, null],
    [{ path: "/./foo", rawPath: "" }, null],
    [{ path: "/.", rawPath: "" }, null],
    [{ path: "//foo", rawPath: "" }, null],
    [{ path: "../foo", rawPath: "" }, null],
  ])("%j gives %j", (input, expected) => {
    expect(sanitized(input)).toEqual(expected);
  });

  it("keeps the path Go would send: a raw path that no longer encodes the path is dropped", () => {
    expect(sanitized({ path: "/a/b", rawPath: "/x" })).toEqual({ path: "/a/b", rawPath: "" });
  });
});

describe("Go's http.DetectContentType", () => {
  it.each([
    ["<!DOCTYPE html><html>", "text/html; charset=utf-8"],
    ["  \n<HtMl><body>", "text/html; charset=utf-8"],
    ["<p>hi", "text/html; charset=utf-8"],
    ["<pre>hi", "text/plain; charset=utf-8"], // not an HTML signature
    ["<!-- c -->", "text/html; charset=utf-8"],
    ['<?xml version="1.0"?>', "text/xml; charset=utf-8"],
    ["%PDF-1.7", "application/pdf"],
    ["%!PS-Adobe-3.0", "application/postscript"],
    ["\xFE\xFF\x00a", "text/plain; charset=utf-16be"],
    ["\xEF\xBB\xBFhello", "text/plain; charset=utf-8"],
    ["GIF89a...", "image/gif"],
    ["\x89PNG\x0D\x0A\x1A\x0A....", "image/png"],
    ["\xFF\xD8\xFF\xE0", "image/jpeg"],
    ["RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"],
    ["\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", "video/mp4"],
    ["ID3\x03", "audio/mpeg"],
    ["wOF2....", "font/woff2"],
    ["\x1F\x8B\x08\x00", "application/x-gzip"],
    ["PK\x03\x04", "application/zip"],
    ["\x00asm\x01\x00\x00\x00", "application/wasm"],
    ['{"json": true}', "text/plain; charset=utf-8"],
    ["", "text/plain; charset=utf-8"],
    ["\x00\x01\x02\x03binary", "application/octet-stream"],
  ])("%j → %s", (data, expected) => {
    expect(detectContentType(bytes(data))).toBe(expected);
  });

  it("looks at 512 bytes only", () => {
    expect(detectContentType(bytes(`${"a".repeat(512)}\x00`))).toBe("text/plain; charset=utf-8");
  });
});

describe("Traefik's Accept-Encoding choice (acceptencoding_test; all of it in mw-web-compress-traefik.test.ts)", () => {
  const all = ["zstd", "br", "gzip"] as const;
  it.each([
    ["gzip, br", "br"], // equal weights: the priority of encodings decides
    ["compress, gzip", "gzip"],
    ["compress, rar", null],
    ["*", "zstd"], // the first of encodings (Traefik at fd5a576)
    ["br;q=0.8, gzip;q=1.0, *;q=0.1", "gzip"],
    ["compress;q=1.0, gzip;q=0.5", "gzip"],
    ["compress;q=1.0, identity;q=0", null],
    ["compress;q=1.0, *;q=0", null],
    ["gzip, zstd", "zstd"], // priority follows encodings, not the client's order
  ])("%j → %s", (accept, expected) => {
    expect(chooseEncoding(accept, all, null)).toBe(expected);
  });

  it("parses weights as Traefik does: 1 without q, q=0 entries dropped, the client's order kept", () => {
    expect(parseAcceptEncoding("br;q=1.0, gzip;q=0.8, *;q=0.1", all)).toEqual([
      { type: "br", weight: 1 },
      { type: "gzip", weight: 0.8 },
      { type: "*", weight: 0.1 },
    ]);
    expect(parseAcceptEncoding("gzip;q=1.0, identity; q=0.5, *;q=0", all).map((e) => e.type)).toEqual(["gzip", "identity"]);
    expect(parseAcceptEncoding("gzip, br, *", all)).toEqual([{ type: "gzip", weight: 1 }, { type: "br", weight: 1 }, { type: "*", weight: 1 }]);
  });

  it("gives the first encoding, or defaultEncoding, for *", () => {
    expect(chooseEncoding("*", ["gzip", "deflate"], null)).toBe("gzip");
    expect(chooseEncoding("*", ["gzip", "deflate"], "deflate")).toBe("deflate");
  });
});

describe("Go's mime.ParseMediaType", () => {
  it.each([
    ["text/html", { type: "text/html", params: {} }],
    [" Text/HTML ; Charset=UTF-8 ", { type: "text/html", params: { charset: "UTF-8" } }],
    ['multipart/form-data; boundary="a b"', { type: "multipart/form-data", params: { boundary: "a b" } }],
    ["application/json;", { type: "application/json", params: {} }],
    ["text", { type: "text", params: {} }],
  ])("%j", (value, expected) => {
    expect(parseMediaType(value)).toEqual(expected);
  });

  it.each(["", "text/", "text/html/x", "not a/type", "text/html; charset", "text/html; a=1; a=2", 'text/html; x="open'])("refuses %j", (value) => {
    expect(parseMediaType(value)).toBeNull();
  });
});
