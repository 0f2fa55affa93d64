// The one path-rewrite step every path middleware takes (stripPrefix, stripPrefixRegex,
// replacePath, replacePathRegex, addPrefix). A middleware decides whether and how to rewrite (its
// prefix, regex or replacement); this module turns that into Traefik's new Go path (decoded Path
// and encoded RawPath), the header recording the old path, and Traefik's refusal of a rewritten
// path that would mean something else once cleaned (/api../x stripped of /api is "/../x": 400).
import { utf8Length } from "../go/utf8.ts";
import type { Handler, RequestContext } from "../services/types.ts";
import { escapedPath, escapeError, fromRawPath, pathUnescape, type GoPath } from "../go/url-escape.ts";
import { goPathOf, withGoPath } from "./pathstate.ts";
import { goError } from "./respond.ts";

export type PathRewrite =
  /** Remove `prefix`, which the decoded path starts with (X-Forwarded-Prefix: `header`). */
  | { readonly kind: "strip"; readonly prefix: string; readonly header: string; readonly forceSlash?: boolean }
  /** Replace the path by this encoded path (X-Replaced-Path: the old one); `clean`: refuse dot segments. */
  | { readonly kind: "replace"; readonly rawPath: string; readonly clean: boolean }
  /** Prepend `prefix` to the path, decoded and raw alike. */
  | { readonly kind: "add"; readonly prefix: string };

/** How many characters of the raw path spell the first `decodedBytes` bytes (an escape is one byte). */
export function encodedPrefixLength(rawPath: string, decodedBytes: number): number {
  let i = 0;
  for (let decoded = 0; i < rawPath.length && decoded < decodedBytes; decoded++) {
    i += rawPath[i] === "%" && i + 2 < rawPath.length ? 3 : 1;
  }
  return i;
}

/** Go's path.Clean: no empty, "." or ".." segments, no trailing slash; "" is ".". */
function cleanPath(p: string): string {
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const segment of p.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment !== "..") out.push(segment);
    else if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (!rooted) out.push("..");
  }
  const cleaned = (rooted ? "/" : "") + out.join("/");
  return cleaned === "" ? "." : cleaned;
}

/**
 * Go's URL.JoinPath() with no elements, as Traefik sanitizes a rewritten path: the escaped path
 * cleaned (a trailing slash kept), then set back (RawPath only where it differs from Go's encoding).
 * null when the cleaned path is not the same decoded path: Traefik then answers 400.
 */
export function sanitized(p: GoPath): GoPath | null {
  if (p.path === "") return p;
  const escaped = escapedPath(p);
  let joined = escaped;
  // Cleaning changes only a path with an empty, "." or ".." segment (a trailing slash is put back).
  if (UNCLEAN.test(escaped.startsWith("/") ? escaped : `/${escaped}`)) {
    joined = escaped.startsWith("/") ? cleanPath(escaped) : cleanPath(`/${escaped}`).slice(1);
    if (escaped.endsWith("/") && !joined.endsWith("/")) joined += "/";
  }
  const result = joined === escaped && joined === p.path && p.rawPath === "" ? p : fromRawPath(joined);
  return result.path === p.path ? result : null;
}

/** An empty segment before the end ("//"), or a "." or ".." segment. */
const UNCLEAN = /\/\/|\/\.\.?(?:\/|$)/;

/** Traefik's ensureLeadingSlash (stripprefix, addprefix): "" stays "", anything else starts with "/". */
function ensureLeadingSlash(s: string): string {
  return s === "" || s.startsWith("/") ? s : `/${s}`;
}

function stripped({ path, rawPath }: GoPath, prefix: string, forceSlash: boolean): GoPath {
  // forceSlash (deprecated) keeps Traefik v1's "/" for a path that was exactly the prefix.
  const lead = forceSlash ? (s: string) => `/${s.replace(/^\//, "")}` : ensureLeadingSlash;
  return {
    path: lead(path.slice(prefix.length)),
    // Cut where the raw path stops spelling the prefix, whatever escapes the prefix was sent with.
    rawPath: rawPath === "" ? "" : lead(rawPath.slice(encodedPrefixLength(rawPath, utf8Length(prefix)))),
  };
}

/** Traefik's replace middlewares' view of the old path: RawPath, else EscapedPath(). */
function encodedForm(p: GoPath): string {
  return p.rawPath || escapedPath(p);
}

type Outcome = { readonly path: GoPath; readonly header?: readonly [string, string] } | { readonly refused: Response };

/** Traefik's result of `rewrite` on the request's current Go path. */
export function rewritePath(current: GoPath, rewrite: PathRewrite): Outcome {
  switch (rewrite.kind) {
    case "add":
      return {
        path: {
          path: ensureLeadingSlash(rewrite.prefix + current.path),
          rawPath: current.rawPath === "" ? "" : ensureLeadingSlash(rewrite.prefix + current.rawPath),
        },
      };
    case "strip": {
      const path = sanitized(stripped(current, rewrite.prefix, rewrite.forceSlash ?? false));
      if (!path) return { refused: goError(400, "Bad Request") };
      return { path, header: ["x-forwarded-prefix", rewrite.header] };
    }
    case "replace": {
      const old = encodedForm(current);
      const decoded = pathUnescape(rewrite.rawPath);
      if (decoded === null) return { refused: goError(500, escapeError(rewrite.rawPath)) };
      const replaced = { path: decoded, rawPath: rewrite.rawPath };
      const path = rewrite.clean ? sanitized(replaced) : replaced;
      if (!path) return { refused: goError(400, "Bad Request") };
      return { path, header: ["x-replaced-path", old] };
    }
  }
}

/** The request's current path in its encoded form, as Traefik's replace middlewares read it. */
export function currentRawPath(request: Request): string {
  return encodedForm(goPathOf(request));
}

/** Rewrites the request's path and passes it on, or answers Traefik's refusal. */
export function forwardRewritten(request: Request, rc: RequestContext, next: Handler, rewrite: PathRewrite): Promise<Response> {
  const outcome = rewritePath(goPathOf(request), rewrite);
  if ("refused" in outcome) return Promise.resolve(outcome.refused);
  const header = outcome.header;
  return next(withGoPath(request, outcome.path, header && ((h) => h.append(header[0], header[1]))), rc);
}
