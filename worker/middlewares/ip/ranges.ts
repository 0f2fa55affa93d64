// A set of IPs and CIDR ranges, parsed once, as Traefik's ip.Checker: addresses are compared in
// their 16-byte form, so an IPv4-mapped IPv6 address (::ffff:10.0.0.1) matches 10.0.0.0/8 and the
// other way round. Only the dotted-quad IPv4 form is an address (Go refuses 010.0.0.1 or 0x0a.0.0.1).
import ipaddr from "ipaddr.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = readonly [Address, number];

/** An address as Go's netip.ParseAddr reads it, or null. */
export function parseAddress(text: string): Address | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  return ipaddr.IPv6.isValid(text) ? ipaddr.IPv6.parse(text) : null;
}

/** The same address in its other family, if it has one (IPv4 ↔ IPv4-mapped IPv6). */
function twin(address: Address): Address | null {
  if (address.kind() === "ipv4") return (address as ipaddr.IPv4).toIPv4MappedAddress();
  const v6 = address as ipaddr.IPv6;
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : null;
}

function parseRange(entry: string): Range {
  if (entry.includes("/")) return ipaddr.parseCIDR(entry);
  const address = parseAddress(entry);
  if (!address) throw new Error(`"${entry}" is not an IP address`);
  return [address, address.kind() === "ipv4" ? 32 : 128];
}

export class IPRanges {
  private readonly ranges: readonly Range[];

  /** Throws on an entry that is neither an IP nor a CIDR (validation has refused those already). */
  constructor(entries: readonly string[]) {
    this.ranges = entries.map(parseRange);
  }

  /** Whether the address (as text, possibly with a port) is in one of the ranges. */
  contains(text: string): boolean {
    const address = parseAddress(withoutPort(text));
    if (!address) return false;
    const forms = [address, twin(address)].filter((a): a is Address => a !== null);
    return this.ranges.some(([net, bits]) => forms.some((a) => a.kind() === net.kind() && a.match(net, bits)));
  }
}

/** `1.2.3.4:80` → `1.2.3.4`, `[::1]:80` → `::1`, anything else unchanged (as net.SplitHostPort's fallback). */
export function withoutPort(text: string): string {
  const bracketed = /^\[([^\]]+)\]:\d*$/.exec(text);
  if (bracketed) return bracketed[1] ?? text;
  const v4 = /^([^:]+):\d*$/.exec(text);
  return v4 ? (v4[1] ?? text) : text;
}
