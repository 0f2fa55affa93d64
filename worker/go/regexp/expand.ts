// Go's Regexp.ReplaceAllString and Expand, which Traefik's replacePathRegex and redirectRegex use.
// They differ from String.prototype.replace: `$1x` names group "1x" (use `${1}x`), a missing group
// expands to "" rather than staying literal, and an empty match right after a match is not replaced.
import type { GoMatch, GoRegexp } from "./index.ts";

type Part = string | { readonly group: number } | { readonly name: string };

/** A replacement template parsed once (at compile time) by Go's Regexp.Expand rules. */
export type Template = readonly Part[];

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/** Go's extract(): the name after a `$` (plain or in braces) and where the template continues. */
function extract(template: string, at: number): { name: string; next: number } | null {
  const brace = template[at + 1] === "{";
  let i = at + (brace ? 2 : 1);
  const start = i;
  while (i < template.length && NAME_CHAR.test(template[i]!)) i++;
  if (i === start) return null;
  const name = template.slice(start, i);
  if (!brace) return { name, next: i };
  return template[i] === "}" ? { name, next: i + 1 } : null;
}

/** A group number as Go reads one: digits only, no leading zero, below 1e8. */
function groupNumber(name: string): number | null {
  if (!/^\d+$/.test(name) || (name.length > 1 && name.startsWith("0")) || name.length > 8) return null;
  return Number(name);
}

export function parseTemplate(template: string): Template {
  const parts: Part[] = [];
  let literal = "";
  for (let i = 0; i < template.length; ) {
    if (template[i] !== "$") {
      literal += template[i++];
      continue;
    }
    if (template[i + 1] === "$") {
      literal += "$";
      i += 2;
      continue;
    }
    const found = extract(template, i);
    if (!found) {
      literal += template[i++]; // malformed: the `$` is literal text
      continue;
    }
    if (literal) parts.push(literal);
    literal = "";
    const group = groupNumber(found.name);
    parts.push(group === null ? { name: found.name } : { group });
    i = found.next;
  }
  if (literal) parts.push(literal);
  return parts;
}

function expand(template: Template, re: GoRegexp, match: GoMatch): string {
  let out = "";
  for (const part of template) {
    if (typeof part === "string") out += part;
    else if ("group" in part) out += match.group(part.group) ?? "";
    else {
      const i = re.groupIndex(part.name);
      out += i < 0 ? "" : (match.group(i) ?? "");
    }
  }
  return out;
}

/** Go's ReplaceAllString: every non-overlapping match of `re` in `src` replaced by `template`. */
export function replaceAll(re: GoRegexp, src: string, template: Template): string {
  let out = "";
  let lastEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    const match = re.find(src, searchPos);
    if (match === null) break;
    const { start, end } = match;
    out += src.slice(lastEnd, start);
    // Go skips an empty match that abuts the previous match.
    if (end > lastEnd || start === 0) out += expand(template, re, match);
    lastEnd = end;
    // Always advance, by at least one character (a whole surrogate pair, as Go steps by rune).
    const width = (src.codePointAt(searchPos) ?? 0) > 0xffff ? 2 : 1;
    searchPos = searchPos + width > end ? searchPos + width : end;
  }
  return out + src.slice(lastEnd);
}
