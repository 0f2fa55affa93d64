// Text to validated config in one call.
import { parseConfigText, type ConfigFormat } from "./parse.ts";
import { validateConfig, type ValidateOptions, type ValidationResult } from "./validate.ts";

export function loadConfig(text: string, format: ConfigFormat, options: ValidateOptions = {}): ValidationResult {
  const parsed = parseConfigText(text, format);
  if (!parsed.ok) return { ok: false, errors: parsed.error, warnings: [] };
  return validateConfig(parsed.value, options);
}
