import { describe, expect, it } from "vitest";
import { detectFormat, parseConfigText } from "../../../worker/config/index.ts";

describe("parseConfigText", () => {
  it("parses YAML, TOML and JSON to the same data", () => {
    const yaml = parseConfigText("http:\n  routers:\n    a:\n      rule: Path(`/`)\n      priority: 3\n", "yaml");
    const toml = parseConfigText('[http.routers.a]\nrule = "Path(`/`)"\npriority = 3\n', "toml");
    const json = parseConfigText('{"http":{"routers":{"a":{"rule":"Path(`/`)","priority":3}}}}', "json");
    const expected = { http: { routers: { a: { rule: "Path(`/`)", priority: 3 } } } };
    expect(yaml).toEqual({ ok: true, value: expected });
    expect(toml).toEqual({ ok: true, value: expected });
    expect(json).toEqual({ ok: true, value: expected });
  });

  it("detects the format by content", () => {
    expect(detectFormat("# comment\n\n[http.routers.a]\nrule = \"x\"\n")).toBe("toml");
    expect(detectFormat('[[http.services.a.loadBalancer.servers]]\nurl = "http://x"\n')).toBe("toml");
    expect(detectFormat('title = "x"\n')).toBe("toml");
    expect(detectFormat('  {\n "http": {} }')).toBe("json");
    expect(detectFormat("---\nhttp:\n  routers: {}\n")).toBe("yaml");
    expect(detectFormat("")).toBe("yaml");
    const auto = parseConfigText('[http.routers.a]\nrule = "Path(`/`)"\nservice = "s"\n', "auto");
    expect(auto).toEqual({ ok: true, value: { http: { routers: { a: { rule: "Path(`/`)", service: "s" } } } } });
  });

  it("supports YAML anchors and merge keys, as Traefik's YAML does", () => {
    const text = "x: &base {passHostHeader: false}\nhttp:\n  services:\n    s:\n      loadBalancer:\n        <<: *base\n        servers: [{url: 'http://a'}]\n";
    const parsed = parseConfigText(text, "yaml");
    expect(parsed.ok && parsed.value).toMatchObject({ http: { services: { s: { loadBalancer: { passHostHeader: false } } } } });
  });

  it("reads an empty document as an empty config", () => {
    expect(parseConfigText("", "yaml")).toEqual({ ok: true, value: null });
    expect(parseConfigText("# nothing\n", "auto")).toEqual({ ok: true, value: null });
    expect(parseConfigText("", "toml")).toEqual({ ok: true, value: {} });
  });

  const syntaxErrors: [string, string, "yaml" | "toml" | "json" | "auto", string][] = [
    ["YAML unclosed flow sequence", "http:\n  routers:\n    a: [1, 2\n  b: c\n", "yaml", "YAML syntax error at line 4, column 3"],
    ["YAML duplicate key", "http:\n  routers: {}\n  routers: {}\n", "yaml", "YAML syntax error at line 3, column 3: Map keys must be unique"],
    ["TOML missing value", '[http.routers.a]\nrule = "x"\nservice =\n', "toml", "TOML syntax error at line 3, column 10"],
    ["TOML via auto", '[http.routers.a]\nrule = "x\n', "auto", "TOML syntax error at line 2"],
    ["JSON trailing comma", '{\n  "http": {\n    "routers": {},\n  }\n}', "json", "JSON syntax error at line 4, column 3"],
    ["JSON empty", "", "json", "JSON syntax error at line 1, column 1"],
    ["JSON via auto", '{"http": {"routers": }}', "auto", "JSON syntax error at line 1, column 22"],
  ];

  it.each(syntaxErrors)("reports %s with its line", (_name, text, format, message) => {
    const parsed = parseConfigText(text, format);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toHaveLength(1);
    expect(parsed.error[0]).toMatchObject({ path: "", severity: "error" });
    expect(parsed.error[0]?.message).toContain(message);
  });
});
