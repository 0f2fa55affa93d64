// Internal services are handed to the compiler, as Traefik's ManagerFactory hands InternalHandlers
// to its service manager: api@internal exists only where the entry provides the API. Compiled
// without that registry, a router to api@internal is refused at its path, as Traefik disables a
// router whose service is api@internal when `api` is off ("api is not enabled",
// pkg/server/service/internalhandler.go); noop@internal needs nothing and is always there.
import { describe, expect, it } from "vitest";
import { apiInternalServices } from "../../../worker/api/internal.ts";
import { compileSnapshot, type CompileResult } from "../../../worker/compile/snapshot.ts";
import type { InternalServices } from "../../../worker/compile/internal.ts";
import { validateConfig } from "../../../worker/config/index.ts";
import { send } from "../helpers/serve.ts";

const meta = { version: 1, sha256: "", source: "test", provider: "file", warnings: [] };

function compileWith(service: string, internal?: InternalServices): CompileResult {
  const valid = validateConfig({ http: { routers: { dash: { rule: "Host(`traefik.test`)", service } } } });
  if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
  return compileSnapshot(valid.config, meta, null, valid.rules, internal);
}

describe("internal services come from the registry the entry hands in", () => {
  it("without the registry, api@internal is a compile error naming the router", () => {
    const compiled = compileWith("api@internal");
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.errors).toEqual([
      { path: "http.routers.dash.service", severity: "error", message: expect.stringContaining('api@internal is not enabled') },
    ]);
    expect(compiled.errors[0]!.message).toContain('Traefik: "api is not enabled"');
  });

  it("with the Worker's registry, api@internal serves the API of the snapshot it belongs to", async () => {
    const compiled = compileWith("api@internal", apiInternalServices);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
    const res = await send(compiled.snapshot, "https://traefik.test/api/http/routers");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { name: string }[]).map((r) => r.name)).toEqual(["dash@file"]);
  });

  it("dashboard@internal is refused with its reason by the Worker's registry, and as not enabled without it", () => {
    const withApi = compileWith("dashboard@internal", apiInternalServices);
    const without = compileWith("dashboard@internal");
    expect(withApi.ok || without.ok).toBe(false);
    if (withApi.ok || without.ok) return;
    expect(withApi.errors.map((e) => [e.path, e.message])).toEqual([
      ["http.routers.dash.service", "dashboard@internal is not available: Switchyard has no dashboard UI (use api@internal for the API)"],
    ]);
    expect(without.errors[0]).toMatchObject({ path: "http.routers.dash.service", message: expect.stringContaining("dashboard@internal is not enabled") });
  });

  it("noop@internal is the compiler's own: it answers 200 with no body without any registry", async () => {
    const compiled = compileWith("noop@internal");
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
    const res = await send(compiled.snapshot, "https://traefik.test/anything");
    expect([res.status, await res.text()]).toEqual([200, ""]);
  });

  it("a registry the entry fills is asked by full name, and its handler serves", async () => {
    const seen: string[] = [];
    const registry: InternalServices = {
      get: (name) => {
        seen.push(name);
        return name === "api@internal" ? (slot) => async () => new Response(`v${slot.current?.meta.version}`) : undefined;
      },
    };
    const compiled = compileWith("api@internal", registry);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
    expect(seen).toEqual(["api@internal"]);
    expect(await (await send(compiled.snapshot, "https://traefik.test/")).text()).toBe("v1");
  });
});
