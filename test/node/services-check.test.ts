// Service configs checked in Node, as the CLI and the config store check them: every service type
// builds without workerd (pools make no I/O until a request), and what Switchyard cannot do is
// refused at the field's path.
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";
import { apiInternalServices } from "../../worker/api/internal.ts";
import { checkConfig } from "../../worker/compile/check.ts";
import { validateConfig } from "../../worker/config/index.ts";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function check(config: unknown) {
  const valid = validateConfig(config);
  if (!valid.ok) return { ok: false as const, errors: valid.errors };
  return checkConfig(valid.config, { internal: apiInternalServices });
}

const lb = (url: string, extra: Record<string, unknown> = {}) => ({ loadBalancer: { servers: [{ url }], ...extra } });
const hc = { healthCheck: { path: "/health" } };

const everything = {
  http: {
    routers: { r: { rule: "PathPrefix(`/`)", service: "root" } },
    services: {
      root: { weighted: { healthCheck: {}, sticky: { cookie: {} }, services: [{ name: "mirror", weight: 2 }, { name: "fo", weight: 1 }, { name: "hrw" }] } },
      mirror: { mirroring: { healthCheck: {}, service: "p2c", mirrorBody: false, maxBodySize: 1024, mirrors: [{ name: "lt", percent: 10 }] } },
      fo: { failover: { healthCheck: {}, service: "p2c", fallback: "binding", errors: { status: ["500-504"], maxRequestBodyBytes: 1048576 } } },
      hrw: { highestRandomWeight: { healthCheck: {}, services: [{ name: "p2c" }, { name: "binding" }] } },
      p2c: lb("http://a.example", { strategy: "p2c", ...hc, sticky: { cookie: { name: "s", secure: true, httpOnly: true, sameSite: "lax", maxAge: 60, domain: "example.com" } }, serversTransport: "t" }),
      lt: lb("http://b.example", { strategy: "leasttime", passHostHeader: false, responseForwarding: { flushInterval: "1s" } }),
      binding: lb("binding://AUTH", { strategy: "hrw", passiveHealthCheck: { failureWindow: "5s", maxFailedAttempts: 3 } }),
    },
    serversTransports: { t: { forwardingTimeouts: { responseHeaderTimeout: "5s", overallTimeout: "30s", dialTimeout: "1s" }, cf: { cacheTtl: 60 } } },
  },
};

describe("service configs in Node", () => {
  it("builds every service type, strategy and field", () => {
    expect(check(everything)).toMatchObject({ ok: true });
  });

  it("refuses what Switchyard cannot do, at the field's path", () => {
    const refused = (services: Record<string, unknown>) => {
      const middlewares = { m: { addPrefix: { prefix: "/x" } } };
      const result = check({ http: { routers: { r: { rule: "PathPrefix(`/`)", service: "svc" } }, services, middlewares } });
      return result.ok ? [] : result.errors.map((e) => e.path);
    };
    expect(refused({ svc: lb("http://a.example", { healthCheck: { path: "/", mode: "grpc" } }) })).toContain("http.services.svc.loadBalancer.healthCheck.mode");
    // Service middlewares (Traefik v3.7) are built now (test/worker/compile/service-middlewares.test.ts).
    expect(refused({ svc: { ...lb("http://a.example"), middlewares: ["m"] } })).toEqual([]);
    expect(refused({ svc: { failover: { service: "a", fallback: "b" } }, a: lb("http://a.example"), b: lb("http://b.example") })).toContain("http.services.svc.failover.service");
    expect(refused({ svc: { mirroring: { healthCheck: {}, service: "a" } }, a: lb("http://a.example") })).toContain("http.services.svc.mirroring.service");
  });

  it("switchyard validate accepts the full config and names a refused field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-services-"));
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify(everything));
    const out: string[] = [];
    expect(await main(["validate", good], { out: (l) => out.push(l), err: (l) => out.push(l) })).toBe(0);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ http: { routers: { r: { rule: "PathPrefix(`/`)", service: "svc" } }, services: { svc: lb("http://a.example", { healthCheck: { mode: "grpc" } }) } } }));
    const err: string[] = [];
    expect(await main(["validate", bad], { out: () => undefined, err: (l) => err.push(l) })).toBe(1);
    expect(err.join("\n")).toMatch(/http\.services\.svc\.loadBalancer\.healthCheck\.mode: gRPC health checks are not available/);
  });
  it("switchyard validate checks @internal services as the Worker provides them: api@internal yes, dashboard@internal no", async () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-internal-"));
    const file = (service: string) => {
      const path = join(dir, `${service.split("@")[0]}.json`);
      writeFileSync(path, JSON.stringify({ http: { routers: { dash: { rule: "Host(`traefik.test`)", service } } } }));
      return path;
    };
    expect(await main(["validate", file("api@internal")], { out: () => undefined, err: () => undefined })).toBe(0);
    const err: string[] = [];
    expect(await main(["validate", file("dashboard@internal")], { out: () => undefined, err: (l) => err.push(l) })).toBe(1);
    expect(err.join("\n")).toMatch(/http\.routers\.dash\.service: dashboard@internal is not available: Switchyard has no dashboard UI/);
  });
});
