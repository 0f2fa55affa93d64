// The editor's three formats: the text of a config in each, and the Content-Type the admin API
// reads it by (PUT <base>/config, POST <base>/config/validate).
import { parse as parseToml, stringify as stringifyToml } from "smol-toml";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

export type Format = "yaml" | "json" | "toml";
export const FORMATS: readonly Format[] = ["yaml", "json", "toml"];

export const CONTENT_TYPES: Readonly<Record<Format, string>> = {
  yaml: "application/yaml",
  json: "application/json",
  toml: "application/toml",
};

export function toText(value: unknown, format: Format): string {
  if (format === "json") return `${JSON.stringify(value, null, 2)}\n`;
  if (format === "yaml") return stringifyYaml(value, { lineWidth: 0 });
  return `${stringifyToml(value as Record<string, unknown>)}\n`;
}

/** The text's value, or the parse error's message. */
export function fromText(text: string, format: Format): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    if (format === "json") return { ok: true, value: JSON.parse(text) };
    if (format === "yaml") return { ok: true, value: parseYaml(text) };
    return { ok: true, value: parseToml(text) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
