// Parsing of `Authorization: Digest k=v, k="v"` as go-http-auth does (ParseList / ParsePairs).

/** Comma-separated elements; commas inside quotes do not split, a backslash escapes inside quotes. */
function parseList(value: string): string[] {
  const list: string[] = [];
  let current = "";
  let quoted = false;
  let escaped = false;
  for (const c of value) {
    if (escaped) {
      current += c;
      escaped = false;
    } else if (quoted) {
      if (c === "\\") escaped = true;
      else {
        if (c === '"') quoted = false;
        current += c;
      }
    } else if (c === ",") {
      list.push(current.trim());
      current = "";
    } else {
      if (c === '"') quoted = true;
      current += c;
    }
  }
  if (current !== "") list.push(current.trim());
  return list;
}

/** The parameters of a Digest Authorization header, or null when it is not one. */
export function digestParams(authorization: string | null): Map<string, string> | null {
  if (!authorization) return null;
  const space = authorization.indexOf(" ");
  if (space < 0 || authorization.slice(0, space) !== "Digest") return null;
  const params = new Map<string, string>();
  for (const pair of parseList(authorization.slice(space + 1).trim())) {
    const eq = pair.indexOf("=");
    if (eq < 0) {
      params.set(pair, "");
      continue;
    }
    let value = pair.slice(eq + 1);
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    params.set(pair.slice(0, eq), value);
  }
  return params;
}
