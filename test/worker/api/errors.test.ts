// `errors: [{path, message}]` in the Traefik API, next to Traefik's `error: [message]`: the
// warnings of a loaded config on routers, services and middlewares at their JSON paths, and a
// snapshot from load facts whose router cannot be built (its service is missing) shown disabled,
// at http.routers.<r>.service, once a request has reached it.
import { describe, expect, it } from "vitest";
import { traefikApi } from "../../../worker/api/traefik-api.ts";
import { apiInternalServices } from "../../../worker/api/internal.ts";
import { checkConfig } from "../../../worker/compile/check.ts";
import { factsOf, trustFacts } from "../../../worker/compile/facts.ts";
import { compileSnapshot, snapshotFromFacts, type Snapshot } from "../../../worker/compile/snapshot.ts";
import { validateConfig, type DynamicConfig } from "../../../worker/config/index.ts";
import { viewFromDescription } from "../../../worker/rules/index.ts";

const config = {
  http: {
    routers: {
      web: { rule: "Host(`web.test`)", service: "web", entryPoints: ["websecure"], middlewares: ["old"] },
      "odd name": { rule: "Host(`odd.test`)", service: "web", tls: {} },
      clean: { rule: "Host(`clean.test`)", service: "web" },
    },
    middlewares: { old: { ipWhiteList: { sourceRange: ["10.0.0.0/8"] } } },
    services: { web: { loadBalancer: { servers: [{ url: "http://10.0.0.1" }], responseForwarding: { flushInterval: "1ms" } } } },
  },
};

function loaded(c: unknown): { snapshot: Snapshot; valid: Extract<ReturnType<typeof validateConfig>, { ok: true }> } {
  const valid = validateConfig(c);
  if (!valid.ok) throw new Error(valid.errors[0]!.message);
  const meta = { version: 1, sha256: "c0ffee", source: "test", provider: "kv", warnings: valid.warnings };
  const compiled = compileSnapshot(valid.config, meta, null, valid.rules, apiInternalServices);
  if (!compiled.ok) throw new Error(compiled.errors[0]!.message);
  return { snapshot: compiled.snapshot, valid };
}

async function read(snapshot: Snapshot, path: string) {
  return (await traefikApi(path, new URL("https://admin.test/"), snapshot).json()) as Record<string, unknown> & { error?: string[]; errors?: { path: string; message: string }[]; status: string };
}

describe("errors with their JSON paths", () => {
  const { snapshot } = loaded(config);

  it("routers: each warning at its path, in the same order as Traefik's error", async () => {
    const web = await read(snapshot, "/api/http/routers/web@kv");
    expect(web.status).toBe("warning");
    expect(web.errors).toEqual([{ path: "http.routers.web.entryPoints", message: expect.stringMatching(/entryPoints are ignored/) }]);
    expect(web.error).toEqual(web.errors!.map((e) => e.message));
    // A name that is not a plain key is written as JSON paths write it.
    const odd = await read(snapshot, `/api/http/routers/${encodeURIComponent("odd name@kv")}`);
    expect(odd.errors).toEqual([{ path: 'http.routers["odd name"].tls', message: expect.stringMatching(/tls is ignored/) }]);
    const clean = await read(snapshot, "/api/http/routers/clean@kv");
    expect(clean.status).toBe("enabled");
    expect(clean).not.toHaveProperty("errors");
    expect(clean).not.toHaveProperty("error");
  });

  it("services and middlewares too, in the lists as in the single reads", async () => {
    const service = await read(snapshot, "/api/http/services/web@kv");
    expect(service.errors).toEqual([{ path: "http.services.web.loadBalancer.responseForwarding.flushInterval", message: expect.stringMatching(/flushInterval/) }]);
    const middleware = await read(snapshot, "/api/http/middlewares/old@kv");
    expect(middleware.errors).toEqual([{ path: "http.middlewares.old.ipWhiteList", message: expect.stringMatching(/deprecated/) }]);
    const list = (await traefikApi("/api/http/middlewares", new URL("https://admin.test/"), snapshot).json()) as { errors?: unknown }[];
    expect(list[0]!.errors).toEqual(middleware.errors);
  });

  it("a router from load facts whose service is missing: disabled at http.routers.<r>.service once reached; the overview counts it", async () => {
    const { snapshot: eager, valid } = loaded(config);
    const checked = checkConfig(valid.config, { internal: apiInternalServices, rules: valid.rules });
    if (!checked.ok) throw new Error("check");
    const facts = JSON.parse(JSON.stringify(factsOf("c0ffee", valid.config, checked.routes, valid.warnings, "v3"))) as unknown;
    // The config the isolate reads does not fit its facts (KV edited by hand): clean's service is gone.
    const broken: DynamicConfig = { http: { ...valid.config.http, routers: { ...valid.config.http!.routers, clean: { rule: "Host(`clean.test`)", service: "gone" } } } };
    const trusted = trustFacts(facts, "c0ffee", "v3", broken)!;
    const original = console.error;
    console.error = () => {};
    try {
      const lazy = snapshotFromFacts(broken, eager.meta, null, trusted.index, apiInternalServices, "v3", trusted.tree);
      expect((await read(lazy, "/api/http/routers/clean@kv")).status).toBe("enabled"); // not built yet
      expect(lazy.muxer.match(viewFromDescription({ method: "GET", url: "http://clean.test/", headers: {} }))).toBeNull();
      const clean = await read(lazy, "/api/http/routers/clean@kv");
      expect(clean.status).toBe("disabled");
      expect(clean.errors).toEqual([{ path: "http.routers.clean.service", message: expect.stringContaining('"gone"') }]);
      expect(clean.error).toEqual([clean.errors![0]!.message]);
      expect(((await read(lazy, "/api/overview")).http as { routers: { errors: number } }).routers.errors).toBe(1);
    } finally {
      console.error = original;
    }
  });
});
