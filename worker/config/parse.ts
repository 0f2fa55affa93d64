// Text → plain data. YAML, TOML or JSON, or "auto" to tell them apart by content.
import { parse as parseToml, TomlError } from "smol-toml";
import { parseDocument } from "yaml";
import { error, type ConfigIssue, type Result } from "./issues.ts";
import { jsonErrorOffset } from "./json-position.ts";

export type ConfigFormat = "yaml" | "toml" | "json" | "auto";

type Parsed = Result<unknown, ConfigIssue[]>;

function syntaxError(format: string, line: number | null, column: number | null, reason: string): Parsed {
  const where = line === null ? "" : ` at line ${line}${column === null ? "" : `, column ${column}`}`;
  return { ok: false, error: [error([], `${format} syntax error${where}: ${reason}`)] };
}

/** First line of a parser message, without the location the parser appends itself. */
function reasonOf(message: string): string {
  const first = message.split("\n")[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, "").replace(/\s*\(line \d+ column \d+\)$/, "").replace(/:$/, "").trim();
}

function parseYaml(text: string): Parsed {
  const doc = parseDocument(text, { merge: true, prettyErrors: true });
  const [first, ...rest] = doc.errors;
  if (first) {
    const pos = first.linePos?.[0];
    const more = rest.length > 0 ? ` (and ${rest.length} more)` : "";
    return syntaxError("YAML", pos?.line ?? null, pos?.col ?? null, reasonOf(first.message) + more);
  }
  return { ok: true, value: doc.toJS({ maxAliasCount: 1000 }) };
}

function parseTomlText(text: string): Parsed {
  try {
    return { ok: true, value: parseToml(text) };
  } catch (e) {
    if (e instanceof TomlError) return syntaxError("TOML", e.line, e.column, reasonOf(e.message).replace(/^Invalid TOML document: /, ""));
    throw e;
  }
}

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset).split("\n");
  return [before.length, (before[before.length - 1]?.length ?? 0) + 1];
}

function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (text.trim() === "") return syntaxError("JSON", 1, 1, "the document is empty");
    const reason = reasonOf(message.replace(/ in JSON at position \d+.*$/, "").replace(/, (\.\.\.)?"[^]*" is not valid JSON$/, ""));
    const offset = jsonErrorOffset(text) ?? Number(/position (\d+)/.exec(message)?.[1] ?? NaN);
    if (Number.isNaN(offset)) return syntaxError("JSON", null, null, reason);
    return syntaxError("JSON", ...lineColumn(text, Math.min(offset, text.length)), reason);
  }
}

const TOML_TABLE = /^\[\[?\s*[A-Za-z0-9_"'.\- ]+\s*\]\]?\s*(#.*)?$/;
const TOML_KEY_VALUE = /^[A-Za-z0-9_"'.\- ]+=/;

/** Guesses the format from the first line that is neither blank nor a comment. */
export function detectFormat(text: string): Exclude<ConfigFormat, "auto"> {
  for (const raw of text.replace(/^\uFEFF/, "").split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line === "---") continue;
    if (line.startsWith("{")) return "json";
    if (TOML_TABLE.test(line) || TOML_KEY_VALUE.test(line)) return "toml";
    return "yaml";
  }
  return "yaml";
}

/** Parses config text. Syntax errors carry line and column in the message and path "". */
export function parseConfigText(text: string, format: ConfigFormat): Result<unknown, ConfigIssue[]> {
  const actual = format === "auto" ? detectFormat(text) : format;
  const body = text.replace(/^\uFEFF/, "");
  if (actual === "json") return parseJson(body);
  if (actual === "toml") return parseTomlText(body);
  return parseYaml(body);
}
