// Ports Go's net.SplitHostPort (the host part only), as Traefik splits RemoteAddr and X-Forwarded-For entries.

/**
 * Go's net.SplitHostPort, returning the host, or null where Go returns an error
 * ("missing port", "too many colons", stray brackets).
 */
export function splitHostPort(hostport: string): string | null {
  const colon = hostport.lastIndexOf(":");
  if (colon < 0) return null;
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport.startsWith("[")) {
    const end = hostport.indexOf("]");
    if (end < 0 || end + 1 !== colon) return null;
    host = hostport.slice(1, end);
    [j, k] = [1, end + 1];
  } else {
    host = hostport.slice(0, colon);
    if (host.includes(":")) return null;
  }
  if (hostport.indexOf("[", j) >= 0 || hostport.indexOf("]", k) >= 0) return null;
  return host;
}
