// Ports Go's mime.ParseMediaType (which Traefik's compress middleware uses to read its content-type
// lists and each response's Content-Type; a type it cannot parse is never compressed).

export interface MediaType {
  /** Lower-cased, without parameters: "text/html". */
  readonly type: string;
  /** Parameter names lower-cased, values as written. */
  readonly params: Readonly<Record<string, string>>;
}

const TSPECIALS = '()<>@,;:\\"/[]?=';

function isTokenChar(c: string): boolean {
  const code = c.charCodeAt(0);
  return code > 0x20 && code < 0x7f && !TSPECIALS.includes(c);
}

function consumeToken(v: string): [string, string] {
  let i = 0;
  while (i < v.length && isTokenChar(v[i]!)) i++;
  return [v.slice(0, i), v.slice(i)];
}

/** A token or a quoted string (backslash escapes read); null when a quote is not closed. */
function consumeValue(v: string): [string, string] | null {
  if (!v.startsWith('"')) return consumeToken(v);
  let out = "";
  for (let i = 1; i < v.length; i++) {
    const c = v[i]!;
    if (c === '"') return [out, v.slice(i + 1)];
    if (c === "\\" && i + 1 < v.length && TSPECIALS.includes(v[i + 1]!)) out += v[++i];
    else if (c === "\r" || c === "\n") return null;
    else out += c;
  }
  return null;
}

/** `; name=value` at the start of v, or null. */
function consumeParam(v: string): [string, string, string] | null {
  let rest = v.trimStart();
  if (!rest.startsWith(";")) return null;
  const [name, afterName] = consumeToken(rest.slice(1).trimStart());
  rest = afterName.trimStart();
  if (name === "" || !rest.startsWith("=")) return null;
  const value = consumeValue(rest.slice(1).trimStart());
  if (!value || (value[0] === "" && !rest.slice(1).trimStart().startsWith('"'))) return null;
  return [name.toLowerCase(), value[0], value[1]];
}

/** `type` or `type/subtype`, tokens only (Go's checkMediaTypeDisposition). */
function validType(type: string): boolean {
  const [first, rest] = consumeToken(type);
  if (first === "") return false;
  if (rest === "") return true;
  if (!rest.startsWith("/")) return false;
  const [sub, tail] = consumeToken(rest.slice(1));
  return sub !== "" && tail === "";
}

export function parseMediaType(value: string): MediaType | null {
  const semi = value.indexOf(";");
  const type = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
  if (!validType(type)) return null;
  const params: Record<string, string> = {};
  let rest = semi < 0 ? "" : value.slice(semi);
  while (rest.trim() !== "" && rest.trim() !== ";") {
    const param = consumeParam(rest);
    if (!param || param[0] in params) return null; // invalid or duplicate parameter
    params[param[0]] = param[1];
    rest = param[2];
  }
  return { type, params };
}
