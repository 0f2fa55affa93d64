// A set of IPs and CIDR ranges, parsed once, as Traefik's ip.Checker, on Go's netip semantics
// (go/netip.ts, which the ClientIP matcher shares): IPv4-mapped IPv6 (::ffff:10.0.0.1)
// compares as IPv4 on both sides, only the dotted-quad IPv4 form is an address (Go refuses
// 010.0.0.1), and ::1.2.3.4 is an IPv6 address, not a mapped IPv4 one.
import { splitHostPort } from "../../go/net.ts";
import { parseAddr, parseRange, rangeContains, type AddrRange } from "../../go/netip.ts";

export class IPRanges {
  private readonly ranges: readonly AddrRange[];

  /** Throws on an entry that is neither an IP nor a CIDR (validation has refused those already). */
  constructor(entries: readonly string[]) {
    this.ranges = entries.map((entry) => {
      const range = parseRange(entry);
      if (range === null) throw new Error(`"${entry}" is not an IP address or CIDR range`);
      return range;
    });
  }

  /** Whether the address (as text, possibly with a port, as Traefik's IsAuthorized splits it) is in one of the ranges. */
  contains(text: string): boolean {
    const addr = parseAddr(splitHostPort(text) ?? text);
    return addr !== null && this.ranges.some((range) => rangeContains(range, addr));
  }
}
