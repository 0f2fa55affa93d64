// Tokens of Traefik's condition language (a subset of Go's expression syntax). Numbers follow Go's
// literal kinds as Traefik reads them: digits alone are an int (strconv.Atoi), a decimal point or
// an exponent makes a float (strconv.ParseFloat).
export interface Token {
  readonly kind: "ident" | "int" | "float" | "string" | "op" | "(" | ")" | "," | "eof";
  readonly text: string;
  readonly pos: number;
  /** The constant's value: a number for int/float, the unquoted text for a string. */
  readonly value?: number | string;
}

export type Lexed = { ok: true; tokens: Token[] } | { ok: false; position: number; message: string };

const OPERATORS = ["&&", "||", "==", "!=", "<=", ">=", "<", ">"];
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const FLOAT = /(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+/y;
const INT = /\d+/y;
const NUMBER_TAIL = /[A-Za-z0-9_.]/;

export function tokenize(text: string): Lexed {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? "";
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const token = readToken(text, i);
    if ("message" in token) return { ok: false, position: i, message: token.message };
    tokens.push(token);
    i += token.length;
  }
  tokens.push({ kind: "eof", text: "", pos: text.length });
  return { ok: true, tokens };
}

type Read = (Token & { readonly length: number }) | { readonly message: string };

function readToken(text: string, i: number): Read {
  const c = text[i] ?? "";
  if (c === "(" || c === ")" || c === ",") return { kind: c, text: c, pos: i, length: 1 };
  const op = OPERATORS.find((o) => text.startsWith(o, i));
  if (op) return { kind: "op", text: op, pos: i, length: op.length };
  if (c === '"' || c === "`") return readString(text, i);
  if (/[0-9.]/.test(c)) return readNumber(text, i);
  IDENT.lastIndex = i;
  const ident = IDENT.exec(text);
  if (ident) return { kind: "ident", text: ident[0], pos: i, length: ident[0].length };
  if (c === "!") return { message: `"!" (not) is not supported by Traefik's expressions: use the opposite comparison (e.g. != instead of !(... == ...))` };
  if (c === "-") return { message: `"-" is not supported: Traefik's expressions have no arithmetic and no negative constants` };
  if (c === "&" || c === "|" || c === "=") return { message: `unexpected "${c}": did you mean "${c}${c}"?` };
  return { message: `unexpected character "${c}"` };
}

function readNumber(text: string, i: number): Read {
  for (const [kind, pattern] of [["float", FLOAT], ["int", INT]] as const) {
    pattern.lastIndex = i;
    const match = pattern.exec(text);
    if (!match) continue;
    const end = i + match[0].length;
    if (NUMBER_TAIL.test(text[end] ?? "")) return { message: `invalid number "${text.slice(i).split(/[^A-Za-z0-9_.]/)[0]}": write a decimal integer (503) or a decimal number (0.5)` };
    return { kind, text: match[0], pos: i, length: match[0].length, value: Number(match[0]) };
  }
  return { message: `unexpected "${text[i]}"` };
}

/** A Go string constant: "interpreted" (with \" and \\ escapes) or `raw`. */
function readString(text: string, i: number): Read {
  const quote = text[i];
  let j = i + 1;
  let value = "";
  while (j < text.length && text[j] !== quote) {
    if (quote === '"' && text[j] === "\\") {
      const escaped = ESCAPES[text[j + 1] ?? ""];
      if (escaped === undefined) return { message: `unsupported escape "\\${text[j + 1] ?? ""}" in a string` };
      value += escaped;
      j += 2;
      continue;
    }
    value += text[j];
    j++;
  }
  if (j >= text.length) return { message: `unterminated string: expected a closing ${quote}` };
  return { kind: "string", text: text.slice(i, j + 1), pos: i, length: j + 1 - i, value };
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', "\\": "\\", n: "\n", t: "\t", r: "\r" };
