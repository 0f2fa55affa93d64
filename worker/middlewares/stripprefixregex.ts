// stripPrefixRegex: remove the text matched by the first regex whose match starts the decoded path,
// and record it in X-Forwarded-Prefix. As Traefik the regexes are not anchored: the first match
// anywhere counts only if the path starts with that same text. The rewrite is pathrewrite.ts's.
import { compileGoRegexp, type GoRegexp } from "../go/regexp/index.ts";
import type { MiddlewareFactory } from "./types.ts";
import { goPathOf } from "./pathstate.ts";
import { forwardRewritten } from "./pathrewrite.ts";

export const stripPrefixRegex: MiddlewareFactory<"stripPrefixRegex"> = ({ regex }) => {
  const expressions: GoRegexp[] = [];
  for (const source of regex) {
    const compiled = compileGoRegexp(source.trim());
    if (!compiled.ok) return `invalid regular expression "${source}": ${compiled.error}`;
    expressions.push(compiled.value);
  }
  return (next) => (request, rc) => {
    const { path } = goPathOf(request);
    for (const re of expressions) {
      const prefix = re.find(path, 0)?.group(0);
      if (!prefix || !path.startsWith(prefix)) continue;
      return forwardRewritten(request, rc, next, { kind: "strip", prefix, header: prefix });
    }
    return next(request, rc);
  };
};
