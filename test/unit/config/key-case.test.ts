import { describe, expect, it } from "vitest";
import { canonicalJSON, loadConfig, validateConfig, type ConfigIssue, type ValidationResult } from "../../../worker/config/index.ts";

// Traefik matches keys case-insensitively; Switchyard reads a case variant as its canonical
// spelling, with a warning at the key as written. Names chosen by the user are kept as written.

function paths(issues: ConfigIssue[]): string[] {
  return issues.map((i) => i.path);
}

function accepted(result: ValidationResult): Extract<ValidationResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected a valid config, got ${JSON.stringify(result.errors)}`);
  return result;
}

function rejected(result: ValidationResult): Extract<ValidationResult, { ok: false }> {
  if (result.ok) throw new Error("expected errors");
  return result;
}

const server = { servers: [{ url: "http://backend:8080" }] };

// As Traefik's documentation writes it: `healthcheck` and `passhostheader` in lower case.
const DOCS_EXAMPLE = `
http:
  routers:
    my-router:
      rule: "Host(\`example.com\`)"
      service: my-service
  services:
    my-service:
      loadBalancer:
        healthcheck:
          path: /health
          interval: "10s"
          timeout: "3s"
        passhostheader: false
        servers:
          - url: "http://private-ip-server-1/"
`;

const DOCS_EXAMPLE_CANONICAL = DOCS_EXAMPLE.replace("healthcheck:", "healthCheck:").replace("passhostheader:", "passHostHeader:");

describe("keys are read case-insensitively", () => {
  it("accepts Traefik's docs example and reads healthcheck as healthCheck", () => {
    const result = accepted(loadConfig(DOCS_EXAMPLE, "yaml"));
    const lb = result.config.http?.services?.["my-service"]?.loadBalancer;
    expect(lb?.healthCheck).toEqual({ path: "/health", interval: "10s", timeout: "3s", mode: "http", followRedirects: true });
    expect(lb?.passHostHeader).toBe(false);
    expect(lb && Object.keys(lb)).not.toContain("healthcheck");
    expect(result.warnings).toEqual([
      {
        path: "http.services.my-service.loadBalancer.healthcheck",
        message: 'key "healthcheck" read as "healthCheck" (Switchyard\'s canonical spelling)',
        severity: "warning",
      },
      {
        path: "http.services.my-service.loadBalancer.passhostheader",
        message: 'key "passhostheader" read as "passHostHeader" (Switchyard\'s canonical spelling)',
        severity: "warning",
      },
    ]);
  });

  it("gives the docs example the canonical JSON of the canonically spelt config", () => {
    const variant = accepted(loadConfig(DOCS_EXAMPLE, "yaml"));
    const canonical = accepted(loadConfig(DOCS_EXAMPLE_CANONICAL, "yaml"));
    expect(canonical.warnings).toEqual([]);
    expect(canonicalJSON(variant.config)).toBe(canonicalJSON(canonical.config));
  });

  it.each(["passHostHeader", "passhostheader", "PassHostHeader", "PASSHOSTHEADER"])("reads %s as passHostHeader", (key) => {
    const result = accepted(validateConfig({ http: { services: { s: { loadBalancer: { ...server, [key]: false } } } } }));
    expect(result.config.http?.services?.s?.loadBalancer?.passHostHeader).toBe(false);
    const expected = key === "passHostHeader" ? [] : [`http.services.s.loadBalancer.${key}`];
    expect(paths(result.warnings)).toEqual(expected);
  });

  it("reads a lower-case service type and middleware type", () => {
    const result = accepted(
      validateConfig({
        http: {
          routers: { r: { rule: "PathPrefix(`/api`)", service: "s", middlewares: ["strip"] } },
          services: { s: { loadbalancer: server } },
          middlewares: { strip: { stripprefix: { prefixes: ["/api"] } } },
        },
      }),
    );
    expect(result.config.http?.middlewares?.strip).toEqual({ stripPrefix: { prefixes: ["/api"] } });
    expect(result.config.http?.services?.s?.loadBalancer?.servers).toEqual(server.servers);
    expect(paths(result.warnings)).toEqual(["http.services.s.loadbalancer", "http.middlewares.strip.stripprefix"]);
    expect(result.warnings[1]?.message).toBe('key "stripprefix" read as "stripPrefix" (Switchyard\'s canonical spelling)');
  });

  it("reads top-level HTTP and section names in any case", () => {
    const result = accepted(
      loadConfig("HTTP:\n  Routers:\n    r:\n      rule: Path(`/`)\n      service: s\n  SERVICES:\n    s:\n      loadBalancer:\n        servers: [{url: 'http://a'}]\n", "yaml"),
    );
    expect(Object.keys(result.config)).toEqual(["http"]);
    expect(Object.keys(result.config.http ?? {}).sort()).toEqual(["routers", "services"]);
    expect(paths(result.warnings)).toEqual(["HTTP", "http.Routers", "http.SERVICES"]);
  });

  it("recognises other top-level sections in any case", () => {
    const result = rejected(validateConfig({ TCP: {}, Tls: {} }));
    expect(paths(result.errors)).toEqual(["tcp"]);
    expect(paths(result.warnings)).toEqual(["TCP", "Tls", "tls"]);
  });

  it("reads case variants inside a middleware's options, at any depth", () => {
    const result = accepted(
      validateConfig({
        http: {
          middlewares: {
            limit: { ratelimit: { Average: 10, sourcecriterion: { ipStrategy: { DEPTH: 1 } } } },
            cors: { Headers: { accessControlAllowMethods: ["GET"], AccessControlMaxAge: 100 } },
          },
        },
      }),
    );
    expect(result.config.http?.middlewares?.limit?.rateLimit).toEqual({
      average: 10,
      period: "1s",
      burst: 1,
      sourceCriterion: { ipStrategy: { depth: 1 } },
    });
    expect(result.config.http?.middlewares?.cors?.headers).toEqual({ accessControlAllowMethods: ["GET"], accessControlMaxAge: 100 });
    expect(paths(result.warnings)).toEqual([
      "http.middlewares.limit.ratelimit",
      "http.middlewares.limit.rateLimit.Average",
      "http.middlewares.limit.rateLimit.sourcecriterion",
      "http.middlewares.limit.rateLimit.sourceCriterion.ipStrategy.DEPTH",
      "http.middlewares.cors.Headers",
      "http.middlewares.cors.headers.AccessControlMaxAge",
    ]);
  });

  it("reads case variants inside list items", () => {
    const result = accepted(
      validateConfig({
        http: {
          services: {
            a: { loadBalancer: server },
            w: { weighted: { services: [{ Name: "a", WEIGHT: 2 }] } },
          },
        },
      }),
    );
    expect(result.config.http?.services?.w?.weighted?.services).toEqual([{ name: "a", weight: 2 }]);
    expect(paths(result.warnings)).toEqual(["http.services.w.weighted.services[0].Name", "http.services.w.weighted.services[0].WEIGHT"]);
  });

  it("reads the TOML spelling of the docs example too", () => {
    const toml = `
[http.services.my-service.loadbalancer]
passhostheader = false
[http.services.my-service.loadbalancer.healthcheck]
path = "/health"
interval = "10s"
timeout = "3s"
[[http.services.my-service.loadbalancer.servers]]
url = "http://private-ip-server-1/"
[http.routers.my-router]
rule = "Host(\`example.com\`)"
service = "my-service"
`;
    const fromToml = accepted(loadConfig(toml, "toml"));
    const canonical = accepted(loadConfig(DOCS_EXAMPLE_CANONICAL, "yaml"));
    expect(canonicalJSON(fromToml.config)).toBe(canonicalJSON(canonical.config));
    expect(paths(fromToml.warnings)).toEqual([
      "http.services.my-service.loadbalancer",
      "http.services.my-service.loadBalancer.passhostheader",
      "http.services.my-service.loadBalancer.healthcheck",
    ]);
  });

  it("gives a config in mixed case the canonical JSON of the canonical config", () => {
    const mixed = {
      Http: {
        ROUTERS: { api: { Rule: "Host(`a.example.com`)", SERVICE: "api", Middlewares: ["hdr"], priority: 5 } },
        services: {
          api: { LoadBalancer: { Servers: [{ URL: "http://10.0.0.1", Weight: 2 }], HealthCheck: { Path: "/up" }, serverstransport: "t" } },
        },
        middlewares: { hdr: { headers: { CustomResponseHeaders: { "X-Frame-Options": "DENY" } } } },
        serverstransports: { t: { ForwardingTimeouts: { responseheadertimeout: "30s" } } },
      },
    };
    const canonical = {
      http: {
        routers: { api: { rule: "Host(`a.example.com`)", service: "api", middlewares: ["hdr"], priority: 5 } },
        services: {
          api: { loadBalancer: { servers: [{ url: "http://10.0.0.1", weight: 2 }], healthCheck: { path: "/up" }, serversTransport: "t" } },
        },
        middlewares: { hdr: { headers: { customResponseHeaders: { "X-Frame-Options": "DENY" } } } },
        serversTransports: { t: { forwardingTimeouts: { responseHeaderTimeout: "30s" } } },
      },
    };
    const fromMixed = accepted(validateConfig(mixed));
    const fromCanonical = accepted(validateConfig(canonical));
    expect(canonicalJSON(fromMixed.config)).toBe(canonicalJSON(fromCanonical.config));
    expect(fromMixed.config).toEqual(fromCanonical.config);
    expect(fromMixed.warnings.length).toBe(16);
    expect(fromCanonical.warnings).toEqual([]);
  });
});

describe("names chosen by the user stay as written", () => {
  it("keeps router, service, middleware and transport names", () => {
    const result = accepted(
      validateConfig({
        http: {
          routers: { MyRouter: { rule: "Path(`/`)", service: "API", middlewares: ["StripPrefix"] } },
          services: { API: { loadBalancer: { ...server, serversTransport: "Slow" } } },
          middlewares: { StripPrefix: { stripPrefix: { prefixes: ["/x"] } } },
          serversTransports: { Slow: {} },
        },
      }),
    );
    expect(Object.keys(result.config.http?.routers ?? {})).toEqual(["MyRouter"]);
    expect(Object.keys(result.config.http?.services ?? {})).toEqual(["API"]);
    expect(Object.keys(result.config.http?.middlewares ?? {})).toEqual(["StripPrefix"]);
    expect(Object.keys(result.config.http?.serversTransports ?? {})).toEqual(["Slow"]);
    expect(result.warnings).toEqual([]);
  });

  it("does not read a name that looks like a key as that key", () => {
    // A router named "rule" is a name, not a key of the routers map.
    const result = accepted(validateConfig({ http: { routers: { Rule: { rule: "Path(`/`)", service: "s" } }, services: { s: { loadBalancer: server } } } }));
    expect(Object.keys(result.config.http?.routers ?? {})).toEqual(["Rule"]);
    expect(result.warnings).toEqual([]);
  });

  it("keeps header names in customRequestHeaders and health-check headers", () => {
    const result = accepted(
      validateConfig({
        http: {
          services: { s: { loadBalancer: { ...server, healthCheck: { Headers: { "X-Probe": "1", host: "h" } } } } },
          middlewares: {
            h: { headers: { customrequestheaders: { "X-Custom-Header": "a", "x-lower-case": "b", customResponseHeaders: "c" } } },
          },
        },
      }),
    );
    expect(result.config.http?.middlewares?.h?.headers?.customRequestHeaders).toEqual({
      "X-Custom-Header": "a",
      "x-lower-case": "b",
      customResponseHeaders: "c",
    });
    expect(result.config.http?.services?.s?.loadBalancer?.healthCheck?.headers).toEqual({ "X-Probe": "1", host: "h" });
    expect(paths(result.warnings)).toEqual(["http.services.s.loadBalancer.healthCheck.Headers", "http.middlewares.h.headers.customrequestheaders"]);
  });

  it("keeps the keys of statusRewrites", () => {
    const result = accepted(
      validateConfig({
        http: {
          services: { s: { loadBalancer: server } },
          middlewares: { e: { errors: { status: ["500-599"], service: "s", StatusRewrites: { "500-503": 502 } } } },
        },
      }),
    );
    expect(result.config.http?.middlewares?.e?.errors?.statusRewrites).toEqual({ "500-503": 502 });
  });
});

// Traefik's decoder (paerser) matches each key to a field case-insensitively and fills the field
// once per spelling, after sorting the map's keys (file/raw_node.go sortKeys): two spellings are
// merged, and where both set one option the spelling that sorts last (Go byte order) wins.
describe("two spellings of one key are merged, as Traefik merges them", () => {
  it("merges the options of both spellings, warning at the key with both named", () => {
    const result = accepted(
      validateConfig({
        http: {
          routers: { r: { rule: "Path(`/`)", service: "s" } },
          services: { s: { loadBalancer: { ...server, healthCheck: { path: "/a" }, healthcheck: { interval: "5s" } } } },
        },
      }),
    );
    expect(result.config.http?.services?.s?.loadBalancer?.healthCheck).toMatchObject({ path: "/a", interval: "5s" });
    expect(result.warnings).toEqual([
      {
        path: "http.services.s.loadBalancer.healthCheck",
        message:
          'keys "healthCheck" and "healthcheck" are one key written in different case: merged into "healthCheck" as Traefik does; where both set the same option, "healthcheck" wins (Traefik fills the spellings in sorted order)',
        severity: "warning",
      },
    ]);
  });

  it.each([
    // "inFlightReq" < "inflightreq" in byte order: the lower-case one is filled last, wherever it is written.
    ["canonical first in the file", "      inFlightReq:\n        amount: 10\n      inflightreq:\n        amount: 5\n"],
    ["canonical last in the file", "      inflightreq:\n        amount: 5\n      inFlightReq:\n        amount: 10\n"],
  ])("takes the leaf both set from the spelling that sorts last (%s)", (_, body) => {
    const result = accepted(loadConfig(`http:\n  middlewares:\n    m:\n${body}`, "yaml"));
    expect(result.config.http?.middlewares?.m).toEqual({ inFlightReq: { amount: 5 } });
    expect(paths(result.warnings)).toEqual(["http.middlewares.m.inFlightReq"]);
    expect(result.warnings[0]?.message).toContain('keys "inFlightReq" and "inflightreq"');
  });

  it("merges nested options of both spellings, each read in canonical case first", () => {
    const text = `
http:
  middlewares:
    m:
      rateLimit:
        average: 1
        period: 1m
        sourceCriterion:
          ipStrategy:
            depth: 1
      ratelimit:
        Average: 2
        sourcecriterion:
          IPStrategy:
            ipv6Subnet: 64
`;
    const result = accepted(loadConfig(text, "yaml"));
    // Traefik fills rateLimit, then ratelimit: its Average replaces average; period stays; ipStrategy is merged.
    expect(result.config.http?.middlewares?.m?.rateLimit).toMatchObject({ average: 2, period: "1m", sourceCriterion: { ipStrategy: { depth: 1, ipv6Subnet: 64 } } });
  });

  it("replaces a list and keeps the entries of a map of both spellings", () => {
    const result = accepted(
      validateConfig({
        http: {
          middlewares: {
            h: {
              headers: {
                customRequestHeaders: { "X-A": "1", "X-B": "1" },
                customrequestheaders: { "X-B": "2" },
                accessControlAllowMethods: ["GET", "PUT"],
                accesscontrolallowmethods: ["POST"],
              },
            },
          },
        },
      }),
    );
    expect(result.config.http?.middlewares?.h?.headers?.customRequestHeaders).toEqual({ "X-A": "1", "X-B": "2" });
    expect(result.config.http?.middlewares?.h?.headers?.accessControlAllowMethods).toEqual(["POST"]);
  });

  it("merges two variants when neither is canonical: one middleware, not two types", () => {
    const result = accepted(validateConfig({ http: { middlewares: { m: { stripprefix: { prefixes: ["/a"] }, STRIPPREFIX: { forceSlash: true } } } } }));
    // "STRIPPREFIX" sorts first, "stripprefix" last.
    expect(result.config.http?.middlewares?.m).toEqual({ stripPrefix: { prefixes: ["/a"], forceSlash: true } });
    expect(result.warnings[0]?.message).toContain('keys "STRIPPREFIX" and "stripprefix"');
  });

  it("merges two spellings of a top-level key or a section, a name in both taken whole from the later", () => {
    const top = accepted(
      validateConfig({
        HTTP: { routers: { r: { rule: "Path(`/b`)", service: "s", priority: 3 } } },
        http: { Routers: { r: { rule: "Path(`/a`)", service: "s" } }, services: { s: { loadBalancer: server } } },
      }),
    );
    // HTTP before http, and a router (an entry of a map) is replaced whole, as Traefik's setMap does.
    expect(top.config.http?.routers).toEqual({ r: { rule: "Path(`/a`)", service: "s" } });
    expect(paths(top.warnings)).toEqual(["http", "http.Routers"]);
    const section = accepted(validateConfig({ http: { routers: { a: { rule: "Path(`/a`)", service: "s" } }, Routers: { b: { rule: "Path(`/b`)", service: "s" } }, services: { s: { loadBalancer: server } } } }));
    expect(Object.keys(section.config.http?.routers ?? {}).sort()).toEqual(["a", "b"]);
    expect(paths(section.warnings)).toEqual(["http.routers"]);
  });

  it("reads an empty spelling as setting nothing (paerser skips nil values)", () => {
    const result = accepted(loadConfig("http:\n  middlewares:\n    m:\n      compress:\n        minResponseBodyBytes: 5\n      Compress:\n", "yaml"));
    expect(result.config.http?.middlewares?.m?.compress).toEqual({ minResponseBodyBytes: 5 });
  });
});

describe("case variants that are errors", () => {
  it.each([
    ["helthcheck", "http.services.s.loadBalancer.helthcheck", 'unknown key "helthcheck" (did you mean "healthCheck"?)'],
    ["HealthChek", "http.services.s.loadBalancer.HealthChek", 'unknown key "HealthChek" (did you mean "healthCheck"?)'],
  ])("keeps %s an unknown key with a hint", (key, path, message) => {
    const result = rejected(validateConfig({ http: { services: { s: { loadBalancer: { ...server, [key]: {} } } } } }));
    expect(result.errors).toEqual([{ path, message, severity: "error" }]);
  });

  it("keeps a __proto__ key an unknown key", () => {
    const result = rejected(loadConfig('{"http": {"routers": {"r": {"rule": "Path(`/`)", "service": "s", "__proto__": {"x": 1}}}}}', "json"));
    expect(paths(result.errors)).toContain("http.routers.r.__proto__");
  });
});

describe("canonicalCase copies only what it renames", () => {
  it("returns a canonical value as it is, and copies the maps on the way to a renamed key", async () => {
    const { canonicalCase } = await import("../../../worker/config/keys.ts");
    const { IssueList } = await import("../../../worker/config/issues.ts");
    const { serviceSchema } = await import("../../../worker/schema/services.ts");
    const canonical = { loadBalancer: { servers: [{ url: "http://a/" }], healthCheck: { path: "/h" } } };
    const issues = new IssueList();
    expect(canonicalCase(canonical, serviceSchema, ["s"], issues)).toBe(canonical);
    const variant = { loadBalancer: { servers: [{ url: "http://a/" }], healthcheck: { path: "/h" } } };
    const renamed = canonicalCase(variant, serviceSchema, ["s"], issues) as typeof canonical;
    expect(renamed).not.toBe(variant);
    expect(renamed).toEqual(canonical);
    // Untouched branches are shared, not copied; the input is left as written.
    expect(renamed.loadBalancer.servers).toBe(variant.loadBalancer.servers);
    expect(Object.keys(variant.loadBalancer)).toContain("healthcheck");
    expect(issues.warnings).toHaveLength(1);
  });
});
