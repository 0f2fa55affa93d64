import { describe, expect, it } from "vitest";
import { pathnameOf, splitHref } from "../../../worker/http/href.ts";

// splitHref must agree with the URL parser on every serialized URL a request can carry.
const HREFS = [
  "http://example.com/",
  "https://example.com/a/b?x=1&y=2",
  "http://example.com:8080/api/v1/users/42?",
  "https://user:pa%40ss@example.com/p?q#frag",
  "http://example.com/a%2Fb/%3F?q=/x?y#h?z",
  "http://[::1]:8443/x/?a=b",
  "http://example.com/#only-hash",
  "http://example.com/?#",
  "http://xn--nxasmq6b.example/%E2%82%AC",
];

describe("splitHref", () => {
  it.each(HREFS)("cuts %s as URL does", (href) => {
    const url = new URL(href);
    const parts = splitHref(url.href);
    expect(parts.pathname).toBe(url.pathname);
    expect(parts.search).toBe(url.search);
    const rebuilt = new URL(parts.origin + parts.pathname + parts.search);
    for (const key of ["protocol", "username", "password", "host", "pathname", "search"] as const) expect(rebuilt[key]).toBe(url[key]);
    expect(parts.origin + parts.pathname + parts.rest).toBe(url.href);
    expect(pathnameOf(url.href)).toBe(url.pathname);
  });

  it("falls back to the URL parser for other schemes", () => {
    const parts = splitHref("ws://example.com/chat?room=1");
    expect(parts).toEqual({ origin: "ws://example.com", pathname: "/chat", search: "?room=1", rest: "?room=1" });
  });
});
