import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../../providers/store/hash.ts";
import { canonicalJSON, loadConfig } from "../../../worker/config/index.ts";

const YAML = `
# The same configuration three times: YAML, TOML, JSON.
http:
  routers:
    api:
      rule: "Host(\`api.example.com\`) && PathPrefix(\`/v1\`)"
      service: api
      middlewares: [auth, strip]
      priority: 10
  services:
    api:
      loadBalancer:
        servers:
          - url: "http://10.0.0.1:8080"
            weight: 2
          - url: "http://10.0.0.2:8080"
        healthCheck:
          path: /health
          interval: 10s
        serversTransport: slow
    split:
      weighted:
        services:
          - name: api
            weight: 3
  middlewares:
    auth:
      basicAuth:
        users: ["admin:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/"]
    strip:
      stripPrefix:
        prefixes: ["/v1"]
    cors:
      headers:
        accessControlAllowMethods: [GET, OPTIONS]
        customResponseHeaders:
          X-Frame-Options: DENY
  serversTransports:
    slow:
      forwardingTimeouts:
        responseHeaderTimeout: 30s
`;

const TOML = `
# The same configuration three times: YAML, TOML, JSON.
[http.routers.api]
rule = "Host(\`api.example.com\`) && PathPrefix(\`/v1\`)"
service = "api"
middlewares = ["auth", "strip"]
priority = 10

[http.services.api.loadBalancer]
serversTransport = "slow"

[[http.services.api.loadBalancer.servers]]
url = "http://10.0.0.1:8080"
weight = 2

[[http.services.api.loadBalancer.servers]]
url = "http://10.0.0.2:8080"

[http.services.api.loadBalancer.healthCheck]
path = "/health"
interval = "10s"

[[http.services.split.weighted.services]]
name = "api"
weight = 3

[http.middlewares.auth.basicAuth]
users = ["admin:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/"]

[http.middlewares.strip.stripPrefix]
prefixes = ["/v1"]

[http.middlewares.cors.headers]
accessControlAllowMethods = ["GET", "OPTIONS"]

[http.middlewares.cors.headers.customResponseHeaders]
X-Frame-Options = "DENY"

[http.serversTransports.slow.forwardingTimeouts]
responseHeaderTimeout = "30s"
`;

const JSON_TEXT = JSON.stringify({
  http: {
    serversTransports: { slow: { forwardingTimeouts: { responseHeaderTimeout: "30s" } } },
    middlewares: {
      cors: { headers: { customResponseHeaders: { "X-Frame-Options": "DENY" }, accessControlAllowMethods: ["GET", "OPTIONS"] } },
      strip: { stripPrefix: { prefixes: ["/v1"] } },
      auth: { basicAuth: { users: ["admin:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/"] } },
    },
    services: {
      split: { weighted: { services: [{ weight: 3, name: "api" }] } },
      api: {
        loadBalancer: {
          serversTransport: "slow",
          healthCheck: { interval: "10s", path: "/health" },
          servers: [{ weight: 2, url: "http://10.0.0.1:8080" }, { url: "http://10.0.0.2:8080" }],
        },
      },
    },
    routers: {
      api: { priority: 10, middlewares: ["auth", "strip"], service: "api", rule: "Host(`api.example.com`) && PathPrefix(`/v1`)" },
    },
  },
}, null, 2);

describe("canonicalJSON", () => {
  it("gives the same bytes and hash for the same config in YAML, TOML and JSON", async () => {
    const texts = [YAML, TOML, JSON_TEXT];
    const canon = texts.map((text, i) => {
      const result = loadConfig(text, i === 0 ? "yaml" : "auto");
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return canonicalJSON(result.config);
    });
    expect(canon[1]).toBe(canon[0]);
    expect(canon[2]).toBe(canon[0]);
    const hashes = await Promise.all(canon.map(sha256Hex));
    expect(new Set(hashes).size).toBe(1);
    expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("sorts keys recursively, drops undefined and has no whitespace", () => {
    const value = { b: 1, a: { d: [3, { z: 1, y: undefined, x: "s p" }], c: null }, e: undefined };
    expect(canonicalJSON(value)).toBe('{"a":{"c":null,"d":[3,{"x":"s p","z":1}]},"b":1}');
    expect(canonicalJSON([undefined, "x"])).toBe('[null,"x"]');
    expect(canonicalJSON({ "é": 1, "a b": 2, A: 3 })).toBe('{"A":3,"a b":2,"é":1}');
  });

  it("differs when the config differs", () => {
    const a = loadConfig(YAML, "yaml");
    const b = loadConfig(YAML.replace("weight: 3", "weight: 4"), "yaml");
    if (!a.ok || !b.ok) throw new Error("invalid");
    expect(canonicalJSON(a.config)).not.toBe(canonicalJSON(b.config));
  });
});

describe("sha256Hex", () => {
  it("matches the standard test vectors", async () => {
    expect(await sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(await sha256Hex("é")).toBe(await sha256Hex("\u00e9"));
  });
});
