// Text → plain data. YAML, TOML or JSON, or "auto" to tell them apart by content.
import { parse as parseToml, TomlError } from "smol-toml";
import { isScalar, parseDocument, visit, type Node as YamlNode } from "yaml";
import { error, type ConfigIssue, type Result } from "./issues.ts";
import { jsonErrorOffset } from "./json-position.ts";
import { checkBounds, flowDepthExceeds, jsonMayCross, MAX_DEPTH, MAX_YAML_ALIASES } from "./limits.ts";

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

const STACK_OVERFLOW = /maximum call stack size exceeded/i;

/** What to say when a parser ran out of stack: the document is nested far deeper than the limit. */
function tooDeepForParser(format: string): Parsed {
  return { ok: false, error: [error([], `${format} nested too deeply to parse: at most ${MAX_DEPTH} levels of maps and lists are accepted`)] };
}

/** Flow collections ([ ], { }) open at once past which YAML text is not handed to the parser. */
const YAML_FLOW_PRESCAN = 1000;

function parseYaml(text: string): Parsed {
  if (flowDepthExceeds(text, YAML_FLOW_PRESCAN)) return tooDeepForParser("YAML");
  let doc;
  try {
    // uniqueKeys off: the package compares each key with every earlier key of its map (50 million
    // comparisons for 10,000 routers, seconds of CPU); duplicateKey does the same check in one pass.
    doc = parseDocument(text, { merge: true, prettyErrors: true, uniqueKeys: false });
  } catch (e) {
    if (e instanceof RangeError) return tooDeepForParser("YAML");
    throw e;
  }
  const [first, ...rest] = doc.errors;
  if (first) {
    if (STACK_OVERFLOW.test(first.message)) return tooDeepForParser("YAML");
    const pos = first.linePos?.[0];
    const more = rest.length > 0 ? ` (and ${rest.length} more)` : "";
    return syntaxError("YAML", pos?.line ?? null, pos?.col ?? null, reasonOf(first.message) + more);
  }
  const duplicate = duplicateKey(doc);
  if (duplicate !== null) return syntaxError("YAML", ...lineColumn(text, duplicate), "Map keys must be unique");
  return yamlToData(doc);
}

/**
 * The offset of the first key that repeats an earlier key of its map, or null. Keys are equal as
 * the yaml package's own check has them: the same node, or scalars of the same value (`a` and
 * `"a"` are one key, `1` and `"1"` two). A Set per map: linear in the document.
 */
function duplicateKey(doc: ReturnType<typeof parseDocument>): number | null {
  let found: number | null = null;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = pair.key as YamlNode | null;
        if (!isScalar(key)) continue;
        if (seen.has(key.value)) {
          found = key.range?.[0] ?? 0;
          return visit.BREAK;
        }
        seen.add(key.value);
      }
      return undefined;
    },
  });
  return found;
}

/** Alias nodes (`*name`) in the document. */
function aliasCount(doc: ReturnType<typeof parseDocument>): number {
  let count = 0;
  visit(doc, { Alias: () => void count++ });
  return count;
}

function tooManyAliases(what: string): Parsed {
  const limit = MAX_YAML_ALIASES.toLocaleString("en-US");
  return { ok: false, error: [error([], `YAML ${what} more than ${limit} aliases (the limit, against alias bombs); use fewer aliases, or JSON for a larger generated config`)] };
}

/**
 * The document as plain data, aliases resolved. Two bounds: the aliases written (the yaml package
 * resolves each one in time proportional to the aliases before it), and the uses of each anchor
 * counting those inside other anchors (its maxAliasCount, which stops a "billion laughs").
 */
function yamlToData(doc: ReturnType<typeof parseDocument>): Parsed {
  if (aliasCount(doc) > MAX_YAML_ALIASES) return tooManyAliases("uses");
  try {
    // The package counts an anchor's own occurrence as one use: +1 lets MAX_YAML_ALIASES aliases through.
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES + 1 }) };
  } catch (e) {
    // The yaml package throws (not records) for alias problems: too many, or one before its anchor.
    if (e instanceof RangeError) return tooDeepForParser("YAML");
    if (!(e instanceof ReferenceError)) throw e;
    if (/excessive alias count/i.test(e.message)) return tooManyAliases("aliases expand to");
    return { ok: false, error: [error([], `YAML error: ${e.message}`)] };
  }
}

function parseTomlText(text: string): Parsed {
  try {
    return { ok: true, value: parseToml(text, { maxDepth: MAX_DEPTH }) };
  } catch (e) {
    if (e instanceof TomlError && /excessively nested/.test(e.message)) return tooDeepForParser("TOML");
    if (e instanceof RangeError) return tooDeepForParser("TOML");
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

function parseAs(format: Exclude<ConfigFormat, "auto">, body: string): Parsed {
  if (format === "json") return parseJson(body);
  if (format === "toml") return parseTomlText(body);
  return parseYaml(body);
}

export interface ParseOptions {
  /**
   * Check limits.ts's bounds (depth, expanded size) here; default true. False leaves them to the
   * caller, which must run checkBounds before anything walks the data: the listener, which needs
   * no check for a snapshot the config store admitted (its sha256 verified, its load facts
   * trusted), and scanning 1 MB of JSON costs as much as parsing it.
   */
  readonly bounds?: boolean;
}

/**
 * Parses config text. Syntax errors carry line and column in the message and path "". The data is
 * within limits.ts's bounds (depth, expanded size) or refused, so later walks may recurse.
 */
export function parseConfigText(text: string, format: ConfigFormat, options: ParseOptions = {}): Result<unknown, ConfigIssue[]> {
  const actual = format === "auto" ? detectFormat(text) : format;
  const body = text.replace(/^\uFEFF/, "");
  const parsed = parseAs(actual, body);
  if (!parsed.ok || options.bounds === false || (actual === "json" && !jsonMayCross(body))) return parsed;
  const bound = checkBounds(parsed.value);
  return bound ? { ok: false, error: [bound] } : parsed;
}
