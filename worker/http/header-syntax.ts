// What may be written into an HTTP header, checked where a config is read so a bad option is refused
// at its path instead of making the Headers API throw on every request (a 500 each time).
// Names are RFC 9110 tokens. Values follow RFC 9110's field-value, as Go's httpguts (which Traefik's
// transport applies) does: no control character but HTAB. workerd's Headers itself refuses only NUL,
// CR and LF inside a value and trims leading and trailing spaces and tabs, as Go does when it writes
// a header, so surrounding whitespace is accepted (and dropped on the wire).

// RFC 9110 §5.6.2 tchar.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const NOT_TCHAR = /[^!#$%&'*+\-.^_`|~0-9A-Za-z]/;
// C0 controls but HTAB, and DEL.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const CONTROL_OR_TAB = /[\u0000-\u001f\u007f]/;

/** Whether `text` is an RFC 9110 token (a header name, a method). */
export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

const NAMED: Readonly<Record<string, string>> = {
  "\u0000": "a NUL (\\u0000)",
  "\t": "a tab (\\t)",
  "\n": "a line feed (\\n)",
  "\r": "a carriage return (\\r)",
  " ": "a space",
};

/** A character as a message names it: `a line feed (\n)`, `"@"`, `U+0007`. */
export function describeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f || code > 0x7e ? `U+${code.toString(16).toUpperCase().padStart(4, "0")}` : `"${c}"`;
}

/** Why `name` cannot be a header name, or null when it can. */
export function headerNameProblem(name: string): string | null {
  if (name === "") return "a header name cannot be empty";
  const bad = NOT_TCHAR.exec(name);
  if (!bad) return null;
  return `${JSON.stringify(name)} is not a header name: ${describeChar(bad[0])} is not allowed (RFC 9110 token characters only: letters, digits and !#$%&'*+-.^_\`|~)`;
}

/** Why `value` cannot be a header value, or null when it can. */
export function headerValueProblem(value: string): string | null {
  const bad = CONTROL.exec(value);
  if (!bad) return null;
  return `${JSON.stringify(value)} cannot be sent in a header: it contains ${describeChar(bad[0])} (no CR, LF, NUL or other control character but tab)`;
}

/** The first control character in `text`, tab included (Go's URL parser refuses them all), or null. */
export function controlCharacter(text: string): string | null {
  return CONTROL_OR_TAB.exec(text)?.[0] ?? null;
}
