// Ports Go's net/url escaping: PathUnescape, escape(encodePath), QueryEscape, URL.EscapedPath and
// setPath, EscapeError; and net/http's hexEscapeNonASCII.
// Go's model of a request path, which Traefik's path middlewares work on: `Path` (decoded) and
// `RawPath` (the encoded form, kept only when it differs from Go's default encoding of Path).
// What goes upstream is Go's EscapedPath(): RawPath when it is a valid encoding of Path, else Path
// re-encoded. Reproducing this (rather than editing the raw string) keeps Traefik's results for
// encoded characters such as %2F, and for prefixes or replacements that contain escapes.

export interface GoPath {
  readonly path: string;
  readonly rawPath: string;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
const HEX = "0123456789ABCDEF";

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Go's url.PathUnescape ('+' stays '+'), bytes read as UTF-8; null when an escape is malformed. */
export function pathUnescape(s: string): string | null {
  if (!s.includes("%")) return s;
  const src = utf8.encode(s);
  const out = new Uint8Array(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    if (src[i] !== 0x25) {
      out[n++] = src[i]!;
      continue;
    }
    const high = unhex(src[i + 1] ?? 0);
    const low = unhex(src[i + 2] ?? 0);
    if (high < 0 || low < 0) return null;
    out[n++] = high * 16 + low;
    i += 2;
  }
  return fromUtf8.decode(out.subarray(0, n));
}

/** Go's shouldEscape(c, encodePath): only unreserved characters and `$&+,/:;=@` stay as they are. */
function shouldEscapePath(c: number): boolean {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return false;
  // `?` is reserved too, but would end the path: Go escapes it.
  return !"-_.~$&+,/:;=@".includes(String.fromCharCode(c));
}

// What escapePath keeps as it is (shouldEscapePath false), and what validEncodedPath accepts: a
// path made of these alone (the usual case) needs no byte loop.
const PATH_KEPT = /^[0-9A-Za-z\-_.~$&+,/:;=@]*$/;
const VALID_ENCODED = /^[0-9A-Za-z\-_.~$&+,/:;=@!'()*[\]%]*$/;

/** Go's escape(s, encodePath), byte by byte over the UTF-8 encoding. */
export function escapePath(s: string): string {
  if (PATH_KEPT.test(s)) return s;
  let out = "";
  for (const b of utf8.encode(s)) out += shouldEscapePath(b) ? `%${HEX[b >> 4]}${HEX[b & 15]}` : String.fromCharCode(b);
  return out;
}

/** Go's validEncoded(s, encodePath): could this string be sent as a path as it is? */
function validEncodedPath(s: string): boolean {
  if (VALID_ENCODED.test(s)) return true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ("!$&'()*+,;=:@[]%".includes(s[i]!)) continue;
    if (c >= 0x80 || shouldEscapePath(c)) return false;
  }
  return true;
}

/** As Go's net/http parses a request path: decoded, with RawPath only when the client's form differs. */
export function fromRawPath(raw: string): GoPath {
  // A malformed escape never reaches a Go handler (the server answers 400); keep it literal here.
  const path = pathUnescape(raw) ?? raw;
  return { path, rawPath: escapePath(path) === raw ? "" : raw };
}

/** Go's URL.EscapedPath(): the path as sent upstream. */
export function escapedPath({ path, rawPath }: GoPath): string {
  if (rawPath !== "" && validEncodedPath(rawPath) && pathUnescape(rawPath) === path) return rawPath;
  if (path === "*") return "*";
  return escapePath(path);
}

const SURROGATE = /[\ud800-\udfff]/;
const KEPT_BY_JS = /[!'()*]/g;

/** Go's url.QueryEscape: only unreserved characters are kept, spaces become "+". */
export function queryEscape(s: string): string {
  // encodeURIComponent escapes the same UTF-8 bytes but keeps !'()* and writes a space as %20;
  // it throws on a lone surrogate, which the byte loop writes as U+FFFD, as Go's UTF-8 does.
  if (!SURROGATE.test(s)) return encodeURIComponent(s).replace(KEPT_BY_JS, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, "+");
  let out = "";
  for (const b of utf8.encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (b === 0x20) out += "+";
    else out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

/** Go's url.EscapeError text for the first malformed escape in `s` (which pathUnescape refused). */
export function escapeError(s: string): string {
  const at = s.search(/%(?![0-9A-Fa-f]{2})/);
  return `invalid URL escape ${JSON.stringify(s.slice(at, at + 3))}`;
}

/** Go's hexEscapeNonASCII (http.Redirect's Location): non-ASCII bytes percent-encoded. */
export function hexEscapeNonASCII(s: string): string {
  return s.replace(/[^\x00-\x7f]+/gu, (run) => encodeURIComponent(run));
}
