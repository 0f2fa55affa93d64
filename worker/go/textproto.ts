// Ports Go's net/textproto.CanonicalMIMEHeaderKey: how Go (and so Traefik's access log) spells a
// header name. Workers hand header names over in lower case; Traefik logs `request_User-Agent`.

/** A token character of RFC 7230 (Go's validHeaderFieldByte). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]*$/;

const cache = new Map<string, string>();
const CACHE_LIMIT = 1024;

/** "user-agent" → "User-Agent"; a name with a byte that is not a token character is returned as is (Go). */
export function canonicalMIMEHeaderKey(name: string): string {
  const known = cache.get(name);
  if (known !== undefined) return known;
  const out = TOKEN.test(name) ? name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase()) : name;
  if (cache.size < CACHE_LIMIT) cache.set(name, out);
  return out;
}
