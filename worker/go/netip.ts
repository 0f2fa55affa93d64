// Ports Go's netip.ParseAddr, ParsePrefix, Addr.Compare and Prefix.Contains (as an address range).
// Traefik's pkg/ip uses them for the ClientIP matcher and ipAllowList: strict dotted decimal (no
// leading zeros, so "0127.0.0.1" is not an address), IPv6 with an optional embedded IPv4 tail and
// zone, and IPv4-mapped IPv6 compared as IPv4 on both sides.
// Written by hand rather than with ipaddr.js: ipaddr.js reads "::1.2.3.4" as "::ffff:1.2.3.4" and
// accepts "01.2.3.4", both of which Go rejects or reads differently.

/** An address as Go's canonicalAddr leaves it: IPv4-mapped addresses unmapped, zone dropped. */
export interface Addr {
  readonly v4: boolean;
  readonly bytes: readonly number[];
}

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

function parseIPv4(s: string): number[] | null {
  return IPV4.test(s) ? s.split(".").map(Number) : null;
}

function parseGroups(part: string, v4TailAllowed: boolean): number[] | null {
  if (part === "") return [];
  const groups = part.split(":");
  const bytes: number[] = [];
  for (const [i, g] of groups.entries()) {
    if (g.includes(".") && v4TailAllowed && i === groups.length - 1) {
      const v4 = parseIPv4(g);
      if (!v4) return null;
      bytes.push(...v4);
    } else if (HEX_GROUP.test(g)) {
      const n = parseInt(g, 16);
      bytes.push(n >> 8, n & 0xff);
    } else {
      return null;
    }
  }
  return bytes;
}

function parseIPv6(s: string): number[] | null {
  const ellipsis = s.indexOf("::");
  if (ellipsis >= 0 && s.indexOf("::", ellipsis + 1) >= 0) return null;
  if (ellipsis < 0) {
    const bytes = parseGroups(s, true);
    return bytes && bytes.length === 16 ? bytes : null;
  }
  const head = parseGroups(s.slice(0, ellipsis), false);
  const tail = parseGroups(s.slice(ellipsis + 2), true);
  // "::" must stand for at least one group of zeros.
  if (!head || !tail || head.length + tail.length > 14) return null;
  return [...head, ...new Array<number>(16 - head.length - tail.length).fill(0), ...tail];
}

function canonical(bytes: readonly number[]): Addr {
  const mapped = bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return { v4: true, bytes: bytes.slice(12) };
  return { v4: bytes.length === 4, bytes };
}

/** netip.ParseAddr, then canonicalised; null when Go would fail to parse. */
export function parseAddr(text: string): Addr | null {
  const pct = text.indexOf("%");
  const addr = pct < 0 ? text : text.slice(0, pct);
  if (pct >= 0 && (pct === text.length - 1 || !addr.includes(":"))) return null;
  const bytes = addr.includes(":") ? parseIPv6(addr) : parseIPv4(addr);
  return bytes ? canonical(bytes) : null;
}

interface Prefix {
  readonly bytes: readonly number[];
  readonly bits: number;
}

/** netip.ParsePrefix: no zone, bits in decimal without sign or leading zero. */
function parsePrefix(text: string): Prefix | null {
  const slash = text.lastIndexOf("/");
  if (slash < 0) return null;
  const addr = text.slice(0, slash);
  const bitsText = text.slice(slash + 1);
  if (addr.includes("%") || !/^(0|[1-9]\d{0,2})$/.test(bitsText)) return null;
  const bytes = addr.includes(":") ? parseIPv6(addr) : parseIPv4(addr);
  const bits = Number(bitsText);
  return bytes && bits <= bytes.length * 8 ? { bytes, bits } : null;
}

/** Go's netip.Addr.Compare on canonical addresses: IPv4 sorts before IPv6, then by bytes. */
export function compareAddr(a: Addr, b: Addr): number {
  if (a.v4 !== b.v4) return a.v4 ? -1 : 1;
  for (let i = 0; i < a.bytes.length; i++) {
    const d = a.bytes[i]! - b.bytes[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

function prefixBounds(p: Prefix): [Addr, Addr] {
  const lo = p.bytes.map((b, i) => b & maskByte(p.bits, i));
  const hi = p.bytes.map((b, i) => (b & maskByte(p.bits, i)) | (~maskByte(p.bits, i) & 0xff));
  return [canonical(lo), canonical(hi)];
}

function maskByte(bits: number, index: number): number {
  const n = Math.min(8, Math.max(0, bits - index * 8));
  return (0xff << (8 - n)) & 0xff;
}

/** An address or a CIDR prefix as the inclusive range of canonical addresses it covers. */
export interface AddrRange {
  readonly lo: Addr;
  readonly hi: Addr;
}

/** netip.ParseAddr, else netip.ParsePrefix, as a range; null when the text is neither. */
export function parseRange(text: string): AddrRange | null {
  const addr = parseAddr(text);
  if (addr) return { lo: addr, hi: addr };
  const prefix = parsePrefix(text);
  if (!prefix) return null;
  const [lo, hi] = prefixBounds(prefix);
  return { lo, hi };
}

/** Prefix.Contains (or Addr equality) on canonical addresses. */
export function rangeContains({ lo, hi }: AddrRange, a: Addr): boolean {
  return compareAddr(lo, a) <= 0 && compareAddr(a, hi) <= 0;
}
