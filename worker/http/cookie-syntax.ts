// What Go's net/http accepts as a cookie's Path and Domain: pure checks, used by the schema to refuse
// a sticky cookie Traefik would write differently, and kept beside the cookie code's other syntax.
import { describeChar } from "./header-syntax.ts";

/** Why `path` cannot be a sticky cookie's Path, or null: Go's sanitizeCookiePath would drop the bytes
 *  outside 0x20-0x7E and ";" (a ";" would start a new attribute, a control character breaks the header). */
export function cookiePathProblem(path: string): string | null {
  const bad = /[^\u0020-\u007e]|;/.exec(path);
  return bad ? `${JSON.stringify(path)} cannot be a cookie Path: ${describeChar(bad[0])} is not allowed (Go's net/http would drop it from Set-Cookie)` : null;
}

/** Why `domain` cannot be a sticky cookie's Domain, or null: a host name or IPv4 address (Go's
 *  isCookieDomainName; it leaves any other Domain out of Set-Cookie). */
export function cookieDomainProblem(domain: string): string | null {
  const bad = /[^A-Za-z0-9._-]/.exec(domain.replace(/^\./, ""));
  return bad ? `${JSON.stringify(domain)} cannot be a cookie Domain: ${describeChar(bad[0])} is not allowed (a host name such as example.com; Go's net/http would leave Domain out)` : null;
}
