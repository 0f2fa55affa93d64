// Names that are also Object.prototype's keys (`__proto__`, `constructor`, `hasOwnProperty`,
// `toString`) are names like any other: a router, service, middleware or transport so named is
// parsed, validated, canonicalized, compiled, served and shown by the API, in every format.
import { inject, describe, expect, it } from "vitest";
import { canonicalJSON, loadConfig } from "../../../worker/config/index.ts";
import { adminFetch, putConfig, untilServing } from "../helpers/admin.ts";
import { send, snapshotOf } from "../helpers/serve.ts";

const upstream = inject("whoamiUrl");

function yamlConfig(url: string): string {
  return `http:
  routers:
    __proto__:
      rule: "PathPrefix(\`/proto\`)"
      service: constructor
      middlewares: [hasOwnProperty]
    constructor:
      rule: "PathPrefix(\`/ctor\`)"
      service: __proto__
  middlewares:
    hasOwnProperty:
      headers:
        customRequestHeaders:
          X-Via: hasOwnProperty
  services:
    constructor:
      loadBalancer:
        servers: [{url: "${url}"}]
        serversTransport: toString
    __proto__:
      loadBalancer:
        servers: [{url: "${url}"}]
  serversTransports:
    toString:
      forwardingTimeouts: {responseHeaderTimeout: 5s}
`;
}

function tomlConfig(url: string): string {
  return `[http.routers.__proto__]
rule = "PathPrefix(\`/proto\`)"
service = "constructor"
middlewares = ["hasOwnProperty"]
[http.routers.constructor]
rule = "PathPrefix(\`/ctor\`)"
service = "__proto__"
[http.middlewares.hasOwnProperty.headers.customRequestHeaders]
X-Via = "hasOwnProperty"
[http.services.constructor.loadBalancer]
serversTransport = "toString"
[[http.services.constructor.loadBalancer.servers]]
url = "${url}"
[[http.services.__proto__.loadBalancer.servers]]
url = "${url}"
[http.serversTransports.toString.forwardingTimeouts]
responseHeaderTimeout = "5s"
`;
}

/** The same config in JSON: written by hand, since JSON.stringify of an object literal cannot hold `__proto__`. */
function jsonConfig(url: string): string {
  const parsed = loadConfig(yamlConfig(url), "yaml");
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return canonicalJSON(parsed.config);
}

const formats: [string, (url: string) => string, "yaml" | "toml" | "json"][] = [
  ["YAML", yamlConfig, "yaml"],
  ["TOML", tomlConfig, "toml"],
  ["JSON", jsonConfig, "json"],
];

describe("names that are Object.prototype keys", () => {
  for (const [name, text, format] of formats) {
    it(`${name}: every section keeps them, as own keys`, () => {
      const loaded = loadConfig(text(upstream), format);
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
      const http = loaded.config.http!;
      expect(Object.keys(http.routers!).sort()).toEqual(["__proto__", "constructor"]);
      expect(Object.keys(http.services!).sort()).toEqual(["__proto__", "constructor"]);
      expect(Object.keys(http.middlewares!)).toEqual(["hasOwnProperty"]);
      expect(Object.keys(http.serversTransports!)).toEqual(["toString"]);
      const canonical = canonicalJSON(loaded.config);
      expect(canonical).toContain('"routers":{"__proto__":{');
    });
  }

  // zod's records drop a `__proto__` key silently: it is refused with its path instead.
  for (const [format, text] of [
    ["json", '{"http":{"middlewares":{"m":{"headers":{"customRequestHeaders":{"__proto__":"x","X-A":"b"}}}}}}'],
    ["yaml", "http:\n  middlewares:\n    m:\n      headers:\n        customRequestHeaders:\n          __proto__: x\n          X-A: b\n"],
    ["toml", '[http.middlewares.m.headers.customRequestHeaders]\n__proto__ = "x"\nX-A = "b"\n'],
  ] as const) {
    it(`${format}: a __proto__ key inside a map of header names is refused with its path`, () => {
      const result = loadConfig(text, format);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors).toContainEqual(expect.objectContaining({ path: "http.middlewares.m.headers.customRequestHeaders.__proto__" }));
    });
  }

  it("a reference to a missing name that is a prototype key is reported, not resolved", () => {
    const result = loadConfig('{"http":{"routers":{"r":{"rule":"Path(`/`)","service":"toString","middlewares":["valueOf"]}}}}', "json");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toEqual(expect.arrayContaining(["http.routers.r.service", "http.routers.r.middlewares[0]"]));
  });

  it("a router named __proto__ routes requests through its middleware to its service", async () => {
    const loaded = loadConfig(yamlConfig(upstream), "yaml");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const snapshot = snapshotOf(JSON.parse(canonicalJSON(loaded.config)));
    const proto = await send(snapshot, "http://a.test/proto/x");
    expect(proto.status).toBe(200);
    const echo = (await proto.json()) as { headers: Record<string, string> };
    expect(echo.headers["x-via"]).toBe("hasOwnProperty");
    expect((await send(snapshot, "http://a.test/ctor")).status).toBe(200);
  });

  it("end to end: published through the admin API, served, and shown by Traefik's API", async () => {
    const put = await putConfig(yamlConfig(upstream), { "content-type": "application/yaml" });
    expect(put.status).toBe(200);
    const { version } = (await put.json()) as { version: number };
    await untilServing(version);
    const res = await adminFetch("/api/http/routers/__proto__");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: "__proto__@kv", service: "constructor", middlewares: ["hasOwnProperty"] });
    const raw = (await (await adminFetch("/api/rawdata")).json()) as Record<string, Record<string, unknown>>;
    expect(Object.keys(raw.routers!).sort()).toEqual(["__proto__@kv", "constructor@kv"]);
    expect(Object.keys(raw.middlewares!)).toEqual(["hasOwnProperty@kv"]);
    const served = await untilServing(version, "/proto/y");
    expect(served.status).toBe(200);
    expect(served.headers.get("x-switchyard-router")).toBe("__proto__");
    const stored = await (await adminFetch("/config")).text();
    expect(stored).toContain('"routers":{"__proto__":{');
    // History and diff name it too.
    const next = await putConfig(yamlConfig(upstream).replace("PathPrefix(`/proto`)", "PathPrefix(`/proto2`)"), { "content-type": "application/yaml" });
    const { version: v2 } = (await next.json()) as { version: number };
    const diff = (await (await adminFetch(`/config/diff?from=${version}&to=${v2}`)).json()) as { routers: { changed: string[] } };
    expect(diff.routers.changed).toEqual(["__proto__"]);
  });
});
