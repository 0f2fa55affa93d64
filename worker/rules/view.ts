// Building the RequestView rules look at, from a Workers Request or from a plain description (CLI,
// conformance tests). Each field is what Traefik's matchers read from a Go *http.Request: the
// canonical host (lower-cased, port and IPv6 brackets removed), the routing path (escaped path
// with unreserved characters decoded), url.ParseQuery's values, and RemoteAddr's IP.

import { splitHostPort } from "../go/net.ts";
import { clientIPFromAddress } from "./clientip.ts";
import type { RequestView } from "./types.ts";

export interface RequestDescription {
  method: string;
  /** Absolute URL, or a path (then the request has no host unless a Host header gives one). */
  url: string;
  /** A header given as an array was sent on several lines. A Host header sets the host. */
  headers?: Record<string, string | string[]>;
  /** Client address, with or without port: "10.0.0.1:1234", "[::1]:80", "::1". */
  remoteAddr?: string;
}

/** Header lines by lower-case name, for views built from a description. */
type LinesByName = ReadonlyMap<string, readonly string[]>;

/** Shared by every view that has no lines for a header (frozen: views hand it to rules). */
const NO_LINES: readonly string[] = Object.freeze([]);

/**
 * Header names as rules write them ("X-Canary") and lower-cased: a rule asks with the same string
 * on every request, so one entry saves a toLowerCase (and its allocation) per header lookup.
 */
let lastName = "";
let lastKey = "";

function headerKey(name: string): string {
  if (name !== lastName) {
    lastKey = name.toLowerCase();
    lastName = name;
  }
  return lastKey;
}

/**
 * Everything but the host is computed on first use: a muxer reads the host and usually the path,
 * a rule may read the method, a header or the query; the client IP is parsed only for ClientIP.
 */
class View implements RequestView {
  /** Replaced only by internHost, with the same text. */
  host: string;
  readonly #url: URL;
  /** Where headers come from: the Workers Request, or a description's lines by lower-case name. */
  readonly #source: Request | LinesByName;
  readonly #remote: string | null | undefined;
  #method: string | undefined;
  #clientIP: string | null | undefined;
  #path: string | undefined;
  #query: ReadonlyMap<string, readonly string[]> | undefined;
  // Rules of one router usually ask for one header: a one-entry cache, then a map.
  #headerName: string | undefined;
  #headerLines: readonly string[] = NO_LINES;
  #headers: Map<string, readonly string[]> | undefined;

  constructor(host: string, url: URL, source: Request | LinesByName, method: string | undefined, remote: string | null | undefined, escaped?: string) {
    this.host = host;
    this.#url = url;
    this.#source = source;
    this.#method = method;
    this.#remote = remote;
    if (escaped !== undefined) this.#path = routingPath(escaped);
  }

  internHost(host: string): void {
    this.host = host;
  }

  get method(): string {
    return (this.#method ??= (this.#source as Request).method);
  }

  get clientIP(): string | null {
    if (this.#clientIP === undefined) this.#clientIP = clientIPFromAddress(this.#remote);
    return this.#clientIP;
  }

  get path(): string {
    return (this.#path ??= routingPath(this.#url.pathname));
  }

  get query(): ReadonlyMap<string, readonly string[]> {
    return (this.#query ??= parseQuery(this.#url.search));
  }

  header(name: string): readonly string[] {
    const key = headerKey(name);
    if (key === this.#headerName) return this.#headerLines;
    if (this.#headerName !== undefined) (this.#headers ??= new Map()).set(this.#headerName, this.#headerLines);
    const lines = this.#headers?.get(key) ?? this.#read(key);
    this.#headerName = key;
    this.#headerLines = lines;
    return lines;
  }

  #read(key: string): readonly string[] {
    // Go's server moves Host out of the header map, so Header(`Host`, …) never matches in Traefik.
    if (key === "host") return NO_LINES;
    const source = this.#source;
    return source instanceof Map ? (source.get(key) ?? NO_LINES) : foldedLines((source as Request).headers.get(key));
  }
}

/**
 * The view of a request inside the Worker. `clientIP` is what the caller trusts (CF-Connecting-IP);
 * `url`, when given, is `req.url` already parsed.
 *
 * Headers: the Workers runtime folds repeated header lines into one comma-joined value, so the
 * lines Traefik would see are lost. We return the whole value and, when it contains commas, each
 * comma-separated element trimmed: the closest we can get to Traefik's per-line semantics (it
 * matches every line that was sent alone, at the cost of also matching pieces of a single line
 * that contained commas).
 */
export function viewFromRequest(req: Request, clientIP: string | null, url?: URL): RequestView {
  const u = url ?? new URL(req.url);
  return new View(hostOf(u), u, req, undefined, clientIP);
}

/** The host rules see: URL.hostname is already lower case, without port; only IPv6 brackets remain to remove. */
function hostOf(u: URL): string {
  const hostname = u.hostname;
  return hostname.charCodeAt(0) === 0x5b ? hostname.slice(1, -1) : hostname;
}

/**
 * What a parent router's children match (multi-layer routing): the request as the parent's
 * middlewares passed it on (method, headers, query, and `escapedPath`, Go's EscapedPath, which a
 * rewrite may leave empty), with the host and client IP of `entryURL`'s request: Traefik's child
 * muxer recomputes the routing path from the rewritten URL but reads the host and remote address
 * the entry point recorded.
 */
export function viewOfForwarded(req: Request, entryURL: URL, escapedPath: string, clientIP: string | null): RequestView {
  return new View(hostOf(entryURL), new URL(req.url), req, undefined, clientIP, escapedPath);
}

function foldedLines(value: string | null): readonly string[] {
  if (value === null) return NO_LINES;
  if (!value.includes(",")) return [value];
  const parts = value.split(",").map((p) => p.trim()).filter((p) => p !== "");
  return [value, ...parts];
}

const RELATIVE_BASE = "http://relative.invalid";

export function viewFromDescription(d: RequestDescription): RequestView {
  const headers = new Map<string, readonly string[]>();
  for (const [name, value] of Object.entries(d.headers ?? {})) {
    const key = headerKey(name);
    headers.set(key, [...(headers.get(key) ?? []), ...(Array.isArray(value) ? value : [value])]);
  }
  let url: URL;
  let host: string;
  try {
    url = new URL(d.url);
    host = canonicalHost(url.host);
  } catch {
    url = new URL(d.url, RELATIVE_BASE);
    host = "";
  }
  const hostHeader = headers.get("host")?.[0];
  if (hostHeader !== undefined) host = canonicalHost(hostHeader);
  return new View(host, url, headers, d.method, d.remoteAddr);
}

/** Traefik's requestdecorator: port and IPv6 brackets removed, then trimmed and lower-cased. */
export function canonicalHost(hostport: string): string {
  let host = hostport;
  if (hostport.includes(":")) {
    const split = splitHostPort(hostport);
    if (split !== null) host = split;
    else if (hostport.startsWith("[") && hostport.endsWith("]")) host = hostport.slice(1, -1);
  }
  return host.trim().toLowerCase();
}

// RFC 3986 reserved characters and "%": decoding them would change what the path means.
const RESERVED = new Set(":/?#[]@!$&'()*+,;=%".split("").map((c) => c.charCodeAt(0)));
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Traefik's routing path: the escaped path with every percent-encoded byte decoded except
 * reserved characters, so PathPrefix(`/foo bar`) matches "/foo%20bar" but "/a%2Fb" keeps its
 * encoded slash. Encodings that are not valid UTF-8 or not valid at all are kept as written.
 */
export function routingPath(escaped: string): string {
  if (!escaped.includes("%")) return escaped;
  let out = "";
  let run: number[] = [];
  let runText = "";
  const flush = () => {
    if (run.length === 0) return;
    try {
      out += utf8.decode(new Uint8Array(run));
    } catch {
      out += runText;
    }
    run = [];
    runText = "";
  };
  for (let i = 0; i < escaped.length; ) {
    const byte = escaped[i] === "%" ? hexByte(escaped, i + 1) : -1;
    if (byte >= 0 && !RESERVED.has(byte)) {
      run.push(byte);
      runText += escaped.slice(i, i + 3);
      i += 3;
      continue;
    }
    flush();
    const step = byte >= 0 ? 3 : 1;
    out += escaped.slice(i, i + step);
    i += step;
  }
  flush();
  return out;
}

function hexByte(s: string, i: number): number {
  const h = s.slice(i, i + 2);
  return /^[0-9A-Fa-f]{2}$/.test(h) ? parseInt(h, 16) : -1;
}

/**
 * Go's url.ParseQuery: pairs split on "&" only, a pair containing ";" or a bad escape is
 * dropped, "+" is a space, a key without "=" has the value "".
 */
export function parseQuery(search: string): ReadonlyMap<string, readonly string[]> {
  const query = new Map<string, string[]>();
  const raw = search.startsWith("?") ? search.slice(1) : search;
  if (raw === "") return query;
  for (const pair of raw.split("&")) {
    if (pair === "" || pair.includes(";")) continue;
    const eq = pair.indexOf("=");
    const key = queryUnescape(eq < 0 ? pair : pair.slice(0, eq));
    const value = queryUnescape(eq < 0 ? "" : pair.slice(eq + 1));
    if (key === null || value === null) continue;
    const values = query.get(key);
    if (values) values.push(value);
    else query.set(key, [value]);
  }
  return query;
}

const lenientUtf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

function queryUnescape(s: string): string | null {
  if (!s.includes("%")) return s.includes("+") ? s.replaceAll("+", " ") : s;
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "%") {
      const b = hexByte(s, i + 1);
      if (b < 0) return null;
      bytes.push(b);
      i += 2;
    } else {
      bytes.push(...encoder.encode(c === "+" ? " " : c));
    }
  }
  return lenientUtf8.decode(new Uint8Array(bytes));
}
