// stripPrefixRegex: remove the text matched by the first regex whose match starts the decoded path,
// and record it in X-Forwarded-Prefix. As Traefik the regexes are not anchored: the first match
// anywhere counts only if the path starts with that same text.
import { compileGoRegexp, type GoRegexp } from "../go/regexp/index.ts";
import type { MiddlewareFactory } from "./types.ts";
import { utf8Length } from "../rules/utf8.ts";
import { ensureLeadingSlash } from "./gopath.ts";
import { goPathOf, withGoPath } from "./pathstate.ts";

export const stripPrefixRegex: MiddlewareFactory<"stripPrefixRegex"> = ({ regex }) => {
  const expressions: GoRegexp[] = [];
  for (const source of regex) {
    const compiled = compileGoRegexp(source.trim());
    if (!compiled.ok) return `invalid regular expression "${source}": ${compiled.error}`;
    expressions.push(compiled.value);
  }
  return (next) => (request, rc) => {
    const { path, rawPath } = goPathOf(request);
    for (const re of expressions) {
      const prefix = re.find(path, 0)?.group(0);
      if (!prefix || !path.startsWith(prefix)) continue;
      const stripped = {
        path: ensureLeadingSlash(path.slice(prefix.length)),
        // Traefik cuts the raw path by the decoded prefix's length; where that no longer encodes
        // the path, Go's EscapedPath falls back to re-encoding the decoded path.
        rawPath: rawPath === "" ? "" : ensureLeadingSlash(rawPath.slice(utf8Length(prefix))),
      };
      return next(withGoPath(request, stripped, (h) => h.append("x-forwarded-prefix", prefix)), rc);
    }
    return next(request, rc);
  };
};
