// A set of IPs and CIDR ranges, parsed once, as Traefik's ip.Checker, on the rule engine's Go
// netip semantics (rules/ip.ts, the ClientIP matcher's): IPv4-mapped IPv6 (::ffff:10.0.0.1)
// compares as IPv4 on both sides, only the dotted-quad IPv4 form is an address (Go refuses
// 010.0.0.1), and ::1.2.3.4 is an IPv6 address, not a mapped IPv4 one.
import { newChecker, splitHostPort, type IPChecker } from "../../rules/ip.ts";

export class IPRanges {
  private readonly checkers: readonly IPChecker[];

  /** Throws on an entry that is neither an IP nor a CIDR (validation has refused those already). */
  constructor(entries: readonly string[]) {
    this.checkers = entries.map((entry) => {
      const checker = newChecker(entry);
      if (checker === null) throw new Error(`"${entry}" is not an IP address or CIDR range`);
      return checker;
    });
  }

  /** Whether the address (as text, possibly with a port, as Traefik's IsAuthorized splits it) is in one of the ranges. */
  contains(text: string): boolean {
    const host = splitHostPort(text) ?? text;
    return this.checkers.some((checker) => checker.contains(host));
  }
}
