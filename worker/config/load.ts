// Text to validated config in one call.
import { parseConfigText, type ConfigFormat } from "./parse.ts";
import { validateConfig, type ValidationResult } from "./validate.ts";

export function loadConfig(text: string, format: ConfigFormat): ValidationResult {
  const parsed = parseConfigText(text, format);
  if (!parsed.ok) return { ok: false, errors: parsed.error, warnings: [] };
  return validateConfig(parsed.value);
}
