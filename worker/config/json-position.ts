// Where JSON.parse gave up, for engines whose messages do not say (V8 often omits the position).
// A small scanner of the JSON grammar that returns the offset of the first invalid character.

class Scanner {
  i = 0;
  private readonly s: string;

  constructor(text: string) {
    this.s = text;
  }

  ws(): void {
    while (/[ \t\n\r]/.test(this.s[this.i] ?? "")) this.i++;
  }

  literal(word: string): void {
    for (const ch of word) {
      if (this.s[this.i] !== ch) throw this.i;
      this.i++;
    }
  }

  string(): void {
    this.literal('"');
    for (;;) {
      const ch = this.s[this.i];
      if (ch === undefined || ch < " ") throw this.i;
      this.i++;
      if (ch === '"') return;
      if (ch === "\\") {
        if (!/["\\/bfnrtu]/.test(this.s[this.i] ?? "")) throw this.i;
        this.i++;
      }
    }
  }

  number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i));
    if (!match || match[0] === "") throw this.i;
    this.i += match[0].length;
  }

  list(close: string, item: () => void): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === close) {
      this.i++;
      return;
    }
    for (;;) {
      item();
      this.ws();
      const ch = this.s[this.i];
      this.i++;
      if (ch === close) return;
      if (ch !== ",") throw this.i - 1;
      this.ws();
    }
  }

  value(): void {
    this.ws();
    const ch = this.s[this.i];
    if (ch === "{") this.list("}", () => this.member());
    else if (ch === "[") this.list("]", () => this.value());
    else if (ch === '"') this.string();
    else if (ch === "t") this.literal("true");
    else if (ch === "f") this.literal("false");
    else if (ch === "n") this.literal("null");
    else this.number();
  }

  member(): void {
    this.string();
    this.ws();
    this.literal(":");
    this.value();
  }
}

/** Offset of the first character that makes `text` invalid JSON, or null if it is valid. */
export function jsonErrorOffset(text: string): number | null {
  const scanner = new Scanner(text);
  try {
    scanner.value();
    scanner.ws();
    return scanner.i < text.length ? scanner.i : null;
  } catch (offset) {
    return typeof offset === "number" ? offset : null;
  }
}
