// bench:proxy's configs must be what Switchyard accepts without a warning, and its requests must
// name routers of that config: otherwise the bench would time 404s or a config the store refuses.
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../../worker/config/index.ts";
import { benchConfig, benchRequests, CHAIN } from "../../../bench/proxy-config.ts";

describe("bench:proxy configs", () => {
  for (const size of [10, 1_000]) {
    it(`${size} routers: valid, no warnings, every router on the three-middleware chain and the one upstream`, () => {
      const config = benchConfig(size, "http://127.0.0.1:9", "stamp") as {
        http: { routers: Record<string, { middlewares: string[]; service: string }>; services: Record<string, { loadBalancer: { servers: { url: string }[] } }> };
      };
      const result = validateConfig(config);
      expect(result.ok ? [] : result.errors).toEqual([]);
      expect(result.ok && result.warnings).toEqual([]);
      const routers = Object.values(config.http.routers);
      expect(routers).toHaveLength(size);
      expect(routers.every((r) => r.middlewares.join() === CHAIN.join())).toBe(true);
      const urls = new Set(Object.values(config.http.services).flatMap((s) => s.loadBalancer.servers.map((x) => x.url)));
      expect([...urls]).toEqual(["http://127.0.0.1:9"]);
    });
  }

  it("requests hit routers of the config, carry their own Host, and are the same on every call", () => {
    const config = benchConfig(1_000, "http://127.0.0.1:9", "s") as { http: { routers: Record<string, unknown> } };
    const requests = benchRequests(1_000);
    expect(requests.length).toBe(256);
    expect(requests.every((r) => r.router in config.http.routers)).toBe(true);
    expect(requests.every((r) => r.wire.toString("latin1").includes(`\r\nhost: ${new URL(r.url).host}\r\n`))).toBe(true);
    expect(benchRequests(1_000).map((r) => r.wire.toString())).toEqual(requests.map((r) => r.wire.toString()));
  });
});
