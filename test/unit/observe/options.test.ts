// The observability variables: Traefik's accessLog section as ACCESS_LOG_OPTIONS, its defaults,
// and every problem at its JSON path (a bad section keeps Traefik's defaults).
import { describe, expect, it } from "vitest";
import { observeSettings, parseAccessLogOptions, type SettingIssue } from "../../../worker/observe/options.ts";

function parse(options: unknown) {
  const issues: SettingIssue[] = [];
  const parsed = parseAccessLogOptions(JSON.stringify(options), issues);
  return { parsed, issues };
}

describe("ACCESS_LOG_OPTIONS", () => {
  it("defaults to Traefik's: every field kept, every header dropped, the query kept, no filters, on", () => {
    const s = observeSettings({});
    expect(s.issues).toEqual([]);
    expect(s.accessLog).toMatchObject({ enabled: true, filters: null, sampleRate: 1, addInternals: false });
    expect(s.accessLog.fields).toMatchObject({ defaultKeep: true, headersDefault: "drop", keepQuery: true });
  });

  it("ACCESS_LOG=false turns it off", () => {
    expect(observeSettings({ ACCESS_LOG: "false" }).accessLog.enabled).toBe(false);
  });

  it("reads filters: status ranges (several per entry), retryAttempts, minDuration as a Go duration", () => {
    const { parsed, issues } = parse({ filters: { statusCodes: ["200", "300-302", "400-404,500"], retryAttempts: true, minDuration: "10ms" } });
    expect(issues).toEqual([]);
    expect(parsed?.filters).toEqual({
      statusCodes: [{ low: 200, high: 200 }, { low: 300, high: 302 }, { low: 400, high: 404 }, { low: 500, high: 500 }],
      retryAttempts: true,
      minDurationNs: 10_000_000,
    });
    // paerser's rule: a bare integer is seconds.
    expect(parse({ filters: { minDuration: 2 } }).parsed?.filters?.minDurationNs).toBe(2e9);
  });

  it("reads fields: names by lower-case field name, header names by Go's canonical name", () => {
    const { parsed, issues } = parse({
      fields: { defaultMode: "drop", names: { ClientHost: "keep" }, headers: { defaultMode: "keep", names: { "user-agent": "redact", "X-SECRET": "drop" } }, queryParameters: { defaultMode: "drop" } },
    });
    expect(issues).toEqual([]);
    expect(parsed?.fields.defaultKeep).toBe(false);
    expect([...parsed!.fields.names]).toEqual([["clienthost", true]]);
    expect([...parsed!.fields.headerNames]).toEqual([["User-Agent", "redact"], ["X-Secret", "drop"]]);
    expect(parsed?.fields.headersDefault).toBe("keep");
    expect(parsed?.fields.keepQuery).toBe(false);
  });

  it("names every error by its JSON path", () => {
    const { issues } = parse({
      format: "common",
      filters: { statusCodes: ["abc", "500-400"], minDuration: "soon", retryAttempts: "yes" },
      fields: { defaultMode: "redact", headers: { defaultMode: "hide", names: { Authorization: "mask" } } },
      sampleRate: 2,
      nope: 1,
    });
    expect(issues.map((i) => i.path)).toEqual([
      "ACCESS_LOG_OPTIONS.nope",
      "ACCESS_LOG_OPTIONS.format",
      "ACCESS_LOG_OPTIONS.sampleRate",
      "ACCESS_LOG_OPTIONS.filters.statusCodes[0]",
      "ACCESS_LOG_OPTIONS.filters.statusCodes[1]",
      "ACCESS_LOG_OPTIONS.filters.retryAttempts",
      "ACCESS_LOG_OPTIONS.filters.minDuration",
      "ACCESS_LOG_OPTIONS.fields.defaultMode",
      "ACCESS_LOG_OPTIONS.fields.headers.defaultMode",
      "ACCESS_LOG_OPTIONS.fields.headers.names.Authorization",
    ]);
    expect(issues.every((i) => !i.warning)).toBe(true);
  });

  it("a bad section keeps Traefik's defaults for all of it; not JSON is an error at the variable", () => {
    const s = observeSettings({ ACCESS_LOG_OPTIONS: JSON.stringify({ filters: { statusCodes: ["500-599"] }, fields: { headers: { defaultMode: "kep" } } }) });
    expect(s.issues.map((i) => i.path)).toEqual(["ACCESS_LOG_OPTIONS.fields.headers.defaultMode"]);
    expect(s.accessLog.filters).toBeNull();
    expect(observeSettings({ ACCESS_LOG_OPTIONS: "{filters" }).issues[0]).toMatchObject({ path: "ACCESS_LOG_OPTIONS" });
  });

  it("Traefik options that mean nothing on Workers are warnings and change nothing else", () => {
    const s = observeSettings({ ACCESS_LOG_OPTIONS: JSON.stringify({ filePath: "/var/log/access.log", bufferingSize: 100, filters: { statusCodes: ["500-599"] } }) });
    expect(s.issues.map((i) => [i.path, i.warning])).toEqual([["ACCESS_LOG_OPTIONS.filePath", true], ["ACCESS_LOG_OPTIONS.bufferingSize", true]]);
    expect(s.accessLog.filters?.statusCodes).toEqual([{ low: 500, high: 599 }]);
  });
});

describe("tracing variables", () => {
  it("defaults: on, sample rate 1, no exporter", () => {
    expect(observeSettings({}).tracing).toEqual({ enabled: true, sampleRate: 1, serviceName: "switchyard", otlp: null });
  });

  it("reads the rate, the endpoint, its headers and the flush interval", () => {
    const s = observeSettings({ TRACING_SAMPLE_RATE: "0.25", TRACING_OTLP_ENDPOINT: "http://127.0.0.1:4318/v1/traces", TRACING_OTLP_HEADERS: '{"authorization":"Bearer t"}', TRACING_OTLP_FLUSH_MS: "100" });
    expect(s.issues).toEqual([]);
    expect(s.tracing.sampleRate).toBe(0.25);
    expect(s.tracing.otlp).toMatchObject({ endpoint: "http://127.0.0.1:4318/v1/traces", headers: { authorization: "Bearer t" }, flushMs: 100 });
  });

  it("refuses a bad rate, endpoint or headers at the variable's name (no export then)", () => {
    expect(observeSettings({ TRACING_SAMPLE_RATE: "1.5" }).issues.map((i) => i.path)).toEqual(["TRACING_SAMPLE_RATE"]);
    const bad = observeSettings({ TRACING_OTLP_ENDPOINT: "collector:4318" });
    expect(bad.issues.map((i) => i.path)).toEqual(["TRACING_OTLP_ENDPOINT"]);
    expect(bad.tracing.otlp).toBeNull();
    const headers = observeSettings({ TRACING_OTLP_ENDPOINT: "http://c/v1/traces", TRACING_OTLP_HEADERS: '{"a":1}' });
    expect(headers.issues.map((i) => i.path)).toEqual(["TRACING_OTLP_HEADERS"]);
    expect(headers.tracing.otlp).toBeNull();
  });

  it("TRACING=false turns propagation and export off", () => {
    expect(observeSettings({ TRACING: "false", TRACING_OTLP_ENDPOINT: "http://c/v1/traces" }).tracing).toMatchObject({ enabled: false, otlp: null });
  });
});
