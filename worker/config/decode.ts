// Config text → data for the providers (which store text and may not import the config model):
// parseConfigText with its issues joined into one sentence, the shape providers/types.ts Decode.
import type { Result } from "./issues.ts";
import { parseConfigText, type ConfigFormat, type ParseOptions } from "./parse.ts";

/** A decoder for one format; "auto" (the default) tells YAML, TOML and JSON apart by content. */
export function configDecoder(format: ConfigFormat = "auto", options: ParseOptions = {}): (text: string) => Result<unknown, string> {
  return (text) => {
    const parsed = parseConfigText(text, format, options);
    return parsed.ok ? parsed : { ok: false, error: parsed.error.map((e) => e.message).join("; ") };
  };
}
