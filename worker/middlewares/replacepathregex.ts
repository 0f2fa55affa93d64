// replacePathRegex: rewrite the path (in its encoded form) with a Go regex and replacement, and
// record the old path in X-Replaced-Path. Every match is replaced (Go's ReplaceAllString), and
// `$1x` means group "1x": write `${1}x`. As Traefik, a replacement that is not a valid encoding
// answers 500 and one with a dot segment (/foo../x → /../x) 400; the rewrite is pathrewrite.ts's.
import type { MiddlewareFactory } from "./types.ts";
import { parseTemplate, replaceAll } from "../go/regexp/expand.ts";
import { compileGoRegexp } from "../go/regexp/index.ts";
import { currentRawPath, forwardRewritten } from "./pathrewrite.ts";

export const replacePathRegex: MiddlewareFactory<"replacePathRegex"> = ({ regex, replacement }) => {
  const compiled = compileGoRegexp(regex.trim());
  if (!compiled.ok) return `invalid regular expression "${regex}": ${compiled.error}`;
  const re = compiled.value;
  const template = parseTemplate(replacement.trim());
  return (next) => (request, rc) => {
    const current = currentRawPath(request);
    if (!re.test(current)) return next(request, rc);
    const rawPath = replaceAll(re, current, template);
    return forwardRewritten(request, rc, next, { kind: "replace", rawPath, clean: true });
  };
};
