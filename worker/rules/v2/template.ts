// gorilla/mux route templates (containous/mux, which Traefik's v2 matchers build on): a host, path or
// query template with `{name}` / `{name:pattern}` variables becomes one Go regexp source. Traefik v3
// keeps them for ruleSyntax v2 (pkg/muxer/http/matcher_v2.go); the source is compiled by go/regexp.

import type { Result } from "../../go/result.ts";
import { compileGoRegexp, type GoRegexp } from "../../go/regexp/index.ts";

export type TemplateKind = "host" | "path" | "prefix" | "query";

/** Go's regexp.QuoteMeta: every regexp metacharacter escaped. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

/** gorilla's braceIndices: start and end offsets of the first-level `{…}`, or an error. */
function braceIndices(s: string): Result<number[], string> {
  let level = 0;
  let start = 0;
  const idxs: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "{") {
      if (++level === 1) start = i;
    } else if (s[i] === "}") {
      if (--level === 0) idxs.push(start, i + 1);
      else if (level < 0) return { ok: false, error: `mux: unbalanced braces in ${JSON.stringify(s)}` };
    }
  }
  return level === 0 ? { ok: true, value: idxs } : { ok: false, error: `mux: unbalanced braces in ${JSON.stringify(s)}` };
}

/**
 * The Go regexp source gorilla's newRouteRegexp builds (strictSlash off, as Traefik uses it):
 * `^` + literal parts quoted + each variable's pattern (default `[^.]+` in a host, `[^/]+` in a
 * path, `.*` in a query) + `$` (not for a prefix); hosts match case-insensitively.
 */
export function templateSource(tpl: string, kind: TemplateKind): Result<string, string> {
  const braces = braceIndices(tpl);
  if (!braces.ok) return braces;
  const idxs = braces.value;
  const defaultPattern = kind === "query" ? ".*" : kind === "host" ? "[^.]+" : "[^/]+";
  let source = kind === "host" ? "(?i)^" : "^";
  let end = 0;
  for (let i = 0; i < idxs.length; i += 2) {
    const raw = tpl.slice(end, idxs[i]);
    end = idxs[i + 1]!;
    const inner = tpl.slice(idxs[i]! + 1, end - 1);
    const colon = inner.indexOf(":");
    const name = colon < 0 ? inner : inner.slice(0, colon);
    const pattern = colon < 0 ? defaultPattern : inner.slice(colon + 1);
    if (name === "" || pattern === "") return { ok: false, error: `mux: missing name or pattern in ${JSON.stringify(tpl.slice(idxs[i], end))}` };
    // gorilla compiles each variable's pattern alone first: a pattern that would only be valid
    // inside the whole (`{a:x)(y}`) is refused.
    const alone = compileGoRegexp(`^${pattern}$`);
    if (!alone.ok) return alone;
    source += `${quoteMeta(raw)}(?P<v${i / 2}>${pattern})`;
  }
  source += quoteMeta(tpl.slice(end));
  if (kind === "query" && tpl.slice(tpl.indexOf("=") + 1) === "") source += defaultPattern;
  if (kind !== "prefix") source += "$";
  return { ok: true, value: source };
}

/** The template compiled; a path template must start with "/" (gorilla's addRegexpMatcher). */
export function compileTemplate(tpl: string, kind: TemplateKind): Result<GoRegexp, string> {
  if ((kind === "path" || kind === "prefix") && tpl.length > 0 && tpl[0] !== "/") {
    return { ok: false, error: `mux: path must start with a slash, got ${JSON.stringify(tpl)}` };
  }
  const source = templateSource(tpl, kind);
  return source.ok ? compileGoRegexp(source.value) : source;
}

/** The literal text before a template's first variable (a path's indexable prefix). */
export function literalHead(tpl: string): string {
  const brace = tpl.indexOf("{");
  return brace < 0 ? tpl : tpl.slice(0, brace);
}
