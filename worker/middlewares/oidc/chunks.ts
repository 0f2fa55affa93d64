// A cookie value too long for one cookie, split into `name.0`, `name.1`...: browsers keep about
// 4096 bytes per cookie (name, value and attributes together), so each part carries at most
// CHUNK_CHARS, and at most MAX_CHUNKS parts are written (the Cookie header stays well under the 32
// KB a Worker request's headers may take). A value that fits is written unsplit, as `name`; parts
// left over from an earlier, longer value are expired in the same response.
import { readCookie, serializeCookie, type CookieOptions } from "../../services/balancer/cookie.ts";

export const CHUNK_CHARS = 3800;
export const MAX_CHUNKS = 5;

/** Names of the request's cookies. */
function cookieNames(headers: Headers): Set<string> {
  const names = new Set<string>();
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) names.add(part.slice(0, eq).trim());
  }
  return names;
}

/** The whole value: `name` itself, or its parts joined; null when absent or a part is missing. */
export function readChunked(headers: Headers, name: string): string | null {
  const whole = readCookie(headers, name);
  if (whole !== null) return whole;
  let value = "";
  for (let i = 0; i < MAX_CHUNKS; i++) {
    const part = readCookie(headers, `${name}.${i}`);
    if (part === null) return i === 0 ? null : value;
    value += part;
  }
  return value;
}

const expired = (options: CookieOptions, name: string) => serializeCookie({ ...options, name, maxAge: -1 }, "");

/** Set-Cookie values writing `value`, and expiring what the request holds of an older one; null when too long. */
export function writeChunked(options: CookieOptions, value: string, request: Headers): string[] | null {
  const count = value.length <= CHUNK_CHARS ? 1 : Math.ceil(value.length / CHUNK_CHARS);
  if (count > MAX_CHUNKS) return null;
  const present = cookieNames(request);
  const out: string[] = [];
  if (count === 1) out.push(serializeCookie(options, value));
  else {
    for (let i = 0; i < count; i++) out.push(serializeCookie({ ...options, name: `${options.name}.${i}` }, value.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS)));
    if (present.has(options.name)) out.push(expired(options, options.name));
  }
  for (let i = count === 1 ? 0 : count; i < MAX_CHUNKS; i++) {
    if (present.has(`${options.name}.${i}`)) out.push(expired(options, `${options.name}.${i}`));
  }
  return out;
}

/** Set-Cookie values expiring every part of `name` the request holds. */
export function clearChunked(options: CookieOptions, request: Headers): string[] {
  const present = cookieNames(request);
  const names = [options.name, ...Array.from({ length: MAX_CHUNKS }, (_, i) => `${options.name}.${i}`)];
  return names.filter((n) => present.has(n)).map((n) => expired(options, n));
}
