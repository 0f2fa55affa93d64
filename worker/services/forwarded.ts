// X-Forwarded-* as Traefik sets them. Client-supplied values are dropped unless the client is
// trusted (Traefik's entryPoints.forwardedHeaders.trustedIPs / insecure, here Worker variables).
import ipaddr from "ipaddr.js";

export interface ForwardedPolicy {
  trusts(clientIP: string | null): boolean;
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

export function forwardedPolicy(trustedIPs: string | undefined, insecure: string | undefined): ForwardedPolicy {
  if (insecure === "true") return { trusts: () => true };
  const ranges: Range[] = (trustedIPs ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseRange);
  if (ranges.length === 0) return { trusts: () => false };
  return { trusts: (ip) => ip !== null && inRanges(ip, ranges) };
}

function parseRange(cidr: string): Range {
  if (cidr.includes("/")) return ipaddr.parseCIDR(cidr);
  const addr = ipaddr.parse(cidr);
  return [addr, addr.kind() === "ipv4" ? 32 : 128];
}

function inRanges(ip: string, ranges: readonly Range[]): boolean {
  if (!ipaddr.isValid(ip)) return false;
  const addr = ipaddr.process(ip);
  return ranges.some(([net, bits]) => addr.kind() === net.kind() && addr.match(net, bits));
}

// Traefik's XHeadersSet: the headers the router manages. An untrusted client's are dropped at the
// entry, and no client's Connection may name them (forwardedheaders.removeConnectionHeaders).
const MANAGED = new Set([
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-scheme",
  "x-forwarded-host",
  "x-forwarded-port",
  "x-forwarded-server",
  "x-forwarded-prefix",
  "x-forwarded-uri",
  "x-forwarded-method",
  "x-forwarded-tls-client-cert",
  "x-forwarded-tls-client-cert-info",
  "x-scheme",
  "x-real-ip",
]);

/**
 * Whether `name` (in lower case) is a managed header, `_` read as `-` as Traefik's isManagedXHeader
 * does: servers that map header names to variables (CGI, PHP, some frameworks) read X_Forwarded_For
 * as X-Forwarded-For, so a client must not slip one past under that spelling.
 */
export function isManagedHeader(name: string): boolean {
  if (name.charCodeAt(0) !== 0x78 /* x */) return false;
  return MANAGED.has(name) || (name.includes("_") && MANAGED.has(name.replaceAll("_", "-")));
}

/**
 * On the copy going upstream: the client joins X-Forwarded-For; the others are set unless already
 * there (sent by a trusted client, or set by a middleware such as stripPrefix or headers) or
 * `removed` by a middleware (RequestContext.forwardedRemoved).
 */
export function setForwarded(headers: Headers, url: URL, clientIP: string | null, removed: ReadonlySet<string> = NONE): void {
  const set = (name: string, value: string) => {
    if (!removed.has(name) && !headers.has(name)) headers.set(name, value);
  };
  if (clientIP && !removed.has("x-forwarded-for")) headers.set("x-forwarded-for", appendHop(headers.get("x-forwarded-for"), clientIP));
  const proto = url.protocol.slice(0, -1);
  set("x-forwarded-proto", proto);
  set("x-forwarded-host", url.host);
  set("x-forwarded-port", url.port || (proto === "https" ? "443" : "80"));
  set("x-forwarded-server", "switchyard");
  if (clientIP) set("x-real-ip", clientIP);
}

const NONE: ReadonlySet<string> = new Set();

/** `incoming` with the client appended; Cloudflare itself appends it, so it is not listed twice. */
export function appendHop(incoming: string | null, clientIP: string): string {
  if (!incoming) return clientIP;
  const hops = incoming.split(",").map((h) => h.trim());
  return hops[hops.length - 1] === clientIP ? incoming : `${incoming}, ${clientIP}`;
}

