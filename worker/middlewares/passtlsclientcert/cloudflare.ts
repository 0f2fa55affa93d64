// The client certificate as Cloudflare hands it to a Worker (request.cf.tlsClientAuth, mTLS):
// the leaf and chain as RFC 9440 base64 DER (parsed here), else only its summary fields.
// Only a certificate Cloudflare verified and that is not revoked is reported: Traefik passes only
// certificates its TLS clientAuth policy admitted, and an unverified one must not look trusted.
import { fromBase64 } from "../auth/bytes.ts";
import { OID, parseCertificate, type Attribute, type Certificate } from "./x509.ts";

/** The fields of cf.tlsClientAuth this middleware reads. */
interface TLSClientAuth {
  certPresented?: string;
  certVerified?: string;
  certRevoked?: string;
  certRFC9440?: string;
  certChainRFC9440?: string;
  certSubjectDNRFC2253?: string;
  certIssuerDNRFC2253?: string;
  certSerial?: string;
  certNotBefore?: string;
  certNotAfter?: string;
}

export interface ClientCertificates {
  /** Base64 DER of each certificate, leaf first; empty when Cloudflare did not pass them. */
  readonly der: readonly string[];
  readonly parsed: readonly Certificate[];
}

function tlsClientAuth(request: Request): TLSClientAuth | null {
  const cf = (request as { cf?: unknown }).cf;
  const auth = typeof cf === "object" && cf !== null ? (cf as { tlsClientAuth?: unknown }).tlsClientAuth : undefined;
  return typeof auth === "object" && auth !== null ? (auth as TLSClientAuth) : null;
}

/** `:base64:` items of an RFC 9440 header value (one item, or a comma-separated list). */
function rfc9440(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => /^\s*:([A-Za-z0-9+/=]+):\s*$/.exec(item)?.[1])
    .filter((b64): b64 is string => b64 !== undefined && fromBase64(b64) !== null);
}

/** RFC 2253 attribute names, as Cloudflare writes the DN, to their OIDs. */
const DN_KEYS: Readonly<Record<string, string>> = { CN: OID.CN, SERIALNUMBER: OID.SN, C: OID.C, L: OID.L, ST: OID.ST, O: OID.O, OU: OID.OU, DC: OID.DC };

/** An RFC 2253 DN string as attributes in certificate order (the string lists them last first). */
function dnAttributes(dn: string | undefined): Attribute[] {
  const parts = (dn ?? "").match(/(?:\\.|[^,+\\])+/g) ?? [];
  const out: Attribute[] = [];
  for (const part of parts) {
    const eq = part.indexOf("=");
    const type = DN_KEYS[part.slice(0, eq).trim().toUpperCase()];
    const value = part.slice(eq + 1).trim().replace(/\\([0-9A-Fa-f]{2}|.)/g, (_, c: string) => (c.length === 2 ? String.fromCharCode(parseInt(c, 16)) : c));
    if (eq > 0 && type) out.push({ type, value });
  }
  return out.reverse();
}

/** Without the DER (an older runtime, or a leaf over 10 KB): what the summary fields tell. */
function fromSummary(auth: TLSClientAuth): Certificate {
  const seconds = (date: string | undefined) => Math.floor((Date.parse(date ?? "") || 0) / 1000);
  const serial = /^[0-9A-Fa-f]+$/.test(auth.certSerial ?? "") ? BigInt(`0x${auth.certSerial}`).toString() : "";
  return {
    serialNumber: serial,
    subject: dnAttributes(auth.certSubjectDNRFC2253),
    issuer: dnAttributes(auth.certIssuerDNRFC2253),
    notBefore: seconds(auth.certNotBefore),
    notAfter: seconds(auth.certNotAfter),
    sans: [],
  };
}

function parseAll(der: readonly string[]): Certificate[] | null {
  try {
    return der.map((b64) => parseCertificate(fromBase64(b64) ?? new Uint8Array()));
  } catch (err) {
    console.error("passTLSClientCert: unreadable client certificate:", err);
    return null;
  }
}

/** The verified client certificate chain of this request, or null when there is none. */
export function clientCertificates(request: Request): ClientCertificates | null {
  const auth = tlsClientAuth(request);
  if (!auth || auth.certPresented !== "1" || auth.certVerified !== "SUCCESS" || auth.certRevoked === "1") return null;
  const leaf = rfc9440(auth.certRFC9440);
  // The chain without its leaf would pass an intermediate off as the client's certificate.
  const der = leaf.length > 0 ? [...leaf, ...rfc9440(auth.certChainRFC9440)] : [];
  return { der, parsed: (der.length > 0 ? parseAll(der) : null) ?? [fromSummary(auth)] };
}
