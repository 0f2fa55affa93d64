import { describe, expect, it } from "vitest";
import { loadConfig, validateConfig, type ConfigIssue } from "../../../worker/config/index.ts";

// A realistic Traefik v3 dynamic configuration, as a user would paste it.
const FULL = `
http:
  routers:
    dashboard:
      rule: Host(\`traefik.example.com\`) && (PathPrefix(\`/api\`) || PathPrefix(\`/dashboard\`))
      service: api@internal
      middlewares: [admin-auth@file]
    api:
      rule: Host(\`api.example.com\`) && PathPrefix(\`/v1\`)
      ruleSyntax: v3
      priority: 100
      service: api-split
      middlewares: [secured, strip-v1, limit]
    web:
      rule: Host(\`www.example.com\`)
      service: web-failover@switchyard
      middlewares: [compress, errors-pages]
    legacy:
      rule: Path(\`/old\`)
      service: noop@internal
      middlewares: [to-new]
    shadow:
      rule: Host(\`shadow.example.com\`)
      service: mirror@kv
  services:
    api-v1:
      loadBalancer:
        servers:
          - url: http://10.0.0.1:8080
            weight: 3
          - url: https://api-1.internal.example.com
            weight: 1
            preservePath: true
        strategy: p2c
        sticky:
          cookie:
            name: api_affinity
            secure: true
            httpOnly: true
            sameSite: lax
            maxAge: 3600
        healthCheck:
          path: /health
          interval: 10s
          timeout: 3s
          status: 200
          headers:
            X-Probe: switchyard
        passiveHealthCheck:
          failureWindow: 30s
          maxFailedAttempts: 3
        passHostHeader: false
        responseForwarding:
          flushInterval: 100ms
        serversTransport: slow-backend
    api-v2:
      loadBalancer:
        servers:
          - url: binding://API_V2
    api-split:
      weighted:
        services:
          - name: api-v1
            weight: 9
          - name: api-v2@file
            weight: 1
        sticky:
          cookie: {}
        healthCheck: {}
    web-main:
      loadBalancer:
        servers: [{url: "https://origin.example.com"}]
    web-static:
      loadBalancer:
        servers: [{url: "https://static.example.com/site"}]
    web-failover:
      failover:
        service: web-main
        fallback: web-static
    mirror:
      mirroring:
        service: web-main
        mirrorBody: false
        maxBodySize: 1048576
        mirrors:
          - name: api-v2
            percent: 10
    pages:
      loadBalancer:
        servers: [{url: "https://errors.example.com"}]
    hashed:
      highestRandomWeight:
        services: [{name: web-main, weight: 2}, {name: web-static}]
  middlewares:
    admin-auth:
      basicAuth:
        users:
          - "admin:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/"
          - "ops:$2y$05$TTRG5Aq2yq5tRMLJ4NMVVeXk8tJF5Ti9Kw6vPVzv0x4rcYFxjUCaO"
        realm: admin
        removeHeader: true
    secured:
      chain:
        middlewares: [security-headers, only-office, sso]
    security-headers:
      headers:
        frameDeny: true
        contentTypeNosniff: true
        browserXssFilter: true
        stsSeconds: 31536000
        stsIncludeSubdomains: true
        stsPreload: true
        referrerPolicy: same-origin
        customRequestHeaders:
          X-Forwarded-Proto: https
          X-Remove-Me: ""
        customResponseHeaders:
          Server: ""
        accessControlAllowMethods: [GET, POST, OPTIONS]
        accessControlAllowOriginListRegex: ["^https://(.*\\\\.)?example\\\\.com$"]
        accessControlMaxAge: 100
        addVaryHeader: true
    only-office:
      ipAllowList:
        sourceRange: [10.0.0.0/8, 192.168.1.7, "2001:db8::/32"]
        ipStrategy:
          depth: 1
        rejectStatusCode: 404
    sso:
      forwardAuth:
        address: https://auth.example.com/verify
        trustForwardHeader: true
        authResponseHeaders: [X-User, X-Email]
        authResponseHeadersRegex: ^X-Auth-
        maxResponseBodySize: 4096
    strip-v1:
      stripPrefix:
        prefixes: [/v1]
    strip-re:
      stripPrefixRegex:
        regex: ["/users/[a-z0-9]+/"]
    limit:
      rateLimit:
        average: 100
        period: 1m
        burst: 50
        sourceCriterion:
          requestHeaderName: X-Api-Key
    concurrency:
      inFlightReq:
        amount: 10
        sourceCriterion:
          ipStrategy:
            excludedIPs: [127.0.0.1/32]
    compress:
      compress:
        excludedContentTypes: [text/event-stream]
        minResponseBodyBytes: 512
        encodings: [br, gzip]
    errors-pages:
      errors:
        status: ["500-599", "404"]
        service: pages
        query: "/{status}.html"
        statusRewrites:
          "502-504": 503
    to-new:
      redirectRegex:
        regex: ^https?://[^/]+/old(.*)
        replacement: https://new.example.com\${1}
        permanent: true
    https-only:
      redirectScheme:
        scheme: https
        port: 443
        permanent: true
    add-api:
      addPrefix:
        prefix: /api
    replace:
      replacePath:
        path: /v2/index
    replace-re:
      replacePathRegex:
        regex: ^/(?P<first>[a-z]+)/(.*)
        replacement: /$2/$1
    retry:
      retry:
        attempts: 3
        initialInterval: 100ms
    breaker:
      circuitBreaker:
        expression: NetworkErrorRatio() > 0.30 || ResponseCodeRatio(500, 600, 0, 600) > 0.25
        fallbackDuration: 30s
    buffer:
      buffering:
        maxRequestBodyBytes: 2000000
        retryExpression: IsNetworkError() && Attempts() < 2
    grpc:
      grpcWeb:
        allowOrigins: ["*"]
    sniff:
      contentType: {}
    digest:
      digestAuth:
        users: ["test:traefik:a2688e031edb4be6a3797f3882655c05"]
    encoded:
      encodedCharacters:
        allowEncodedSlash: true
  serversTransports:
    slow-backend:
      forwardingTimeouts:
        responseHeaderTimeout: 45s
`;

function paths(issues: readonly ConfigIssue[]): string[] {
  return issues.map((i) => i.path);
}

describe("validateConfig: a full realistic Traefik config", () => {
  const result = loadConfig(FULL, "yaml");

  it("validates without errors, warning only at the fields that cannot work on Workers", () => {
    if (!result.ok) expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    // br (workerd's CompressionStream has no Brotli), grpcWeb, flushInterval: nothing is accepted silently that cannot work.
    expect(paths(result.warnings)).toEqual([
      "http.middlewares.compress.compress.encodings[0]",
      "http.middlewares.grpc.grpcWeb",
      "http.services.api-v1.loadBalancer.responseForwarding.flushInterval",
    ]);
  });

  it("keeps every router, service, middleware and transport", () => {
    if (!result.ok) throw new Error("invalid");
    const http = result.config.http;
    expect(Object.keys(http?.routers ?? {})).toHaveLength(5);
    expect(Object.keys(http?.services ?? {})).toHaveLength(9);
    expect(Object.keys(http?.middlewares ?? {})).toHaveLength(23);
    expect(Object.keys(http?.serversTransports ?? {})).toEqual(["slow-backend"]);
  });

  it("fills in Traefik's defaults", () => {
    if (!result.ok) throw new Error("invalid");
    const services = result.config.http?.services ?? {};
    expect(services["web-main"]?.loadBalancer).toMatchObject({ strategy: "wrr" });
    // passHostHeader's default (true) is applied where the pool is built and in the API
    // representation (api/traefik-api.test.ts), so a stored config keeps only what was written.
    expect(services["web-main"]?.loadBalancer).not.toHaveProperty("passHostHeader");
    expect(services["api-v1"]?.loadBalancer?.passHostHeader).toBe(false);
    expect(services["api-v1"]?.loadBalancer?.healthCheck).toMatchObject({ mode: "http", followRedirects: true, interval: "10s" });
    expect(services.hashed?.highestRandomWeight?.services?.[1]).toEqual({ name: "web-static", weight: 1 });
    expect(services["api-split"]?.weighted?.sticky?.cookie?.path).toBe("/");
    const middlewares = result.config.http?.middlewares ?? {};
    expect(middlewares.limit?.rateLimit).toMatchObject({ period: "1m", burst: 50 });
    expect(middlewares.breaker?.circuitBreaker).toMatchObject({ checkPeriod: "100ms", recoveryDuration: "10s", responseCode: 503 });
    expect(middlewares["https-only"]?.redirectScheme?.port).toBe("443");
  });

  it("accepts an empty config and an empty http section", () => {
    for (const raw of [null, undefined, {}, { http: null }, { http: {} }, { http: { routers: null, services: {} } }]) {
      expect(validateConfig(raw)).toEqual({ ok: true, config: {}, warnings: [], rules: new Map() });
    }
  });
});

describe("validateConfig: warnings", () => {
  it("warns about entryPoints, router tls, observability and a top-level tls section", () => {
    const result = validateConfig({
      http: {
        routers: {
          r: { rule: "Path(`/`)", service: "s", entryPoints: ["websecure"], tls: { certResolver: "le" }, observability: { accessLogs: false } },
          empty: { rule: "Path(`/e`)", service: "s", tls: null },
        },
        services: { s: { loadBalancer: { servers: [{ url: "http://a" }] } } },
      },
      tls: { certificates: [{ certFile: "/c.pem", keyFile: "/k.pem" }] },
    });
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => [w.path, w.severity])).toEqual([
      ["tls", "warning"],
      ["http.routers.r.entryPoints", "warning"],
      ["http.routers.r.tls", "warning"],
      ["http.routers.r.observability", "warning"],
      ["http.routers.empty.tls", "warning"],
    ]);
    expect(result.warnings[0]?.message).toContain("Cloudflare terminates TLS");
    expect(result.warnings[1]?.message).toContain("one entry point");
  });

  it("warns about deprecated options and transport settings fetch() cannot honour", () => {
    const result = validateConfig({
      http: {
        middlewares: {
          old: { ipWhiteList: { sourceRange: ["10.0.0.0/8"] } },
          hdr: { headers: { sslRedirect: true } },
        },
        serversTransports: { t: { insecureSkipVerify: true, forwardingTimeouts: { dialTimeout: "5s", responseHeaderTimeout: "5s" } } },
      },
    });
    expect(result.ok).toBe(true);
    expect(paths(result.warnings)).toEqual([
      "http.middlewares.old.ipWhiteList",
      "http.middlewares.hdr.headers.sslRedirect",
      "http.serversTransports.t.insecureSkipVerify",
      "http.serversTransports.t.forwardingTimeouts",
    ]);
    expect(result.warnings[0]?.message).toContain("ipAllowList");
    expect(result.warnings[2]?.message).toContain("insecureSkipVerify");
  });
});

const svc = { loadBalancer: { servers: [{ url: "http://backend:8080" }] } };
const router = { rule: "Path(`/`)", service: "svc" };

function withHttp(http: Record<string, unknown>): unknown {
  return { http: { services: { svc }, ...http } };
}

// [name, raw config, expected path, a key part of the message]
const BAD: [string, unknown, string, string][] = [
  ["unknown router key", withHttp({ routers: { api: { rul: "Path(`/`)", rule: "Path(`/`)", service: "svc" } } }), "http.routers.api.rul", 'unknown key "rul" (did you mean "rule"?)'],
  ["unknown service key, typo in another case", withHttp({ services: { s: { loadbalancr: { servers: [] } } } }), "http.services.s.loadbalancr", 'did you mean "loadBalancer"?'],
  ["unknown top-level key", { htpp: {} }, "htpp", 'did you mean "http"?'],
  ["unknown middleware type", withHttp({ middlewares: { m: { stripprefx: { prefixes: ["/a"] } } } }), "http.middlewares.m.stripprefx", 'unknown middleware type "stripprefx" (did you mean "stripPrefix"?); valid types are addPrefix, apiKey, basicAuth'],
  ["missing rule", withHttp({ routers: { r: { service: "svc" } } }), "http.routers.r.rule", '"rule" is required'],
  ["missing service", withHttp({ routers: { r: { rule: "Path(`/`)", service: "nope" } } }), "http.routers.r.service", 'service "nope" does not exist'],
  ["service typo hint", withHttp({ routers: { r: { rule: "Path(`/`)", service: "svcc" } } }), "http.routers.r.service", 'did you mean "svc"?'],
  ["missing middleware", withHttp({ routers: { r: { ...router, middlewares: ["auth"] } } }), "http.routers.r.middlewares[0]", 'middleware "auth" does not exist'],
  ["missing chain member", withHttp({ middlewares: { c: { chain: { middlewares: ["ghost"] } } } }), "http.middlewares.c.chain.middlewares[0]", 'middleware "ghost" does not exist'],
  ["missing weighted member", withHttp({ services: { svc, w: { weighted: { services: [{ name: "svc" }, { name: "gone" }] } } } }), "http.services.w.weighted.services[1].name", 'service "gone" does not exist'],
  ["missing failover fallback", withHttp({ services: { svc, f: { failover: { service: "svc", fallback: "nope" } } } }), "http.services.f.failover.fallback", 'service "nope" does not exist'],
  ["missing mirror", withHttp({ services: { svc, m: { mirroring: { service: "svc", mirrors: [{ name: "x", percent: 5 }] } } } }), "http.services.m.mirroring.mirrors[0].name", 'service "x" does not exist'],
  ["missing transport", withHttp({ services: { svc: { loadBalancer: { servers: [], serversTransport: "tls" } } } }), "http.services.svc.loadBalancer.serversTransport", 'serversTransport "tls" does not exist'],
  ["errors page service", withHttp({ middlewares: { e: { errors: { status: ["500"], service: "pages" } } } }), "http.middlewares.e.errors.service", 'service "pages" does not exist'],
  ["@docker provider", withHttp({ routers: { r: { rule: "Path(`/`)", service: "svc@docker" } } }), "http.routers.r.service", 'provider "docker" is not available in Switchyard'],
  ["@kubernetescrd middleware", withHttp({ routers: { r: { ...router, middlewares: ["auth@kubernetescrd"] } } }), "http.routers.r.middlewares[0]", 'provider "kubernetescrd" is not available in Switchyard'],
  ["unknown @internal service", withHttp({ routers: { r: { rule: "Path(`/`)", service: "ping@internal" } } }), "http.routers.r.service", '"ping@internal" is not a built-in service'],
  ["@internal outside a router", withHttp({ services: { svc, w: { weighted: { services: [{ name: "api@internal" }] } } } }), "http.services.w.weighted.services[0].name", "can only be used as a router's service"],
  ["@internal middleware", withHttp({ routers: { r: { ...router, middlewares: ["stripprefix@internal"] } } }), "http.routers.r.middlewares[0]", "@internal is reserved for the built-in services"],
  ["@ in a defined name", withHttp({ routers: { "r@file": router } }), 'http.routers["r@file"]', 'must not contain "@"'],
  ["two service types", withHttp({ services: { s: { loadBalancer: { servers: [] }, weighted: { services: [] } } } }), "http.services.s", "exactly one type, this one has loadBalancer and weighted"],
  ["no service type", withHttp({ services: { s: {} } }), "http.services.s", "a service needs a type"],
  ["two middleware types", withHttp({ middlewares: { m: { addPrefix: { prefix: "/a" }, stripPrefix: { prefixes: ["/a"] } } } }), "http.middlewares.m", "exactly one type"],
  ["chain cycle", withHttp({ middlewares: { a: { chain: { middlewares: ["b"] } }, b: { chain: { middlewares: ["c@file"] } }, c: { chain: { middlewares: ["a"] } } } }), "http.middlewares.a.chain.middlewares", "chain cycle: a -> b -> c -> a"],
  ["chain including itself", withHttp({ middlewares: { self: { chain: { middlewares: ["self"] } } } }), "http.middlewares.self.chain.middlewares", "chain cycle: self -> self"],
  ["weighted cycle", withHttp({ services: { w1: { weighted: { services: [{ name: "w2" }] } }, w2: { failover: { service: "svc", fallback: "w1" } }, svc } }), "http.services.w1", "service cycle: w1 -> w2 -> w1"],
  ["relative server URL", withHttp({ services: { s: { loadBalancer: { servers: [{ url: "backend:8080" }] } } } }), "http.services.s.loadBalancer.servers[0].url", "is not an absolute URL"],
  ["h2c server URL", withHttp({ services: { s: { loadBalancer: { servers: [{ url: "h2c://grpc:50051" }] } } } }), "http.services.s.loadBalancer.servers[0].url", 'unsupported scheme "h2c"'],
  ["bad binding URL", withHttp({ services: { s: { loadBalancer: { servers: [{ url: "binding://my-api" }] } } } }), "http.services.s.loadBalancer.servers[0].url", "binding://NAME"],
  ["bad duration", withHttp({ services: { s: { loadBalancer: { servers: [], healthCheck: { interval: "10 seconds" } } } } }), "http.services.s.loadBalancer.healthCheck.interval", 'invalid duration "10 seconds"'],
  ["fractional seconds", withHttp({ middlewares: { r: { retry: { attempts: 2, initialInterval: 1.5 } } } }), "http.middlewares.r.retry.initialInterval", 'write "1.5s"'],
  ["bad regex", withHttp({ middlewares: { r: { replacePathRegex: { regex: "^/(a", replacement: "/" } } } }), "http.middlewares.r.replacePathRegex.regex", "invalid regular expression"],
  ["bad regex in a list", withHttp({ middlewares: { r: { stripPrefixRegex: { regex: ["/ok", "/bad[" ] } } } }), "http.middlewares.r.stripPrefixRegex.regex[1]", "invalid regular expression"],
  ["bad CIDR", withHttp({ middlewares: { ip: { ipAllowList: { sourceRange: ["10.0.0.0/8", "10.0.0.0/33"] } } } }), "http.middlewares.ip.ipAllowList.sourceRange[1]", "is not an IP address or CIDR range"],
  ["bad excluded IP", withHttp({ middlewares: { rl: { rateLimit: { average: 1, sourceCriterion: { ipStrategy: { excludedIPs: ["localhost"] } } } } } }), "http.middlewares.rl.rateLimit.sourceCriterion.ipStrategy.excludedIPs[0]", "is not an IP address"],
  ["basicAuth user without hash", withHttp({ middlewares: { a: { basicAuth: { users: ["admin:$apr1$x$y", "bob"] } } } }), "http.middlewares.a.basicAuth.users[1]", '"user:hash"'],
  ["digestAuth user format", withHttp({ middlewares: { a: { digestAuth: { users: ["bob:secret"] } } } }), "http.middlewares.a.digestAuth.users[0]", '"user:realm:md5hash"'],
  ["redirectScheme scheme", withHttp({ middlewares: { r: { redirectScheme: { scheme: "ht tp" } } } }), "http.middlewares.r.redirectScheme.scheme", "not a URL scheme"],
  ["redirectScheme port", withHttp({ middlewares: { r: { redirectScheme: { scheme: "https", port: 70000 } } } }), "http.middlewares.r.redirectScheme.port", "is not a port"],
  ["mirror percent", withHttp({ services: { svc, m: { mirroring: { service: "svc", mirrors: [{ name: "svc", percent: 150 }] } } } }), "http.services.m.mirroring.mirrors[0].percent", "must be ≤ 100"],
  ["errors status range", withHttp({ services: { svc }, middlewares: { e: { errors: { status: ["500-499"], service: "svc" } } } }), "http.middlewares.e.errors.status[0]", "is not a status code or range"],
  ["negative priority", withHttp({ routers: { r: { ...router, priority: -1 } } }), "http.routers.r.priority", "must be ≥ 0"],
  // A string is a list here (Traefik's comma-separated form, test/unit/config/list-strings.test.ts); a map is not.
  ["wrong type", withHttp({ routers: { r: { ...router, middlewares: { auth: true } } } }), "http.routers.r.middlewares", "expected a list, got a map"],
  ["bad v2 rule", withHttp({ routers: { r: { ...router, ruleSyntax: "v2", rule: "HostRegexp(`{sub`)" } } }), "http.routers.r.rule", 'invalid rule (ruleSyntax v2) at position 11: invalid HostRegexp template "{sub" at 11: mux: unbalanced braces'],
  ["v3 matcher in a v2 rule", withHttp({ routers: { r: { ...router, ruleSyntax: "v2", rule: "PathRegexp(`^/a`)" } } }), "http.routers.r.rule", 'unknown matcher "PathRegexp"'],
  ["ruleSyntax other", withHttp({ routers: { r: { ...router, ruleSyntax: "v4" } } }), "http.routers.r.ruleSyntax", 'unknown ruleSyntax "v4": expected "v3" or "v2"'],
  ["plugin", withHttp({ middlewares: { p: { plugin: { geoblock: { allowed: ["FR"] } } } } }), "http.middlewares.p.plugin", "plugins are not supported on Workers"],
  ["basicAuth usersFile", withHttp({ middlewares: { a: { basicAuth: { usersFile: "/etc/traefik/users" } } } }), "http.middlewares.a.basicAuth.usersFile", "no filesystem on Workers; inline the users"],
  ["digestAuth usersFile", withHttp({ middlewares: { a: { digestAuth: { usersFile: "/etc/traefik/users" } } } }), "http.middlewares.a.digestAuth.usersFile", "no filesystem on Workers"],
  ["tcp section", { tcp: { routers: {} } }, "tcp", "not supported on Workers (HTTP only)"],
  ["udp section", { udp: {} }, "udp", "not supported on Workers (HTTP only)"],
  ["two source criteria", withHttp({ middlewares: { l: { inFlightReq: { amount: 1, sourceCriterion: { requestHost: true, requestHeaderName: "X" } } } } }), "http.middlewares.l.inFlightReq.sourceCriterion", "one strategy"],
  ["compress include and exclude", withHttp({ middlewares: { c: { compress: { includedContentTypes: ["a/b"], excludedContentTypes: ["c/d"] } } } }), "http.middlewares.c.compress", "cannot be used together"],
  ["quoted key in path", withHttp({ routers: { "my.router": { ...router, service: "x" } } }), 'http.routers["my.router"].service', 'service "x" does not exist'],
  ["not a map", ["http"], "", "a dynamic configuration is a map"],
];

describe("validateConfig: bad inputs", () => {
  it.each(BAD)("%s", (_name, raw, path, message) => {
    const result = validateConfig(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const found = result.errors.filter((e) => e.path === path);
    expect(found.map((e) => e.message), `errors: ${JSON.stringify(result.errors)}`).toEqual(
      expect.arrayContaining([expect.stringContaining(message)]),
    );
    expect(found.every((e) => e.severity === "error")).toBe(true);
  });

  it("collects every error instead of stopping at the first", () => {
    const result = validateConfig({
      http: {
        routers: {
          a: { rule: "Path(`/a`)", service: "missing-a" },
          b: { rule: "Path(`/b`)", service: "svc", middlewares: ["missing-m"] },
          c: { rul: "Path(`/c`)", service: "svc" },
        },
        services: {
          svc: { loadBalancer: { servers: [{ url: "nope" }] } },
          two: { loadBalancer: { servers: [] }, mirroring: { service: "svc" } },
        },
        middlewares: { re: { redirectRegex: { regex: "(", replacement: "/" } } },
      },
      tcp: {},
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(paths(result.errors).sort()).toEqual(
      [
        "tcp",
        "http.routers.a.service",
        "http.routers.b.middlewares[0]",
        "http.routers.c.rul",
        "http.routers.c.rule",
        "http.services.svc.loadBalancer.servers[0].url",
        "http.services.two",
        "http.middlewares.re.redirectRegex.regex",
      ].sort(),
    );
  });

  it("reports a bad entity as itself and does not blame what references it", () => {
    const result = validateConfig(withHttp({
      routers: { r: { ...router, middlewares: ["broken"] } },
      middlewares: { broken: { headers: { frameDenyy: true } } },
    }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { path: "http.middlewares.broken.headers.frameDenyy", message: 'unknown key "frameDenyy" (did you mean "frameDeny"?)', severity: "error" },
    ]);
  });

  it("loadConfig reports parse errors as errors", () => {
    const result = loadConfig("http:\n  routers: [\n", "yaml");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.path).toBe("");
    expect(result.errors[0]?.message).toMatch(/^YAML syntax error at line \d+/);
  });
});

describe("validateConfig: scalars written as text", () => {
  it("reads quoted numbers and booleans as Traefik does", () => {
    const result = validateConfig({
      http: {
        routers: { r: { rule: "Path(`/`)", service: "s", priority: "5" } },
        services: { s: { loadBalancer: { passHostHeader: "false", servers: [{ url: "http://a", weight: "2" }] } } },
      },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.http?.routers?.r?.priority).toBe(5);
    expect(result.config.http?.services?.s?.loadBalancer).toMatchObject({ passHostHeader: false, servers: [{ weight: 2 }] });
  });
});

describe("validateConfig: rules", () => {
  it("reports a rule that does not compile at the rule, with its position", () => {
    const result = validateConfig(withHttp({
      routers: { good: router, bad: { rule: "Host(`a.example.com`) && Hots(`b`)", service: "svc" } },
    }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ path: "http.routers.bad.rule", severity: "error" });
    expect(result.errors[0]?.message).toMatch(/^invalid rule at position \d+: /);
  });
});

describe("rules compiled once per config load", () => {
  it("hands the rules validation compiled to the snapshot compiler, which routes with those very objects", async () => {
    const { compileSnapshot } = await import("../../../worker/compile/snapshot.ts");
    const { viewFromDescription } = await import("../../../worker/rules/index.ts");
    const config = {
      http: {
        routers: {
          a: { rule: "Host(`a.example.com`) && PathPrefix(`/x`)", service: "s" },
          b: { rule: "Host(`b.example.com`)", service: "s" },
          twin: { rule: "Host(`b.example.com`)", service: "s", priority: 1 },
        },
        services: { s: { loadBalancer: { servers: [{ url: "http://127.0.0.1:9/" }] } } },
      },
    };
    const valid = validateConfig(config);
    if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
    // One entry per distinct rule text.
    expect([...valid.rules.keys()].sort()).toEqual(["Host(`a.example.com`) && PathPrefix(`/x`)", "Host(`b.example.com`)"]);
    const meta = { version: 1, sha256: "", source: "test", provider: "file", warnings: [] };
    const view = viewFromDescription({ method: "GET", url: "http://a.example.com/x/y" });
    const reused = compileSnapshot(valid.config, meta, null, valid.rules);
    const fresh = compileSnapshot(valid.config, meta, null);
    if (!reused.ok || !fresh.ok) throw new Error("compile failed");
    const want = valid.rules.get("Host(`a.example.com`) && PathPrefix(`/x`)");
    expect(reused.snapshot.muxer.match(view)?.rule).toBe(want);
    // Without them the rule is compiled again: an equal rule, another object.
    expect(fresh.snapshot.muxer.match(view)?.rule).not.toBe(want);
    expect(fresh.snapshot.muxer.match(view)?.name).toBe("a");
  });
});
