// Ports Go's url.Parse followed by URL.String(), for the Location of Traefik's redirects: Go refuses some
// URLs the WHATWG parser accepts (an escape below %80 in a host, a bad port, a control character)
// and re-encodes the path (a space becomes %20). null where Go's parse fails.
import { escapedPath, pathUnescape, escapePath } from "./url-escape.ts";

interface Parsed {
  scheme: string;
  opaque: string;
  authority: string | null;
  path: string;
  rawPath: string;
  query: string | null;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
// Host characters Go accepts as they are (shouldEscape(c, encodeHost) is false), and "%".
const HOST_CHARS = /^[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"%\u0080-\uffff]*$/;
const USERINFO_CHARS = /^[A-Za-z0-9\-_.~!$&'()*+,;=:%@]*$/;

/** Go's unescape(host, encodeHost): escapes are allowed only for non-ASCII bytes and %25. */
function validHost(host: string): boolean {
  if (!HOST_CHARS.test(host)) return false;
  for (let i = host.indexOf("%"); i >= 0; i = host.indexOf("%", i + 1)) {
    const escape = host.slice(i, i + 3);
    if (!/^%[0-9A-Fa-f]{2}$/.test(escape)) return false;
    if (parseInt(escape[1]!, 16) < 8 && escape !== "%25") return false;
  }
  return true;
}

/** Go's parseHost port rules: `[v6]:port`, `name:port`, the port all digits (or empty). */
function validAuthority(authority: string): boolean {
  const at = authority.lastIndexOf("@");
  if (at >= 0 && !USERINFO_CHARS.test(authority.slice(0, at))) return false;
  const host = authority.slice(at + 1);
  let port = "";
  if (host.startsWith("[")) {
    const close = host.lastIndexOf("]");
    if (close < 0) return false;
    port = host.slice(close + 1);
  } else if (host.includes(":")) {
    port = host.slice(host.lastIndexOf(":"));
  }
  return (port === "" || /^:\d*$/.test(port)) && validHost(host);
}

function splitQuery(rest: string): [string, string | null] {
  if (rest.endsWith("?") && rest.indexOf("?") === rest.length - 1) return [rest.slice(0, -1), ""];
  const q = rest.indexOf("?");
  return q < 0 ? [rest, null] : [rest.slice(0, q), rest.slice(q + 1)];
}

function parse(raw: string): Parsed | null {
  if (raw.startsWith(":")) return null; // missing protocol scheme
  const scheme = SCHEME.exec(raw)?.[1]?.toLowerCase() ?? "";
  const [rest, query] = splitQuery(scheme ? raw.slice(scheme.length + 1) : raw);
  const base = { scheme, opaque: "", authority: null, path: "", rawPath: "", query };
  if (!rest.startsWith("/")) {
    if (scheme) return { ...base, opaque: rest };
    if (rest.split("/", 1)[0]!.includes(":")) return null; // first path segment cannot contain a colon
  }
  let pathPart = rest;
  let authority: string | null = null;
  if ((scheme || !rest.startsWith("///")) && rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    pathPart = slash < 0 ? "" : rest.slice(slash);
    if (!validAuthority(authority)) return null;
  }
  const path = pathUnescape(pathPart);
  if (path === null) return null;
  return { ...base, authority, path, rawPath: escapePath(path) === pathPart ? "" : pathPart };
}

function stringOf(u: Parsed, fragment: string): string {
  let out = u.scheme ? `${u.scheme}:` : "";
  if (u.opaque) {
    out += u.opaque;
  } else {
    const host = u.authority ?? "";
    if ((u.scheme || host) && (host || u.path)) out += "//";
    // Go's escape(host, encodeHost) encodes non-ASCII bytes.
    out += host.replace(/[^\x00-\x7f]+/gu, (s) => encodeURIComponent(s));
    let path = escapedPath({ path: u.path, rawPath: u.rawPath });
    if (path && !path.startsWith("/") && host) path = `/${path}`;
    if (!out && path.split("/", 1)[0]!.includes(":")) path = `./${path}`;
    out += path;
  }
  if (u.query !== null) out += `?${u.query}`;
  return fragment ? `${out}#${fragment}` : out;
}

/** The URL as Go's url.Parse(s).String() writes it, or null when Go cannot parse it. */
export function goURL(s: string): string | null {
  if (/[\x00-\x1f\x7f]/.test(s)) return null; // invalid control character in URL
  const hash = s.indexOf("#");
  const fragment = hash < 0 ? "" : s.slice(hash + 1);
  if (pathUnescape(fragment) === null) return null;
  const parsed = parse(hash < 0 ? s : s.slice(0, hash));
  return parsed && stringOf(parsed, fragment);
}
