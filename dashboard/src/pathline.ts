// Which line of an edited config a validation error's JSON path points at (`http.routers.api.rule`),
// found by looking for each path segment as a key after the previous one: JSON (`"api":`), YAML
// (`api:`) or TOML (`api =`, `[http.routers.api]`). A guess that is right for ordinary configs;
// null when a segment is not found (the error then selects nothing).
export function lineOfPath(text: string, path: string): number | null {
  const segments = path.split(".").filter((s) => s !== "" && !/^\d+$/.test(s));
  if (segments.length === 0) return null;
  let offset = 0;
  let found = -1;
  for (const segment of segments) {
    const at = findKey(text, segment, offset);
    if (at < 0) return found < 0 ? null : lineAt(text, found);
    found = at;
    offset = at + segment.length;
  }
  return lineAt(text, found);
}

function findKey(text: string, key: string, from: number): number {
  const k = escape(key);
  const re = new RegExp(`"${k}"\\s*:|(^|[\\s{,\\[.])${k}\\s*[:=]|\\[(?:[^\\]\\n]*\\.)?${k}(?:\\.[^\\]\\n]*)?\\]|\\.${k}\\b`, "gm");
  re.lastIndex = from;
  const match = re.exec(text);
  if (!match) return -1;
  return match.index + match[0].indexOf(key);
}

/** 0-based line of an offset. */
function lineAt(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** [start, end) offsets of a 0-based line, for setSelectionRange. */
export function lineRange(text: string, line: number): [number, number] {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) return [text.length, text.length];
    start = nl + 1;
  }
  const end = text.indexOf("\n", start);
  return [start, end < 0 ? text.length : end];
}
