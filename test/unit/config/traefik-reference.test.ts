// Traefik's reference of every dynamic-configuration field (test/fixtures/traefik-file-http.yaml: the
// http part of docs/content/reference/dynamic-configuration/file.yaml at fd5a576, unchanged) pasted
// in: each field either works, or warns at its path, or is refused with a reason. Traefik's file
// fills every value with a placeholder ("foobar", 42); `realize` gives each a value that field
// accepts (and defines the `foobar` service, middleware and transport it names), so that what is
// left is what Switchyard says of the fields themselves.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfigText, validateConfig } from "../../../worker/config/index.ts";

const FIXTURE = join(import.meta.dirname, "../../fixtures/traefik-file-http.yaml");

/** A value each placeholder field accepts, by key (and by the placeholder's kind where a key is shared). */
const VALUES: Record<string, (placeholder: unknown) => unknown> = {
  rule: () => "PathPrefix(`/`)",
  ruleSyntax: () => "v3",
  traceVerbosity: () => "minimal",
  url: () => "http://backend.test",
  address: () => "http://auth.test",
  sameSite: () => "lax",
  strategy: () => "wrr",
  scheme: () => "https",
  mode: () => "http",
  path: () => "/health",
  method: () => "GET",
  status: (p) => (Array.isArray(p) ? ["500-599"] : 200),
  responseCode: () => 503,
  rejectStatusCode: () => 403,
  encodings: () => ["gzip"],
  defaultEncoding: () => "gzip",
  statusRewrites: () => ({ "500": 503 }),
  sourceRange: () => ["10.0.0.0/8"],
  excludedIPs: () => ["10.0.0.1"],
  retryExpression: () => "IsNetworkError() && Attempts() < 2",
  expression: () => "NetworkErrorRatio() > 0.5",
  regex: (p) => (Array.isArray(p) ? ["^/api"] : "^/(.*)"),
  replacement: () => "/$1",
  prefixes: () => ["/api"],
  query: () => "/{status}.html",
  authResponseHeadersRegex: () => "^X-",
  realm: () => "traefik",
  // traefik pkg/middlewares/auth/basic_auth_test.go's user "test" / "test", and digest_auth_test.go's.
  users: (p) => p,
  port: (p) => (typeof p === "number" ? p : "443"),
};
const BASIC_USERS = ["test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/"];
const DIGEST_USERS = ["test:traefik:a2688e031edb4be6a3797f3882655c05"];

function realize(value: unknown, key = ""): unknown {
  if (key === "basicAuth" || key === "digestAuth") {
    const o = realize(value) as Record<string, unknown>;
    return { ...o, users: key === "basicAuth" ? BASIC_USERS : DIGEST_USERS };
  }
  const replace = VALUES[key];
  if (replace) return replace(value);
  if (Array.isArray(value)) return value.map((v) => realize(v));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, realize(v, k)]));
  return value;
}

function reference() {
  const parsed = parseConfigText(readFileSync(FIXTURE, "utf8"), "yaml");
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const http = (realize(parsed.value) as { http: Record<string, Record<string, unknown>> }).http;
  http.services!.foobar = { loadBalancer: { servers: [{ url: "http://backend.test" }] } };
  http.middlewares!.foobar = { addPrefix: { prefix: "/x" } };
  http.serversTransports!.foobar = {};
  return { http };
}

const paths = (issues: readonly { path: string }[]) => issues.map((i) => i.path).sort();

/** Refused, with the reason at the path: what a Worker cannot do at all. */
const REFUSED = [
  // No filesystem on Workers.
  "http.middlewares.Middleware02.basicAuth.usersFile",
  "http.middlewares.Middleware08.digestAuth.usersFile",
  // Plugins are loaded at run time.
  "http.middlewares.Middleware17.plugin",
  // Not a Workers limit: Traefik's own GetSourceExtractor refuses ipStrategy, requestHeaderName and
  // requestHost together, and the reference file sets all three.
  "http.middlewares.Middleware15.inFlightReq.sourceCriterion",
  "http.middlewares.Middleware18.rateLimit.sourceCriterion",
  // Likewise Traefik's compress New: includedContentTypes and excludedContentTypes together.
  "http.middlewares.Middleware06.compress",
];

const TRANSPORT_IGNORED = ["serverName", "insecureSkipVerify", "rootCAs", "certificates", "cipherSuites", "minVersion", "maxVersion", "maxIdleConnsPerHost", "disableHTTP2", "peerCertURI", "spiffe", "forwardingTimeouts"];

/** Accepted with a warning at the path: fields that have no effect on Workers (or Traefik deprecates). */
const WARNED = [
  ...["Router0", "Router1"].flatMap((r) => ["entryPoints", "tls", "observability"].map((f) => `http.routers.${r}.${f}`)),
  // passHostHeader: true on an http(s):// server (it steers binding:// servers only).
  "http.services.Service03.loadBalancer.passHostHeader",
  "http.services.Service03.loadBalancer.responseForwarding.flushInterval",
  "http.middlewares.Middleware03.buffering.memRequestBodyBytes",
  "http.middlewares.Middleware03.buffering.memResponseBodyBytes",
  "http.middlewares.Middleware10.forwardAuth.tls",
  "http.middlewares.Middleware11.grpcWeb",
  ...["featurePolicy", "sslRedirect", "sslTemporaryRedirect", "sslHost", "sslForceHost"].map((f) => `http.middlewares.Middleware12.headers.${f}`),
  // Traefik's semantics, not a Workers limit: depth wins over excludedIPs.
  "http.middlewares.Middleware13.ipAllowList.ipStrategy.excludedIPs",
  "http.middlewares.Middleware14.ipWhiteList.ipStrategy.excludedIPs",
  "http.middlewares.Middleware14.ipWhiteList",
  "http.middlewares.Middleware18.rateLimit.redis",
  ...["ServersTransport0", "ServersTransport1"].flatMap((t) => TRANSPORT_IGNORED.map((f) => `http.serversTransports.${t}.${f}`)),
].sort();

describe("Traefik's reference file.yaml (http part, fd5a576)", () => {
  const valid = validateConfig(reference());

  it("every field is known: nothing is refused as an unknown key", () => {
    const all = [...(valid.ok ? [] : valid.errors), ...valid.warnings];
    expect(all.filter((i) => /unknown key/.test(i.message))).toEqual([]);
  });

  it("is refused exactly where a Worker cannot do what it asks, each with a reason", () => {
    expect(valid.ok).toBe(false);
    if (!valid.ok) expect(paths(valid.errors)).toEqual([...REFUSED].sort());
  });

  it("warns exactly at the fields that have no effect on Workers", () => {
    expect(paths(valid.warnings)).toEqual(WARNED);
  });

  it("validates once the refused fields are taken out, with the same warnings", () => {
    const config = reference();
    const m = config.http.middlewares as Record<string, Record<string, Record<string, unknown>>>;
    delete m.Middleware02!.basicAuth!.usersFile;
    delete m.Middleware08!.digestAuth!.usersFile;
    delete m.Middleware17;
    delete m.Middleware06!.compress!.includedContentTypes;
    for (const [name, type] of [["Middleware15", "inFlightReq"], ["Middleware18", "rateLimit"]] as const) {
      const criterion = m[name]![type]!.sourceCriterion as Record<string, unknown>;
      delete criterion.requestHeaderName;
      delete criterion.requestHost;
    }
    const again = validateConfig(config);
    expect(again.ok ? [] : again.errors).toEqual([]);
    expect(paths(again.warnings)).toEqual(WARNED);
  });
});
