// Which IP a request comes from, by Traefik's ipStrategy (ipAllowList, and rateLimit/inFlightReq
// sourceCriterion): the connecting client (on Cloudflare, CF-Connecting-IP), the depth-th address
// of X-Forwarded-For counting from the right, or the right-most address not in excludedIPs. As in
// Traefik, depth wins over excludedIPs, and ipv6Subnet folds IPv6 clients to their network.
// X-Forwarded-For here is what the entry point kept: an untrusted client's is dropped before any
// middleware runs, as Traefik's forwardedHeaders do.
import ipaddr from "ipaddr.js";
import type { RequestContext } from "../../services/types.ts";
import { IPRanges } from "./ranges.ts";

export interface IPStrategyOptions {
  readonly depth?: number | undefined;
  readonly excludedIPs?: readonly string[] | undefined;
  readonly ipv6Subnet?: number | undefined;
}

/** The client IP of a request, or "" when the strategy finds none. */
export type IPStrategy = (request: Request, rc: RequestContext) => string;

function forwardedFor(request: Request): string[] {
  return (request.headers.get("x-forwarded-for") ?? "").split(",");
}

/** An address as Go's netip.ParseAddr reads it (dotted-quad IPv4 only), or null. */
function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  return ipaddr.IPv6.isValid(text) ? ipaddr.IPv6.parse(text) : null;
}

/** An IPv6 address reduced to its /subnet network; anything else unchanged (as Traefik's getIPv6SubnetIP). */
function inSubnet(ip: string, subnet: number | undefined): string {
  if (subnet === undefined) return ip;
  const address = parseAddress(ip);
  if (!address || address.kind() !== "ipv6") return ip;
  return ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${subnet}`).toString();
}

function depthStrategy(depth: number, subnet: number | undefined): IPStrategy {
  return (request) => {
    const hops = forwardedFor(request);
    return hops.length < depth ? "" : inSubnet((hops[hops.length - depth] ?? "").trim(), subnet);
  };
}

function excludedStrategy(excluded: IPRanges): IPStrategy {
  return (request) => {
    const hops = forwardedFor(request).map((h) => h.trim());
    // Right to left: the closest hop first, skipping our own proxies.
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i] ?? "";
      if (hop !== "" && !excluded.contains(hop)) return hop;
    }
    return "";
  };
}

/** The strategy for these options, or why they are invalid (Traefik refuses ipv6Subnet outside 1-128). */
export function ipStrategy(options: IPStrategyOptions | undefined): IPStrategy | string {
  const subnet = options?.ipv6Subnet;
  const badSubnet = subnet !== undefined && (subnet <= 0 || subnet > 128);
  const invalid = `invalid IPv6 subnet ${subnet} value, should be greater than 0 and lower or equal to 128`;
  if (options?.depth && options.depth > 0) return badSubnet ? invalid : depthStrategy(options.depth, subnet);
  if (options?.excludedIPs && options.excludedIPs.length > 0) return excludedStrategy(new IPRanges(options.excludedIPs));
  if (badSubnet) return invalid;
  return (_request, rc) => inSubnet(rc.clientIP ?? "", subnet);
}
