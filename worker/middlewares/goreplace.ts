// Go's Regexp.ReplaceAllString, which Traefik's replacePathRegex and redirectRegex use. It differs
// from String.prototype.replace: `$1x` names group "1x" (use `${1}x`), a missing group expands to
// "" rather than staying literal, and an empty match right after a match is not replaced.

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

function expand(template: Template, match: RegExpExecArray): string {
  let out = "";
  for (const part of template) {
    if (typeof part === "string") out += part;
    else if ("group" in part) out += match[part.group] ?? "";
    else out += match.groups?.[part.name] ?? "";
  }
  return out;
}

/** A global copy of `re` for stepping through matches (lastIndex is per call, so share it safely). */
export function globalRegex(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`);
}

/** Go's ReplaceAllString. `re` must be global (see globalRegex); its lastIndex is reset each call. */
export function replaceAll(re: RegExp, src: string, template: Template): string {
  let out = "";
  let lastEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    re.lastIndex = searchPos;
    const match = re.exec(src);
    if (!match) break;
    const start = match.index;
    const end = start + match[0].length;
    out += src.slice(lastEnd, start);
    // Go skips an empty match that abuts the previous match.
    if (end > lastEnd || start === 0) out += expand(template, match);
    lastEnd = end;
    // Always advance, by at least one character (a whole surrogate pair, as Go steps by rune).
    const width = (src.codePointAt(searchPos) ?? 0) > 0xffff ? 2 : 1;
    searchPos = searchPos + width > end ? searchPos + width : end;
  }
  re.lastIndex = 0;
  return out + src.slice(lastEnd);
}
