// canonical JSON: keys sorted, no whitespace — as Go's encoding/json writes maps. Undefined is
// dropped, so the same config written in YAML, TOML or JSON gives the same string, and the same hash.

function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") {
    // JSON.stringify turns undefined/functions into undefined; as array items they become null.
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const record = value as Record<string, unknown>;
  if (typeof record.toJSON === "function") return canonical(JSON.parse(JSON.stringify(value)));
  const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(",")}}`;
}

/** Canonical JSON of any JSON-like value (a DynamicConfig, or any part of one). */
export function canonicalJSON(value: unknown): string {
  return canonical(value);
}
