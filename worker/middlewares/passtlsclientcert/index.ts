// passTLSClientCert: pass the client's TLS certificate upstream, as Traefik does, in
// X-Forwarded-Tls-Client-Cert (pem: the base64 DER of each certificate, leaf first, comma-separated,
// not escaped: Traefik only strips the PEM delimiters and newlines) and
// X-Forwarded-Tls-Client-Cert-Info (info: the selected fields, URL-escaped).
// On Workers the certificate is the one Cloudflare's mTLS verified (request.cf.tlsClientAuth).
import type { MiddlewareOptions } from "../../schema/middlewares.ts";
import type { MiddlewareFactory } from "../types.ts";
import { clientCertificates } from "./cloudflare.ts";
import { OID, type Attribute, type Certificate } from "./x509.ts";
import { queryEscape } from "../../go/url-escape.ts";

type Info = NonNullable<MiddlewareOptions<"passTLSClientCert">["info"]>;
type DNOptions = NonNullable<Info["subject"]>;

/** The selected parts of a name in Traefik's order: DC, C, ST, L, O, OU, then the last SN and CN. */
function dnInfo(options: DNOptions | undefined, name: readonly Attribute[]): string {
  if (!options) return "";
  const all = (type: string, key: string) => name.filter((a) => a.type === type && a.value !== "").map((a) => `${key}=${a.value}`);
  const last = (type: string, key: string) => all(type, key).slice(-1);
  const parts = [
    ...(options.domainComponent ? all(OID.DC, "DC") : []),
    ...(options.country ? all(OID.C, "C") : []),
    ...(options.province ? all(OID.ST, "ST") : []),
    ...(options.locality ? all(OID.L, "L") : []),
    ...(options.organization ? all(OID.O, "O") : []),
    ...("organizationalUnit" in options && options.organizationalUnit ? all(OID.OU, "OU") : []),
    ...(options.serialNumber ? last(OID.SN, "SN") : []),
    ...(options.commonName ? last(OID.CN, "CN") : []),
  ];
  return parts.join(",");
}

function certInfo(info: Info, cert: Certificate): string {
  const subject = dnInfo(info.subject, cert.subject);
  const issuer = dnInfo(info.issuer, cert.issuer);
  const values = [
    ...(subject ? [`Subject="${subject}"`] : []),
    ...(issuer ? [`Issuer="${issuer}"`] : []),
    ...(info.serialNumber && cert.serialNumber ? [`SerialNumber="${cert.serialNumber}"`] : []),
    ...(info.notBefore ? [`NB="${cert.notBefore}"`] : []),
    ...(info.notAfter ? [`NA="${cert.notAfter}"`] : []),
    ...(info.sans && cert.sans.length > 0 ? [`SAN="${cert.sans.join(",")}"`] : []),
  ];
  return values.join(";");
}

export const passTLSClientCert: MiddlewareFactory<"passTLSClientCert"> = (options) => {
  const pem = options.pem === true;
  const info = options.info;
  if (!pem && !info) return (next) => next;
  return (next) => (request, rc) => {
    const certs = clientCertificates(request);
    if (!certs) return next(request, rc);
    const headers = new Headers(request.headers);
    if (pem && certs.der.length > 0) headers.set("x-forwarded-tls-client-cert", certs.der.join(","));
    if (info) headers.set("x-forwarded-tls-client-cert-info", queryEscape(certs.parsed.map((c) => certInfo(info, c)).join(",")));
    return next(new Request(request, { headers }), rc);
  };
};
