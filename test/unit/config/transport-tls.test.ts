// serversTransports' TLS options of Traefik v3.7 (pkg/config/dynamic/http_config.go ServersTransport:
// cipherSuites, minVersion, maxVersion, peerCertSANs) are accepted with the warning every other
// TLS option of a transport gets: fetch() manages TLS on Workers. Not "unknown key".
import { describe, expect, it } from "vitest";
import { loadConfig, type ValidationResult } from "../../../worker/config/index.ts";

function accepted(result: ValidationResult): Extract<ValidationResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected a valid config, got ${JSON.stringify(result.errors)}`);
  return result;
}

// docs/content/reference/routing-configuration/http/load-balancing/serverstransport.md, "Configuration Example".
const DOCS_YAML = `
http:
  serversTransports:
    mytransport:
      serverName: "myhost"
      certificates:
        - "/path/to/cert1.pem"
        - "/path/to/cert2.pem"
      insecureSkipVerify: true
      rootCAs:
        - "/path/to/rootca1.pem"
        - "/path/to/rootca2.pem"
      maxIdleConnsPerHost: 100
      disableHTTP2: true
      peerCertSANs:
        - type: DNSName
          value: foo.com
        - type: URI
          value: spiffe://example.org/peer
      forwardingTimeouts:
        dialTimeout: "30s"
        responseHeaderTimeout: "10s"
        idleConnTimeout: "60s"
        readIdleTimeout: "5s"
        pingTimeout: "15s"
      spiffe:
        ids:
          - "spiffe://example.org/id1"
          - "spiffe://example.org/id2"
        trustDomain: "example.org"
      cipherSuites: 
        - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
        - TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
      minVersion: VersionTLS12
      maxVersion: VersionTLS12
`;

// The same page's TOML tab.
const DOCS_TOML = `
[http.serversTransports.mytransport]
  serverName = "myhost"
  certificates = ["/path/to/cert1.pem", "/path/to/cert2.pem"]
  insecureSkipVerify = true
  rootCAs = ["/path/to/rootca1.pem", "/path/to/rootca2.pem"]
  maxIdleConnsPerHost = 100
  disableHTTP2 = true
  peerCertSANs = [{type = "DNSName", value = "foo.com"}, {type = "URI", value = "spiffe://example.org/peer"}]
  cipherSuites = ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256","TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"]
  minVersion = "VersionTLS12"
  maxVersion = "VersionTLS12"

  [http.serversTransports.mytransport.forwardingTimeouts]
    dialTimeout = "30s"
    responseHeaderTimeout = "10s"
    idleConnTimeout = "60s"
    readIdleTimeout = "5s"
    pingTimeout = "15s"

  [http.serversTransports.mytransport.spiffe]
    ids = ["spiffe://example.org/id1", "spiffe://example.org/id2"]
    trustDomain = "example.org"
`;

// Each is warned at its own path (one warning per field).
const IGNORED = ["serverName", "certificates", "insecureSkipVerify", "rootCAs", "maxIdleConnsPerHost", "disableHTTP2", "peerCertSANs", "spiffe", "cipherSuites", "minVersion", "maxVersion"];
const ignoredMessage = (key: string) => `${key} is ignored on Workers: fetch() manages connections and TLS to servers itself`;

describe("serversTransports TLS options of Traefik v3.7", () => {
  it.each([
    ["YAML", DOCS_YAML, "yaml"],
    ["TOML", DOCS_TOML, "toml"],
  ] as const)("accepts Traefik's serversTransport example (%s), warning that fetch() manages TLS", (_, text, format) => {
    const result = accepted(loadConfig(text, format));
    const t = result.config.http?.serversTransports?.mytransport;
    expect(t?.cipherSuites).toEqual(["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"]);
    expect(t?.minVersion).toBe("VersionTLS12");
    expect(t?.peerCertSANs).toEqual([
      { type: "DNSName", value: "foo.com" },
      { type: "URI", value: "spiffe://example.org/peer" },
    ]);
    const base = "http.serversTransports.mytransport.";
    const fieldWarnings = result.warnings.filter((w) => w.path.startsWith(base) && w.path !== `${base}forwardingTimeouts`);
    expect(fieldWarnings.map((w) => w.path.slice(base.length)).sort()).toEqual([...IGNORED].sort());
    for (const w of fieldWarnings) expect(w.message).toBe(ignoredMessage(w.path.slice(base.length)));
    expect(result.warnings.every((w) => !w.message.includes("unknown key"))).toBe(true);
  });

  it.each(["cipherSuites", "minVersion", "maxVersion", "peerCertSANs"])("names %s among the options fetch() ignores", (key) => {
    const value = key === "cipherSuites" ? "TLS_AES_128_GCM_SHA256" : key === "peerCertSANs" ? [{ type: "DNSName", value: "a.example" }] : "VersionTLS13";
    const result = accepted(loadConfig(JSON.stringify({ http: { serversTransports: { t: { [key]: value } } } }), "json"));
    expect(result.warnings.map((w) => [w.path, w.message])).toEqual([[`http.serversTransports.t.${key}`, ignoredMessage(key)]]);
  });

  it("still refuses an option Traefik does not have, with a hint", () => {
    const result = loadConfig(JSON.stringify({ http: { serversTransports: { t: { cipherSuite: ["x"] } } } }), "json");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => [e.path, e.message])).toEqual([["http.serversTransports.t.cipherSuite", 'unknown key "cipherSuite" (did you mean "cipherSuites"?)']]);
  });

  it("refuses an unknown key in a peerCertSANs entry", () => {
    const result = loadConfig(JSON.stringify({ http: { serversTransports: { t: { peerCertSANs: [{ kind: "URI" }] } } } }), "json");
    expect(!result.ok && result.errors.map((e) => e.path)).toEqual(["http.serversTransports.t.peerCertSANs[0].kind"]);
  });
});
