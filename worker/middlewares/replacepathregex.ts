// replacePathRegex: rewrite the path (in its encoded form) with a Go regex and replacement, and
// record the old path in X-Replaced-Path. Every match is replaced (Go's ReplaceAllString), and
// `$1x` means group "1x": write `${1}x`. A replacement that is not a valid encoding answers 500,
// as Traefik.
import type { MiddlewareFactory } from "./types.ts";
import { escapedPath, escapeError, pathUnescape } from "./gopath.ts";
import { parseTemplate, replaceAll } from "../go/regexp/expand.ts";
import { compileGoRegexp } from "../go/regexp/index.ts";
import { goPathOf, withGoPath } from "./pathstate.ts";
import { goError } from "./respond.ts";

export const replacePathRegex: MiddlewareFactory<"replacePathRegex"> = ({ regex, replacement }) => {
  const compiled = compileGoRegexp(regex.trim());
  if (!compiled.ok) return `invalid regular expression "${regex}": ${compiled.error}`;
  const re = compiled.value;
  const template = parseTemplate(replacement.trim());
  return (next) => async (request, rc) => {
    const goPath = goPathOf(request);
    const current = goPath.rawPath || escapedPath(goPath);
    if (!re.test(current)) return next(request, rc);
    const rawPath = replaceAll(re, current, template);
    const path = pathUnescape(rawPath);
    if (path === null) return goError(500, escapeError(rawPath));
    return next(withGoPath(request, { path, rawPath }, (h) => h.append("x-replaced-path", current)), rc);
  };
};
