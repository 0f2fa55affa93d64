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

const FORWARDED = [
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "x-forwarded-port",
  "x-forwarded-server",
  "x-forwarded-prefix",
  "x-real-ip",
];

/** Sets the forwarded headers on `headers` (the copy going upstream). */
export function setForwarded(headers: Headers, url: URL, clientIP: string | null, trusted: boolean): void {
  const incomingFor = headers.get("x-forwarded-for");
  if (!trusted) for (const name of FORWARDED) headers.delete(name);
  if (clientIP) headers.set("x-forwarded-for", appendHop(trusted ? incomingFor : null, clientIP));
  const proto = url.protocol.slice(0, -1);
  setUnlessTrusted(headers, trusted, "x-forwarded-proto", proto);
  setUnlessTrusted(headers, trusted, "x-forwarded-host", url.host);
  setUnlessTrusted(headers, trusted, "x-forwarded-port", url.port || (proto === "https" ? "443" : "80"));
  setUnlessTrusted(headers, trusted, "x-forwarded-server", "switchyard");
  if (clientIP) setUnlessTrusted(headers, trusted, "x-real-ip", clientIP);
}

// Cloudflare itself appends the client to X-Forwarded-For: don't list it twice.
function appendHop(incoming: string | null, clientIP: string): string {
  if (!incoming) return clientIP;
  const hops = incoming.split(",").map((h) => h.trim());
  return hops[hops.length - 1] === clientIP ? incoming : `${incoming}, ${clientIP}`;
}

function setUnlessTrusted(headers: Headers, trusted: boolean, name: string, value: string): void {
  if (trusted && headers.has(name)) return;
  headers.set(name, value);
}
