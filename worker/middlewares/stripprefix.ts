// stripPrefix: remove the first matching prefix from the path and record it in X-Forwarded-Prefix.
// As Traefik: prefixes are literal and matched against the decoded path (so /foo also strips
// /foobar → /bar and /fo%6F/x → /x), the raw path loses the encoded form of the same characters,
// the result starts with "/" unless empty, and a result that would climb out of the prefix with a
// dot segment (/api../x stripped of /api) is refused with 400.
import type { MiddlewareFactory } from "./types.ts";
import { utf8Length } from "../rules/utf8.ts";
import { ensureLeadingSlash } from "./gopath.ts";
import { goPathOf, withGoPath } from "./pathstate.ts";
import { goError } from "./respond.ts";

/** How many characters of the raw path spell the first `decodedBytes` bytes (an escape is one byte). */
export function encodedPrefixLength(rawPath: string, decodedBytes: number): number {
  let i = 0;
  for (let decoded = 0; i < rawPath.length && decoded < decodedBytes; decoded++) {
    i += rawPath[i] === "%" && i + 2 < rawPath.length ? 3 : 1;
  }
  return i;
}

/** Whether a path has a "." or ".." segment (a URL parser would resolve it). */
export function hasDotSegment(path: string): boolean {
  return path.split("/").some((segment) => segment === "." || segment === "..");
}

export const stripPrefix: MiddlewareFactory<"stripPrefix"> = ({ prefixes, forceSlash }) => {
  // forceSlash (deprecated) keeps Traefik v1's "/" for a path that was exactly the prefix.
  const lead = forceSlash ? (s: string) => `/${s.replace(/^\//, "")}` : ensureLeadingSlash;
  const list = prefixes.map((prefix) => ({ prefix, bytes: utf8Length(prefix), header: prefix.trim() }));
  return (next) => (request, rc) => {
    const { path, rawPath } = goPathOf(request);
    const match = list.find(({ prefix }) => path.startsWith(prefix));
    if (!match) return next(request, rc);
    const stripped = {
      path: lead(path.slice(match.prefix.length)),
      rawPath: rawPath === "" ? "" : lead(rawPath.slice(encodedPrefixLength(rawPath, match.bytes))),
    };
    if (hasDotSegment(stripped.path)) return Promise.resolve(goError(400, "Bad Request"));
    return next(withGoPath(request, stripped, (h) => h.append("x-forwarded-prefix", match.header)), rc);
  };
};
