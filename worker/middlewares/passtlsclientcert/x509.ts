// The parts of an X.509 certificate passTLSClientCert reports, read from its DER bytes the way Go's
// crypto/x509 exposes them: names as attribute lists, serial as a decimal, SANs grouped as Go
// groups them (DNS names, then e-mails, then IPs, then URIs).
import ipaddr from "ipaddr.js";
import { children, DerReader, integer, oid, text, time, type Element } from "./der.ts";

/** The name attributes passTLSClientCert reports, by their OIDs (Attribute.type). */
export const OID = {
  DC: "0.9.2342.19200300.100.1.25", C: "2.5.4.6", ST: "2.5.4.8", L: "2.5.4.7", O: "2.5.4.10", OU: "2.5.4.11", SN: "2.5.4.5", CN: "2.5.4.3",
} as const;

export interface Attribute {
  readonly type: string;
  readonly value: string;
}

export interface Certificate {
  readonly serialNumber: string;
  readonly issuer: readonly Attribute[];
  readonly subject: readonly Attribute[];
  readonly notBefore: number;
  readonly notAfter: number;
  readonly sans: readonly string[];
}

const SEQUENCE = 0x30;
const SET = 0x31;
const SAN_OID = "2.5.29.17";

/** RDNSequence → attributes in certificate order (only values Go reads as strings). */
function name(value: Uint8Array): Attribute[] {
  const out: Attribute[] = [];
  for (const rdn of children(value)) {
    if (rdn.tag !== SET) continue;
    for (const atv of children(rdn.value)) {
      const [type, val] = children(atv.value);
      const str = val ? text(val) : null;
      if (type && str !== null) out.push({ type: oid(type.value), value: str });
    }
  }
  return out;
}

function ipText(bytes: Uint8Array): string | null {
  if (bytes.length !== 4 && bytes.length !== 16) return null;
  const address = ipaddr.fromByteArray([...bytes]);
  // Go prints an IPv4-mapped IPv6 address in dotted form.
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) return (address as ipaddr.IPv6).toIPv4Address().toString();
  return address.toString();
}

function subjectAltNames(extnValue: Uint8Array): string[] {
  const groups: Record<number, string[]> = { 0x82: [], 0x81: [], 0x87: [], 0x86: [] };
  const [names] = children(extnValue);
  for (const general of names ? children(names.value) : []) {
    const group = groups[general.tag];
    if (!group) continue;
    const value = general.tag === 0x87 ? ipText(general.value) : String.fromCharCode(...general.value);
    if (value !== null) group.push(value);
  }
  return [0x82, 0x81, 0x87, 0x86].flatMap((tag) => groups[tag] ?? []);
}

function extensions(element: Element | undefined): string[] {
  if (!element || element.tag !== 0xa3) return [];
  const [list] = children(element.value);
  for (const ext of list ? children(list.value) : []) {
    const parts = children(ext.value);
    const id = parts[0];
    const value = parts[parts.length - 1];
    if (id && value && oid(id.value) === SAN_OID) return subjectAltNames(value.value);
  }
  return [];
}

export function parseCertificate(der: Uint8Array): Certificate {
  const tbs = new DerReader(new DerReader(der).expect(SEQUENCE)).expect(SEQUENCE);
  const fields = new DerReader(tbs);
  if (fields.peekTag() === 0xa0) fields.next(); // version
  const serialNumber = integer(fields.expect(0x02));
  fields.expect(SEQUENCE); // signature algorithm
  const issuer = name(fields.expect(SEQUENCE));
  const [notBefore, notAfter] = children(fields.expect(SEQUENCE));
  const subject = name(fields.expect(SEQUENCE));
  fields.expect(SEQUENCE); // public key
  let sans: string[] = [];
  while (!fields.done) {
    const element = fields.next();
    if (element.tag === 0xa3) sans = extensions(element);
  }
  if (!notBefore || !notAfter) throw new Error("X.509: validity is incomplete");
  return { serialNumber, issuer, subject, notBefore: time(notBefore), notAfter: time(notAfter), sans };
}
