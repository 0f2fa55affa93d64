// Fields Traefik honours that have no effect on Workers: each is accepted with a warning at its own
// path saying why (nothing is accepted silently that cannot work). The whole reference file:
// traefik-reference.test.ts.
import { describe, expect, it } from "vitest";
import { canonicalJSON, validateConfig } from "../../../worker/config/index.ts";

const router = { rule: "PathPrefix(`/`)", service: "s" };
const lb = (extra: Record<string, unknown> = {}, url = "http://backend.test") => ({ loadBalancer: { servers: [{ url }], ...extra } });

function warnings(http: Record<string, unknown>): string[] {
  const valid = validateConfig({ http: { routers: { r: router }, services: { s: lb() }, ...http } });
  if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
  return valid.warnings.map((w) => w.path);
}

describe("no-effect fields warn at their path", () => {
  it.each([
    ["responseForwarding.flushInterval", { services: { s: lb({ responseForwarding: { flushInterval: "1s" } }) } }, "http.services.s.loadBalancer.responseForwarding.flushInterval"],
    ["responseForwarding alone (its flushInterval defaults to 100ms)", { services: { s: lb({ responseForwarding: {} }) } }, "http.services.s.loadBalancer.responseForwarding.flushInterval"],
    ["a grpcWeb middleware no router uses", { middlewares: { g: { grpcWeb: { allowOrigins: ["*"] } } } }, "http.middlewares.g.grpcWeb"],
    ["serversTransports cipherSuites", { serversTransports: { t: { cipherSuites: ["TLS_AES_128_GCM_SHA256"] } } }, "http.serversTransports.t.cipherSuites"],
    ["serversTransports minVersion", { serversTransports: { t: { minVersion: "VersionTLS12" } } }, "http.serversTransports.t.minVersion"],
    ["serversTransports maxVersion", { serversTransports: { t: { maxVersion: "VersionTLS13" } } }, "http.serversTransports.t.maxVersion"],
    ["serversTransports insecureSkipVerify", { serversTransports: { t: { insecureSkipVerify: true } } }, "http.serversTransports.t.insecureSkipVerify"],
    ["serversTransports disableHTTP2", { serversTransports: { t: { disableHTTP2: true } } }, "http.serversTransports.t.disableHTTP2"],
    ["compress encodings br among gzip", { middlewares: { c: { compress: { encodings: ["br", "gzip"] } } } }, "http.middlewares.c.compress.encodings[0]"],
  ])("%s", (_what, http, path) => {
    expect(warnings(http)).toEqual([path]);
  });

  it("the same warnings for a config read back from its canonical form (the store writes every default)", async () => {
    const { canonicalJSON } = await import("../../../worker/config/index.ts");
    const http = { services: { s: lb({ responseForwarding: {} }) }, middlewares: { g: { grpcWeb: {} } } };
    const first = validateConfig({ http: { routers: { r: router }, ...http } });
    if (!first.ok) throw new Error("invalid");
    const again = validateConfig(JSON.parse(canonicalJSON(first.config)));
    expect(again.warnings).toEqual(first.warnings);
  });

  it("passHostHeader: true written on an http(s):// server is warned at its path; omitted (Traefik's default), false, or on a binding:// server it is not", () => {
    expect(warnings({ services: { s: lb({ passHostHeader: true }) } })).toEqual(["http.services.s.loadBalancer.passHostHeader"]);
    expect(warnings({ services: { s: lb() } })).toEqual([]);
    expect(warnings({ services: { s: lb({ passHostHeader: false }) } })).toEqual([]);
    expect(warnings({ services: { s: { loadBalancer: { passHostHeader: true, servers: [{ url: "binding://ECHO" }] } } } })).toEqual([]);
  });

  it("passHostHeader's warning survives the store's round trip, and its absence too (no default is written)", () => {
    for (const service of [lb({ passHostHeader: true }), lb()] as { loadBalancer: { passHostHeader?: boolean } }[]) {
      const first = validateConfig({ http: { routers: { r: router }, services: { s: service } } });
      if (!first.ok) throw new Error("invalid");
      expect(JSON.parse(canonicalJSON(first.config)).http.services.s.loadBalancer.passHostHeader).toBe(service.loadBalancer.passHostHeader);
      expect(validateConfig(JSON.parse(canonicalJSON(first.config))).warnings).toEqual(first.warnings);
    }
  });

  it("a grpcWeb middleware a router uses is still refused when the snapshot is built (the warning says so)", () => {
    const valid = validateConfig({ http: { routers: { r: router }, services: { s: lb() }, middlewares: { g: { grpcWeb: {} } } } });
    expect(valid.ok && valid.warnings[0]!.message).toMatch(/a router or service that uses this middleware is refused/);
  });
});
