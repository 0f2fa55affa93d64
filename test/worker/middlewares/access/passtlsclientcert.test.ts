// passTLSClientCert from Cloudflare's mTLS data (request.cf.tlsClientAuth), with a real certificate
// chain made by openssl (subject with DC, C, ST, L, O, OU, serialNumber, CN; SANs of every kind).
import { describe, expect, inject, it } from "vitest";
import { validateConfig } from "../../../../worker/config/index.ts";
import { lb, send, snapshotOf, type Echo } from "../../helpers/serve.ts";
import { COMPLETE_CHEESE_CRT, MINIMAL_CERT, MINIMAL_CHEESE_CRT } from "../../helpers/traefik-certs.ts";

const upstream = inject("whoamiUrl");

// openssl x509 -outform DER | base64: a client certificate and the CA that signed it.
const LEAF =
  "MIIDATCCAqigAwIBAgIJASNFZ4mrze8BMAoGCCqGSM49BAMCMHoxEzARBgoJkiaJk/IsZAEZFgNvcmcxCzAJBgNVBAYTAkZSMRYw" +
  "FAYDVQQIDA1TaWduaW5nIFN0YXRlMREwDwYDVQQHDAhUT1VMT1VTRTEPMA0GA1UECgwGQ2hlZXNlMRowGAYDVQQDDBFTaW1wbGUg" +
  "U2lnbmluZyBDQTAeFw0yNjExMjYxMDI0MTNaFw0yNzExMjYxMDI0MTNaMIHcMRMwEQYKCZImiZPyLGQBGRYDb3JnMRYwFAYKCZIm" +
  "iZPyLGQBGRYGY2hlZXNlMQswCQYDVQQGEwJGUjELMAkGA1UEBhMCVVMxGTAXBgNVBAgMEENoZWVzZSBvcmcgc3RhdGUxETAPBgNV" +
  "BAcMCFRPVUxPVVNFMQ8wDQYDVQQKDAZDaGVlc2UxETAPBgNVBAoMCENoZWVzZSAyMRcwFQYDVQQLDA5DaGVlc2UgU2VjdGlvbjEL" +
  "MAkGA1UEBRMCNDIxGzAZBgNVBAMMEmNsaWVudC5leGFtcGxlLmNvbTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABCakgl0WQPrx" +
  "A+q+mNcJkLj0fvQ2zMeKdHcn218uxr/ZJFtlhtSMY8BO9QFhYGLv6sbx3uXnXVIRP740lm0hVbCjgbMwgbAwbgYDVR0RBGcwZYIN" +
  "Ki5leGFtcGxlLm9yZ4INKi5leGFtcGxlLm5ldIEQdGVzdEBleGFtcGxlLm9yZ4cECgABAocQIAENuAAAAAAAAAAAAAAAAYYbc3Bp" +
  "ZmZlOi8vZXhhbXBsZS5vcmcvY2xpZW50MB0GA1UdDgQWBBRxc6zjE9u2AfVbGTvXiW6GPgz7ojAfBgNVHSMEGDAWgBScu0GayB3x" +
  "/4fnSmAe/DjkscAT3zAKBggqhkjOPQQDAgNHADBEAiBiwKEC4gxfvUJ818gDEir7ear0k3d1wrLDMf1mlFHQFgIgOFFRr0b+2NXl" +
  "W8NQ1y1gJvWVzw077VwRsbPxS8FT2Uc=";
const CA =
  "MIICNzCCAdygAwIBAgIBATAKBggqhkjOPQQDAjB6MRMwEQYKCZImiZPyLGQBGRYDb3JnMQswCQYDVQQGEwJGUjEWMBQGA1UECAwN" +
  "U2lnbmluZyBTdGF0ZTERMA8GA1UEBwwIVE9VTE9VU0UxDzANBgNVBAoMBkNoZWVzZTEaMBgGA1UEAwwRU2ltcGxlIFNpZ25pbmcg" +
  "Q0EwHhcNMjYxMTI2MTAyNDEwWhcNMzYxMTIzMTAyNDEwWjB6MRMwEQYKCZImiZPyLGQBGRYDb3JnMQswCQYDVQQGEwJGUjEWMBQG" +
  "A1UECAwNU2lnbmluZyBTdGF0ZTERMA8GA1UEBwwIVE9VTE9VU0UxDzANBgNVBAoMBkNoZWVzZTEaMBgGA1UEAwwRU2ltcGxlIFNp" +
  "Z25pbmcgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQSbDEFbqFCfJNL5VdtsVwAyJPhnv3Bc+rL4igAJPzbxQkeoYMg2P0b" +
  "LaGbAL3DjzFaI7BBEMBz8q5YuIbTAUQqo1MwUTAdBgNVHQ4EFgQUnLtBmsgd8f+H50pgHvw45LHAE98wHwYDVR0jBBgwFoAUnLtB" +
  "msgd8f+H50pgHvw45LHAE98wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEA2uGEgEKAOGFXXWu4pKEXJXPU9voo" +
  "8WFkYPeA2Fl7HJoCIQCVnUOQkkuaOU3xpFOy9HXXSwYdoleaciAhoooRGD8uwg==";

// What openssl says about them (x509 -noout -subject -issuer -serial -dates -ext subjectAltName).
const LEAF_INFO =
  'Subject="DC=org,DC=cheese,C=FR,C=US,ST=Cheese org state,L=TOULOUSE,O=Cheese,O=Cheese 2,OU=Cheese Section,SN=42,CN=client.example.com";' +
  'Issuer="DC=org,C=FR,ST=Signing State,L=TOULOUSE,O=Cheese,CN=Simple Signing CA";' +
  'SerialNumber="20988295479420645121";NB="1795688653";NA="1827224653";' +
  'SAN="*.example.org,*.example.net,test@example.org,10.0.1.2,2001:db8::1,spiffe://example.org/client"';
const CA_INFO =
  'Subject="DC=org,C=FR,ST=Signing State,L=TOULOUSE,O=Cheese,CN=Simple Signing CA";' +
  'Issuer="DC=org,C=FR,ST=Signing State,L=TOULOUSE,O=Cheese,CN=Simple Signing CA";' +
  'SerialNumber="1";NB="1795688650";NA="2111048650"';

const ALL_DN = { country: true, province: true, locality: true, organization: true, commonName: true, serialNumber: true, domainComponent: true };
const ALL_INFO = { notAfter: true, notBefore: true, sans: true, serialNumber: true, subject: { ...ALL_DN, organizationalUnit: true }, issuer: ALL_DN };

function config(options: Record<string, unknown>) {
  return {
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: ["mtls"] } },
      services: { s: lb(upstream) },
      middlewares: { mtls: { passTLSClientCert: options } },
    },
  };
}

const VERIFIED = {
  certPresented: "1",
  certVerified: "SUCCESS",
  certRevoked: "0",
  certRFC9440: `:${LEAF}:`,
  certChainRFC9440: `:${CA}:`,
  certSubjectDNRFC2253: "CN=client.example.com,serialNumber=42,OU=Cheese Section,O=Cheese 2,O=Cheese,L=TOULOUSE,ST=Cheese org state,C=US,C=FR,DC=cheese,DC=org",
  certIssuerDNRFC2253: "CN=Simple Signing CA,O=Cheese,L=TOULOUSE,ST=Signing State,C=FR,DC=org",
  certSerial: "0123456789ABCDEF01",
  certNotBefore: "Nov 26 10:24:13 2026 GMT",
  certNotAfter: "Nov 26 10:24:13 2027 GMT",
};

async function headersFor(options: Record<string, unknown>, tlsClientAuth: Record<string, unknown> | null, headers: Record<string, string> = {}) {
  const init = { headers, ...(tlsClientAuth ? { cf: { tlsClientAuth } } : {}) } as RequestInit;
  const res = await send(snapshotOf(config(options)), "https://x.test/", init);
  expect(res.status).toBe(200);
  const echo = (await res.json()) as Echo;
  return { pem: echo.headers["x-forwarded-tls-client-cert"], info: echo.headers["x-forwarded-tls-client-cert-info"] };
}

/** The header value as Go's url.QueryUnescape reads it. */
function unescape(value: unknown): string {
  return decodeURIComponent(String(value).replace(/\+/g, " "));
}

describe("passTLSClientCert", () => {
  it("pem: each certificate's base64 DER as is (Traefik's sanitize does not escape it), leaf first, comma-separated", async () => {
    const { pem, info } = await headersFor({ pem: true }, VERIFIED);
    expect(pem).toBe(`${LEAF},${CA}`);
    expect(info).toBeUndefined();
  });

  it("info: every field, in Traefik's order and format, for each certificate of the chain", async () => {
    const { info } = await headersFor({ info: ALL_INFO }, VERIFIED);
    expect(unescape(info)).toBe(`${LEAF_INFO},${CA_INFO}`);
    // Escaped as a URL query value: quotes, commas, equals, spaces as "+".
    expect(String(info).startsWith("Subject%3D%22DC%3Dorg%2CDC%3Dcheese%2CC%3DFR")).toBe(true);
    expect(String(info)).toContain("Cheese+org+state");
  });

  it("info: only the selected fields; subject and issuer parts as chosen", async () => {
    const { info } = await headersFor({ info: { notAfter: true, subject: { commonName: true, organization: true }, issuer: { country: true } } }, VERIFIED);
    expect(unescape(info)).toBe(
      'Subject="O=Cheese,O=Cheese 2,CN=client.example.com";Issuer="C=FR";NA="1827224653",Subject="O=Cheese,CN=Simple Signing CA";Issuer="C=FR";NA="2111048650"',
    );
  });

  it("without the DER (a leaf over 10 KB), info comes from Cloudflare's summary fields and pem is not sent", async () => {
    const summary = { ...VERIFIED, certRFC9440: "", certRFC9440TooLarge: true };
    const { pem, info } = await headersFor({ pem: true, info: ALL_INFO }, summary);
    expect(pem).toBeUndefined();
    expect(unescape(info)).toBe(LEAF_INFO.replace(/;SAN=.*$/, ""));
  });

  it("passes nothing for an unverified, revoked or absent certificate; a client cannot forge the headers", async () => {
    const forged = { "x-forwarded-tls-client-cert": "forged", "x-forwarded-tls-client-cert-info": "forged" };
    for (const auth of [{ ...VERIFIED, certVerified: "FAILED:self signed certificate" }, { ...VERIFIED, certRevoked: "1" }, { ...VERIFIED, certPresented: "0" }, null]) {
      const { pem, info } = await headersFor({ pem: true, info: ALL_INFO }, auth, forged);
      expect([pem, info]).toEqual([undefined, undefined]);
    }
  });

  it("with neither pem nor info it changes nothing", async () => {
    const { pem, info } = await headersFor({}, VERIFIED);
    expect([pem, info]).toEqual([undefined, undefined]);
    expect(validateConfig(config({ pem: false })).ok).toBe(true);
  });

  it("refuses unknown info fields (issuer has no organizationalUnit in Traefik)", () => {
    const valid = validateConfig(config({ info: { issuer: { organizationalUnit: true } } }));
    expect(valid.ok ? [] : valid.errors.map((e) => e.path)).toEqual(["http.middlewares.mtls.passTLSClientCert.info.issuer.organizationalUnit"]);
  });
});

// Traefik's own test file, case by case, with its certificates. Go sets req.TLS.PeerCertificates;
// here Cloudflare's verified mTLS data carries them (leaf in certRFC9440, the rest in
// certChainRFC9440). "No TLS" is a request without cf.tlsClientAuth.
describe("traefik pkg/middlewares/passtlsclientcert/pass_tls_client_cert_test.go", () => {
  const SEP = ";";
  function verified(chain: string[]): Record<string, unknown> {
    const [leaf = "", ...rest] = chain;
    return { certPresented: "1", certVerified: "SUCCESS", certRevoked: "0", certRFC9440: `:${leaf}:`, certChainRFC9440: rest.map((c) => `:${c}:`).join(",") };
  }
  async function run(options: Record<string, unknown>, chain: string[] | null) {
    const init = (chain ? { cf: { tlsClientAuth: verified(chain) } } : {}) as RequestInit;
    const res = await send(snapshotOf(config(options)), "http://example.com/foo", init);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-forwarded-tls-client-cert")).toBeNull(); // never on the response
    expect(res.headers.get("x-forwarded-tls-client-cert-info")).toBeNull();
    const echo = (await res.json()) as Echo;
    return { pem: echo.headers["x-forwarded-tls-client-cert"], info: echo.headers["x-forwarded-tls-client-cert-info"] };
  }

  // traefik pkg/middlewares/passtlsclientcert/pass_tls_client_cert_test.go TestPassTLSClientCert_PEM
  const pemCases: [string, string[] | null, Record<string, unknown>, string | undefined][] = [
    ["No TLS, no option", null, {}, undefined],
    ["TLS, no option", [MINIMAL_CHEESE_CRT], {}, undefined],
    ["No TLS, with pem option true", null, { pem: true }, undefined],
    ["TLS with simple certificate, with pem option true", [MINIMAL_CHEESE_CRT], { pem: true }, MINIMAL_CHEESE_CRT],
    ["TLS with complete certificate, with pem option true", [MINIMAL_CHEESE_CRT], { pem: true }, MINIMAL_CHEESE_CRT],
    ["TLS with two certificate, with pem option true", [MINIMAL_CERT, MINIMAL_CHEESE_CRT], { pem: true }, `${MINIMAL_CERT},${MINIMAL_CHEESE_CRT}`],
  ];
  for (const [desc, chain, options, expected] of pemCases) {
    it(`TestPassTLSClientCert_PEM "${desc}"`, async () => {
      // The PEM body as is: delimiters and newlines removed, not URL-escaped (Traefik's sanitize).
      expect((await run(options, chain)).pem).toBe(expected);
    });
  }

  const MINIMAL_ALL = [
    'Subject="C=FR,ST=Some-State,O=Cheese"',
    'Issuer="DC=org,DC=cheese,C=FR,C=US,ST=Signing State,ST=Signing State 2,L=TOULOUSE,L=LYON,O=Cheese,O=Cheese 2,CN=Simple Signing CA 2"',
    'SerialNumber="481535886039632329873080491016862977516759989652"',
    'NB="1544094636"',
    'NA="1632568236"',
  ].join(SEP);
  const COMPLETE_ALL = [
    'Subject="DC=org,DC=cheese,C=FR,C=US,ST=Cheese org state,ST=Cheese com state,L=TOULOUSE,L=LYON,O=Cheese,O=Cheese 2,OU=Simple Signing Section,OU=Simple Signing Section 2,CN=*.cheese.com"',
    'Issuer="DC=org,DC=cheese,C=FR,C=US,ST=Signing State,ST=Signing State 2,L=TOULOUSE,L=LYON,O=Cheese,O=Cheese 2,CN=Simple Signing CA 2"',
    'SerialNumber="1"',
    'NB="1544094616"',
    'NA="1607166616"',
    'SAN="*.cheese.org,*.cheese.net,*.cheese.com,test@cheese.org,test@cheese.net,10.0.1.0,10.0.1.2"',
  ].join(SEP);
  const SUBJECT_ALL = { commonName: true, country: true, domainComponent: true, locality: true, organization: true, organizationalUnit: true, province: true, serialNumber: true };
  const ISSUER_ALL = { commonName: true, country: true, domainComponent: true, locality: true, organization: true, province: true, serialNumber: true };
  const ALL = { info: { notAfter: true, notBefore: true, sans: true, serialNumber: true, subject: SUBJECT_ALL, issuer: ISSUER_ALL } };

  // traefik pkg/middlewares/passtlsclientcert/pass_tls_client_cert_test.go TestPassTLSClientCert_certInfo
  const infoCases: [string, string[] | null, Record<string, unknown>, string | undefined][] = [
    ["No TLS, no option", null, {}, undefined],
    ["TLS, no option", [MINIMAL_CERT], {}, undefined],
    ["No TLS, with subject info", null, { info: { subject: { commonName: true, organization: true, organizationalUnit: true, locality: true, province: true, country: true, serialNumber: true } } }, undefined],
    ["No TLS, with pem option false with empty subject info", null, { pem: false, info: { subject: {} } }, undefined],
    ["TLS with simple certificate, with all info", [MINIMAL_CHEESE_CRT], ALL, MINIMAL_ALL],
    ["TLS with simple certificate, with some info", [MINIMAL_CHEESE_CRT], { info: { notAfter: true, sans: true, subject: { organization: true }, issuer: { country: true } } }, 'Subject="O=Cheese";Issuer="C=FR,C=US";NA="1632568236"'],
    [
      "TLS with simple certificate, requesting non-existent info",
      [MINIMAL_CHEESE_CRT],
      { info: { notAfter: true, sans: true, subject: { organization: true, organizationalUnit: true }, issuer: { country: true } } },
      'Subject="O=Cheese";Issuer="C=FR,C=US";NA="1632568236"',
    ],
    ["TLS with complete certificate, with all info", [COMPLETE_CHEESE_CRT], ALL, COMPLETE_ALL],
    ["TLS with 2 certificates, with all info", [MINIMAL_CHEESE_CRT, COMPLETE_CHEESE_CRT], ALL, `${MINIMAL_ALL},${COMPLETE_ALL}`],
  ];
  for (const [desc, chain, options, expected] of infoCases) {
    it(`TestPassTLSClientCert_certInfo "${desc}"`, async () => {
      const { info } = await run(options, chain);
      expect(info === undefined ? undefined : unescape(info)).toBe(expected);
    });
  }

  // traefik pkg/middlewares/passtlsclientcert/pass_tls_client_cert_test.go Test_sanitize and
  // Test_getSANs are helpers' tests: their outcome is in the header values above (the PEM body
  // without delimiters or newlines; SANs as DNS names, e-mails, IPs, then URIs, see LEAF_INFO).
});
