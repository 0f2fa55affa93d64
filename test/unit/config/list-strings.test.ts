// Lists written as one string, as Traefik's file provider reads them: paerser fills a list of
// scalars from a string by splitting it on ",", trimming every item and keeping empty ones
// (paerser parser/element_fill.go setSlice, makeSlice; the file provider falls back to "," when the
// value is not a list). Every such list of the schema goes through common.ts splitList; the walk
// below finds them all, so a new list field fails here until it is in the table.
import { describe, expect, it } from "vitest";
import { $ZodArray, $ZodDefault, $ZodLazy, $ZodNullable, $ZodObject, $ZodOptional, $ZodPipe, $ZodPrefault, $ZodRecord, $ZodTransform, $ZodUnion, type $ZodType } from "zod/v4/core";
import { loadConfig, type ValidationResult } from "../../../worker/config/index.ts";
import { splitList } from "../../../worker/schema/common.ts";
import { dynamicConfigSchema, HTTP_SECTIONS, type HttpSection } from "../../../worker/schema/index.ts";

/** Whether a list's items are maps (servers, services, mirrors...): those are not read from a string. */
function holdsMaps(schema: $ZodType): boolean {
  let s = schema;
  for (;;) {
    if (s instanceof $ZodLazy) s = s._zod.innerType;
    else if (s instanceof $ZodOptional || s instanceof $ZodNullable || s instanceof $ZodDefault || s instanceof $ZodPrefault) s = s._zod.def.innerType;
    else if (s instanceof $ZodPipe) s = s._zod.def.out;
    else break;
  }
  return s instanceof $ZodObject || (s instanceof $ZodUnion && s._zod.def.options.some(holdsMaps));
}

interface ListField {
  readonly path: string;
  /** Built with listOf (preprocess(splitList, ...)). */
  readonly splits: boolean;
}

/** Every list of scalars in the schema, by path ("*": a name, "[]": an item of a list of maps). */
function listFields(schema: $ZodType, path: string[] = [], splits = false, out: ListField[] = []): ListField[] {
  const s = schema;
  // The schema's entities are built on first use (z.lazy, worker/schema/README.md).
  if (s instanceof $ZodLazy) return listFields(s._zod.innerType, path, splits, out);
  if (s instanceof $ZodOptional || s instanceof $ZodNullable || s instanceof $ZodDefault || s instanceof $ZodPrefault) return listFields(s._zod.def.innerType, path, splits, out);
  if (s instanceof $ZodPipe) {
    const { in: input, out: output } = s._zod.def;
    return input instanceof $ZodTransform ? listFields(output, path, input._zod.def.transform === splitList, out) : listFields(input, path, splits, out);
  }
  if (s instanceof $ZodObject) for (const [key, field] of Object.entries(s._zod.def.shape)) listFields(field, [...path, key], false, out);
  else if (s instanceof $ZodRecord) listFields(s._zod.def.valueType, [...path, "*"], false, out);
  else if (s instanceof $ZodUnion) for (const option of s._zod.def.options) listFields(option, path, false, out);
  else if (s instanceof $ZodArray) {
    if (holdsMaps(s._zod.def.element)) listFields(s._zod.def.element, [...path, "[]"], false, out);
    else out.push({ path: path.join("."), splits });
  }
  return out;
}

// One string per list field, from Traefik's documentation where it shows one (the label form of
// its examples, which paerser decodes with the same splitting), else a plausible value.
const EXAMPLES: Record<string, string> = {
  // docs/content/reference/routing-configuration/http/routing/router.md (labels)
  "http.routers.*.middlewares": "auth,ratelimit",
  "http.routers.*.entryPoints": "web,websecure",
  "http.routers.*.tls.domains.[].sans": "www.example.com,api.example.com",
  "http.routers.*.parentRefs": "parent-a, parent-b",
  "http.services.*.failover.errors.status": "500-599, 404",
  "http.services.*.middlewares": "auth, ratelimit",
  // Traefik Hub's apiKey (a list of hashes, as a label would give it)
  "http.middlewares.*.apiKey.secretValues": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08,$2y$05$D4SPFxzfWKcx1OXfVhRbvOTH/QB0Lm6AXTk8.NOmU4rPLX2t6UUuW",
  // docs/content/reference/routing-configuration/http/middlewares/basicauth.md (labels)
  "http.middlewares.*.basicAuth.users": "test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/,test2:$apr1$d9hr9HBB$4HxwgUir3HP4EsggP/QNo0",
  // chain.md (labels)
  "http.middlewares.*.chain.middlewares": "https-only,known-ips,auth-users",
  "http.middlewares.*.compress.excludedContentTypes": "text/event-stream, application/grpc",
  "http.middlewares.*.compress.includedContentTypes": "application/json,text/html",
  "http.middlewares.*.compress.encodings": "zstd, br, gzip",
  // digestauth.md (labels)
  "http.middlewares.*.digestAuth.users": "test:traefik:a2688e031edb4be6a3797f3882655c05,test2:traefik:518845800f9e2bfb1f1f740ec24f074e",
  // errorpages.md (labels)
  "http.middlewares.*.errors.status": "500,501,503,505-599",
  "http.middlewares.*.errors.errorRequestHeaders": "Accept,X-Request-Id",
  "http.middlewares.*.forwardAuth.authResponseHeaders": "X-Auth-User, X-Secret",
  "http.middlewares.*.forwardAuth.authRequestHeaders": "Accept,X-CustomHeader",
  "http.middlewares.*.forwardAuth.addAuthCookiesToResponse": "Session-Cookie,State-Cookie",
  "http.middlewares.*.grpcWeb.allowOrigins": "*",
  // headers.md (labels): accesscontrolallowheaders=*, accesscontrolallowmethods=GET,OPTIONS,PUT...
  "http.middlewares.*.headers.accessControlAllowHeaders": "*",
  "http.middlewares.*.headers.accessControlAllowMethods": "GET,OPTIONS,PUT",
  "http.middlewares.*.headers.accessControlAllowOriginList": "https://foo.bar.org,https://example.org",
  "http.middlewares.*.headers.accessControlAllowOriginListRegex": "^https://foo\\.bar\\.org$, ^https://([a-z]+)\\.example\\.org$",
  "http.middlewares.*.headers.accessControlExposeHeaders": "X-Custom, X-Other",
  "http.middlewares.*.headers.allowedHosts": "example.com,example.org",
  "http.middlewares.*.headers.hostsProxyHeaders": "X-Forwarded-Host",
  // ipallowlist.md (labels): sourcerange=127.0.0.1/32, 192.168.1.7
  "http.middlewares.*.inFlightReq.sourceCriterion.ipStrategy.excludedIPs": "127.0.0.1/32, 192.168.1.7",
  "http.middlewares.*.ipAllowList.sourceRange": "127.0.0.1/32, 192.168.1.7",
  "http.middlewares.*.ipAllowList.ipStrategy.excludedIPs": "127.0.0.1/32, 192.168.1.7",
  "http.middlewares.*.ipWhiteList.sourceRange": "192.168.1.7,127.0.0.1/32",
  "http.middlewares.*.ipWhiteList.ipStrategy.excludedIPs": "127.0.0.1/32, 192.168.1.7",
  "http.middlewares.*.rateLimit.sourceCriterion.ipStrategy.excludedIPs": "127.0.0.1/32, 192.168.1.7",
  // ratelimit.md (labels)
  "http.middlewares.*.rateLimit.redis.endpoints": "redis-primary.example.com:6379,redis-replica.example.com:6379",
  // retry.md (labels)
  "http.middlewares.*.retry.status": "400,500-599",
  // stripprefix.md (labels)
  "http.middlewares.*.stripPrefix.prefixes": "/foobar,/fiibar",
  "http.middlewares.*.stripPrefixRegex.regex": "/foo/[a-z0-9]+/, /bar",
  // load-balancing/serverstransport.md
  "http.serversTransports.*.rootCAs": "/path/to/rootca1.pem,/path/to/rootca2.pem",
  "http.serversTransports.*.cipherSuites": "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
  "http.serversTransports.*.spiffe.ids": "spiffe://example.org/id1,spiffe://example.org/id2",
};

// The least each entity needs besides the list under test (the options a type requires).
const BASE: Record<string, Record<string, unknown>> = {
  routers: { rule: "Path(`/`)", service: "s" },
  "services.failover": { failover: { service: "a", fallback: "b" } },
  services: { loadBalancer: { servers: [{ url: "http://backend/" }] } },
  "middlewares.apiKey": { apiKey: { keySource: { header: "X-Api-Key" } } },
  "middlewares.chain": { chain: { middlewares: ["a"] } },
  "middlewares.errors": { errors: { status: ["500"], service: "s" } },
  "middlewares.forwardAuth": { forwardAuth: { address: "http://auth/" } },
  "middlewares.inFlightReq": { inFlightReq: { amount: 1 } },
  "middlewares.ipAllowList": { ipAllowList: { sourceRange: ["10.0.0.0/8"] } },
  "middlewares.ipWhiteList": { ipWhiteList: { sourceRange: ["10.0.0.0/8"] } },
  "middlewares.retry": { retry: { attempts: 1 } },
  "middlewares.stripPrefix": { stripPrefix: { prefixes: ["/a"] } },
  "middlewares.stripPrefixRegex": { stripPrefixRegex: { regex: ["^/a"] } },
};

/** `value` placed at `segments` inside a copy of `into`, creating maps (and one-item lists for "[]"). */
function setAt(into: unknown, segments: readonly string[], value: unknown): unknown {
  const [head, ...rest] = segments;
  if (head === undefined) return value;
  if (head === "[]") return [setAt(undefined, rest, value)];
  const map = typeof into === "object" && into !== null ? (into as Record<string, unknown>) : {};
  return { ...map, [head]: setAt(map[head], rest, value) };
}

function getAt(from: unknown, segments: readonly string[]): unknown {
  let current = from;
  for (const segment of segments) current = segment === "[]" ? (current as unknown[])[0] : (current as Record<string, unknown>)[segment];
  return current;
}

/** An entity of the field's section with `value` at the field, parsed by the section's schema. */
function parseWith(path: string, value: unknown) {
  const [, section, , ...rest] = path.split(".") as [string, HttpSection, string, ...string[]];
  const base = BASE[`${section}.${rest[0]}`] ?? BASE[section] ?? {};
  return { parsed: HTTP_SECTIONS[section].safeParse(setAt(base, rest, value)), rest };
}

const FIELDS = listFields(dynamicConfigSchema);

describe("every list of scalars is read from one comma-separated string", () => {
  it("finds the lists in the schema, every one read with splitList", () => {
    expect(FIELDS.length).toBeGreaterThanOrEqual(38);
    expect(FIELDS.filter((f) => !f.splits).map((f) => f.path)).toEqual([]);
    // A list added to the schema needs its example here (and one removed, its example gone).
    expect(FIELDS.map((f) => f.path).sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  it.each(FIELDS.map((f) => [f.path, EXAMPLES[f.path] ?? ""]))("%s: %j", (path, text) => {
    const expected = text.split(",").map((item) => item.trim());
    const fromString = parseWith(path, text);
    const fromList = parseWith(path, expected);
    expect(fromString.parsed.error?.issues, `${path} from a string`).toBeUndefined();
    expect(getAt(fromString.parsed.data, fromString.rest)).toEqual(expected);
    expect(fromString.parsed.data).toEqual(fromList.parsed.data);
  });
});

describe("the splitting is paerser's", () => {
  const sourceRange = (value: unknown) => parseWith("http.middlewares.*.ipAllowList.sourceRange", value).parsed;
  const prefixes = (value: unknown) => parseWith("http.middlewares.*.stripPrefix.prefixes", value).parsed.data?.stripPrefix?.prefixes;
  const status = (value: unknown) => parseWith("http.middlewares.*.errors.status", value).parsed.data?.errors?.status;

  it("trims every item and keeps empty ones (strings.Split, then strings.TrimSpace)", () => {
    expect(prefixes(" /a , /b ")).toEqual(["/a", "/b"]);
    expect(sourceRange("10.0.0.0/8,,192.168.0.0/16").error?.issues.map((i) => i.path)).toEqual([["ipAllowList", "sourceRange", 1]]);
    expect(parseWith("http.routers.*.entryPoints", "web,").parsed.data?.entryPoints).toEqual(["web", ""]);
  });

  it("reads the empty string as an empty list (paerser leaves the list unset)", () => {
    expect(parseWith("http.routers.*.middlewares", "").parsed.data?.middlewares).toEqual([]);
  });

  it("reads a number or a boolean as a one-item list of its text, and numbers in a list as text", () => {
    expect(status(500)).toEqual(["500"]);
    expect(status([500, "502-504"])).toEqual(["500", "502-504"]);
    expect(parseWith("http.middlewares.*.headers.allowedHosts", true).parsed.data?.headers?.allowedHosts).toEqual(["true"]);
  });

  it("trims the items of a real list too, and does not split them on commas", () => {
    expect(prefixes([" /a", "/b "])).toEqual(["/a", "/b"]);
    // paerser joins a real list with its own separator (fix "allow slice value that contains comma").
    const regex = parseWith("http.middlewares.*.headers.accessControlAllowOriginListRegex", ["^https://a{1,3}\\.org$"]).parsed.data;
    expect(regex?.headers?.accessControlAllowOriginListRegex).toEqual(["^https://a{1,3}\\.org$"]);
  });

  it("reports a bad item at its index in the split list", () => {
    const issues = sourceRange("10.0.0.0/8, nope").error?.issues ?? [];
    expect(issues.map((i) => [i.path, i.message])).toEqual([[["ipAllowList", "sourceRange", 1], '"nope" is not an IP address or CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)']]);
  });

  it("leaves lists of maps alone: a string is not a list of servers", () => {
    expect(HTTP_SECTIONS.services.safeParse({ loadBalancer: { servers: "http://a/,http://b/" } }).success).toBe(false);
  });
});

function accepted(result: ValidationResult): Extract<ValidationResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected a valid config, got ${JSON.stringify(result.errors)}`);
  return result;
}

describe("Traefik's examples, written with strings, load whole", () => {
  it("reads a YAML config with string lists", () => {
    const text = `
http:
  routers:
    r:
      rule: "Host(\`example.com\`)"
      service: s
      middlewares: "known-ips, auth, cors"
  services:
    s:
      loadBalancer:
        servers:
          - url: "http://backend/"
  middlewares:
    known-ips:
      ipAllowList:
        sourceRange: "10.0.0.0/8,192.168.0.0/16"
    auth:
      forwardAuth:
        address: "https://example.com/auth"
        authRequestHeaders: "Accept,X-CustomHeader"
    cors:
      headers:
        accessControlAllowHeaders: "*"
        accessControlAllowMethods: "GET,OPTIONS,PUT"
`;
    const { config } = accepted(loadConfig(text, "yaml"));
    expect(config.http?.routers?.r?.middlewares).toEqual(["known-ips", "auth", "cors"]);
    expect(config.http?.middlewares?.["known-ips"]?.ipAllowList?.sourceRange).toEqual(["10.0.0.0/8", "192.168.0.0/16"]);
    expect(config.http?.middlewares?.auth?.forwardAuth?.authRequestHeaders).toEqual(["Accept", "X-CustomHeader"]);
    expect(config.http?.middlewares?.cors?.headers?.accessControlAllowHeaders).toEqual(["*"]);
    expect(config.http?.middlewares?.cors?.headers?.accessControlAllowMethods).toEqual(["GET", "OPTIONS", "PUT"]);
  });

  it("reads a TOML config with string lists", () => {
    const text = `
[http.middlewares.test-stripprefix.stripPrefix]
  prefixes = "/foobar, /fiibar"
[http.middlewares.test-errors.errors]
  status = "500,501,503,505-599"
  service = "s"
[http.services.s.loadBalancer]
  [[http.services.s.loadBalancer.servers]]
    url = "http://backend/"
`;
    const { config } = accepted(loadConfig(text, "toml"));
    expect(config.http?.middlewares?.["test-stripprefix"]?.stripPrefix?.prefixes).toEqual(["/foobar", "/fiibar"]);
    expect(config.http?.middlewares?.["test-errors"]?.errors?.status).toEqual(["500", "501", "503", "505-599"]);
  });
});
