// What Traefik's ClientIP matcher reads and checks (pkg/ip): the client IP from RemoteAddr, and an
// ip.Checker for the matcher's one address or CIDR value, both on Go's netip semantics (go/netip.ts).
import { splitHostPort } from "../go/net.ts";
import { parseAddr, parseRange, rangeContains, type Addr, type AddrRange } from "../go/netip.ts";

/** Traefik's ip.Checker for one ClientIP value: an address or a CIDR range. */
export interface IPChecker {
  contains(ip: string | null): boolean;
}

export function newChecker(value: string): IPChecker | null {
  const range = parseRange(value);
  return range && rangeChecker(range);
}

// One-entry memo: every ClientIP matcher of a request parses the same text.
let lastText: string | null = null;
let lastAddr: Addr | null = null;

function rangeChecker(range: AddrRange): IPChecker {
  return {
    contains(ip) {
      if (ip === null) return false;
      if (ip !== lastText) {
        lastText = ip;
        lastAddr = parseAddr(ip);
      }
      const a = lastAddr;
      return a !== null && rangeContains(range, a);
    },
  };
}

/**
 * The client IP as Traefik's RemoteAddrStrategy reads RemoteAddr: the host part when there is a
 * port, the whole text otherwise; null when that is not an address Go can parse.
 */
export function clientIPFromAddress(remoteAddr: string | null | undefined): string | null {
  if (!remoteAddr) return null;
  const host = splitHostPort(remoteAddr) ?? remoteAddr;
  return parseAddr(host) ? host : null;
}
