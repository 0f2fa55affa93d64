// keySource, as Traefik Hub reads it: the key from a header (after an Authorization scheme when
// headerAuthScheme is set), a query parameter or a cookie, base64-decoded unless
// secretNonBase64Encoded. The first of header, query, cookie that the request carries is the key.
import type { MiddlewareOptions } from "../../schema/middlewares.ts";
import { fromBase64, utf8 } from "../auth/bytes.ts";

type KeySource = MiddlewareOptions<"apiKey">["keySource"];

/** Where the presented key was found, so removeKey can take it out. */
export type Found = { readonly bytes: Uint8Array; readonly from: "header" | "query" | "cookie" };

/** The value of cookie `name` in a Cookie header (`a=1; b=2`), or null. */
function cookieValue(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
  }
  return null;
}

function fromHeader(value: string | null, scheme: string | undefined): string | null {
  if (value === null || !scheme) return value;
  const space = value.indexOf(" ");
  if (space < 0 || value.slice(0, space).toLowerCase() !== scheme.toLowerCase()) return null;
  return value.slice(space + 1).trim();
}

/** The raw text of the key and where it came from, or null when the request carries none. */
function presented(source: KeySource, request: Request): { text: string; from: Found["from"] } | null {
  const header = source.header ? fromHeader(request.headers.get(source.header), source.headerAuthScheme) : null;
  if (header) return { text: header, from: "header" };
  const query = source.query ? new URL(request.url).searchParams.get(source.query) : null;
  if (query) return { text: query, from: "query" };
  const cookie = source.cookie ? cookieValue(request.headers.get("cookie"), source.cookie) : null;
  return cookie ? { text: cookie, from: "cookie" } : null;
}

/** The key's bytes as hashed: decoded from standard base64 unless the key is sent as it is. */
export function keyOf(source: KeySource, base64: boolean, request: Request): Found | null {
  const found = presented(source, request);
  if (!found) return null;
  const bytes = base64 ? fromBase64(found.text) : utf8(found.text);
  return bytes && bytes.length > 0 ? { bytes, from: found.from } : null;
}

/** The URL the request goes on with, after taking the key out of it or out of `headers` (removeKey). */
export function withoutKey(source: KeySource, from: Found["from"], headers: Headers, url: string): string {
  if (from === "header" && source.header) headers.delete(source.header);
  if (from === "query" && source.query) {
    const stripped = new URL(url);
    stripped.searchParams.delete(source.query);
    return stripped.href;
  }
  if (from === "cookie" && source.cookie) {
    const name = source.cookie;
    const kept = (headers.get("cookie") ?? "").split(";").filter((part) => part.slice(0, Math.max(0, part.indexOf("="))).trim() !== name);
    const joined = kept.map((part) => part.trim()).filter(Boolean).join("; ");
    if (joined) headers.set("cookie", joined);
    else headers.delete("cookie");
  }
  return url;
}
